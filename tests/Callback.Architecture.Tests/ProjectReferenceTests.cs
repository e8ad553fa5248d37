using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;

namespace Callback.Architecture.Tests;

/// <summary>
/// References run one way, Web → Jobs → Domain (ADR 1), and the Domain knows neither ASP.NET Core hosting nor Hangfire.
/// Read twice: from the .csproj files, which say what a project may use, and from the compiled assemblies, which say what
/// it does use. MSBuild refuses a reference cycle, but not a Domain that picks up Hangfire or the web host by a package.
/// </summary>
public class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Forbidden = new(StringComparer.Ordinal)
    {
        ["Callback.Domain"] = ["Callback.Jobs", "Callback.Web"],
        ["Callback.Jobs"] = ["Callback.Web"],
    };

    /// <summary>
    /// The only ASP.NET Core packages the Domain may have: Identity's EF stores (ADR 1: users and cases share one
    /// transaction) and the password hashing they bring. Nothing that hosts, routes or renders.
    /// </summary>
    private static readonly string[] DomainAspNetCoreAllowed =
    [
        "Microsoft.AspNetCore.Identity.EntityFrameworkCore",
        "Microsoft.AspNetCore.Cryptography.Internal",
        "Microsoft.AspNetCore.Cryptography.KeyDerivation",
    ];

    [Theory]
    [InlineData("Callback.Domain")]
    [InlineData("Callback.Jobs")]
    public void ProjectReferences_RunOneWay_WebToJobsToDomain(string project)
    {
        var reached = ProjectClosure(project);

        Assert.Empty(reached.Intersect(Forbidden[project]));
    }

    [Fact]
    public void CompiledAssemblies_ReferenceOneWay_WebToJobsToDomain()
    {
        Assert.Empty(ReferencedNames(DomainAssembly).Intersect(Forbidden["Callback.Domain"]));
        Assert.Empty(ReferencedNames(JobsAssembly).Intersect(Forbidden["Callback.Jobs"]));
    }

    [Fact]
    public void Domain_DeclaresNoWebSdkNoAspNetCoreFrameworkAndNoHangfire()
    {
        var csproj = XDocument.Load(ProjectFile("Callback.Domain"));

        Assert.Equal("Microsoft.NET.Sdk", csproj.Root!.Attribute("Sdk")?.Value);
        Assert.Empty(csproj.Descendants("FrameworkReference").Select(e => e.Attribute("Include")?.Value));
        Assert.DoesNotContain(csproj.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value), IsForbiddenInDomain);
    }

    /// <summary>What restore resolved, transitive packages included: a package that drags in Hangfire is caught here.</summary>
    [Fact]
    public void Domain_ResolvesNoAspNetCoreHostingAndNoHangfire_EvenTransitively()
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(ProjectFile("Callback.Domain"))!, "obj", "project.assets.json")));
        var packages = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();
        var frameworks = assets.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject()
            .SelectMany(f => f.Value.TryGetProperty("frameworkReferences", out var refs) ? refs.EnumerateObject().Select(r => r.Name) : []).ToList();

        Assert.NotEmpty(packages);
        Assert.DoesNotContain(packages, IsForbiddenInDomain);
        Assert.Equal(["Microsoft.NETCore.App"], frameworks.Distinct());
    }

    [Fact]
    public void Domain_CompiledAgainstNoAspNetCoreHostingAndNoHangfire()
    {
        Assert.DoesNotContain(ReferencedNames(DomainAssembly), IsForbiddenInDomain);
    }

    private static Assembly DomainAssembly => typeof(Domain.Cases.Case).Assembly;

    private static Assembly JobsAssembly => typeof(Jobs.JobsRegistration).Assembly;

    private static bool IsForbiddenInDomain(string name) =>
        name.StartsWith("Hangfire", StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith("Microsoft.AspNetCore.", StringComparison.OrdinalIgnoreCase) && !DomainAspNetCoreAllowed.Contains(name, StringComparer.OrdinalIgnoreCase));

    private static List<string> ReferencedNames(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    /// <summary>Every project reached from <paramref name="project"/> through ProjectReference items, by name.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([ProjectFile(project)]);
        while (pending.TryPop(out var file))
        {
            foreach (var reference in XDocument.Load(file).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)));
                if (reached.Add(Path.GetFileNameWithoutExtension(path)))
                {
                    pending.Push(path);
                }
            }
        }

        return reached;
    }

    private static string ProjectFile(string project)
    {
        var file = Path.Combine(RepositoryRoot, "src", project, project + ".csproj");
        Assert.True(File.Exists(file), $"{file} is missing: the test would check nothing");
        return file;
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Callback.sln not found above {AppContext.BaseDirectory}");
    }
}
