using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Web.Demo;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Cli;

/// <summary>
/// <c>dotnet run --project src/Callback.Web -- &lt;command&gt;</c>: the operations an administrator runs from a shell.
/// Each returns the process exit code.
/// </summary>
internal static class CommandLine
{
    public const string Usage = """
        Callback commands:
          audit verify               verify the audit chain (exit 0 intact, 1 broken, naming the first broken entry)
          import FILE --campaign NAME [--unit-default CODE] [--dry-run]
                                     import old files as a re-examination campaign (exit 0 read, 1 refused whole)
          seed-demo                  create demo units, users and 200+ cases in every state (Development only)
          workflow diagram [--write] print the case lifecycle as Mermaid (--write updates docs/workflow.md)
        Without a command, the web application starts.
        """;

    private static readonly HashSet<string> Commands = ["audit", "import", "seed-demo", "workflow", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        switch (args)
        {
            case ["audit", "verify"]:
                return await VerifyAuditAsync(services, output);
            case ["import", .. var rest]:
                return await ImportCommand.RunAsync(rest, services, output);
            case ["seed-demo", ..]:
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                var seeded = await services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
                await output.WriteLineAsync(seeded.Message);
                return 0;
            case ["workflow", "diagram", .. var rest]:
                var diagram = CaseLifecycle.MermaidDiagram();
                if (rest.Contains("--write"))
                {
                    var path = WorkflowDocument.Write(diagram, FindRepositoryRoot());
                    await output.WriteLineAsync($"wrote {path}");
                }
                else
                {
                    await output.WriteAsync(diagram);
                }

                return 0;
            default:
                await output.WriteLineAsync(Usage);
                return args is ["help"] or ["--help"] ? 0 : 2;
        }
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services, TextWriter output)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var databases = services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();
        await using var db = await databases.CreateDbContextAsync();
        var result = await AuditWriter.VerifyAsync(db, CancellationToken.None);
        await output.WriteLineAsync(result.Message);
        return result.IsIntact ? 0 : 1;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run this command from inside the Callback repository (no Callback.sln found above the current folder).");
    }
}

/// <summary>docs/workflow.md and the README carry the diagram between markers; both are rewritten from the code.</summary>
public static class WorkflowDocument
{
    public const string Begin = "<!-- workflow-diagram:begin -->";
    public const string End = "<!-- workflow-diagram:end -->";

    public static string Block(string diagram) => $"{Begin}\n```mermaid\n{diagram}```\n{End}";

    public static string Write(string diagram, string repositoryRoot)
    {
        foreach (var file in new[] { "docs/workflow.md", "README.md" })
        {
            var path = Path.Combine(repositoryRoot, file);
            var text = File.ReadAllText(path);
            File.WriteAllText(path, Replace(text, diagram, file));
        }

        return Path.Combine(repositoryRoot, "docs/workflow.md");
    }

    /// <summary>The diagram block found between the markers of <paramref name="text"/>, or null.</summary>
    public static string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        return start < 0 || end < start ? null : text[start..(end + End.Length)].ReplaceLineEndings("\n");
    }

    private static string Replace(string text, string diagram, string file)
    {
        var current = Extract(text) ?? throw new InvalidOperationException($"{file} has no {Begin} ... {End} markers.");
        return text.ReplaceLineEndings("\n").Replace(current, Block(diagram), StringComparison.Ordinal);
    }
}
