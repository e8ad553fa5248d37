using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Persistence;
using Callback.Web.Demo;
using Callback.Web.Features.Account;
using Callback.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Callback.Web.Cli;

/// <summary>
/// <c>dotnet run --project src/Callback.Web -- &lt;command&gt;</c>: the operations an administrator runs from a shell.
/// Each returns the process exit code.
/// </summary>
internal static class CommandLine
{
    public static readonly string Usage = $"""
        Callback commands:
          apikeys create --unit CODE [--name NAME] | apikeys revoke ID | apikeys list
                                     the intake API's keys, one unit each (the key is shown once)
          audit verify               verify the audit chain (exit 0 intact, 1 broken, naming the first broken entry)
          import FILE --campaign NAME [--unit-default CODE] [--dry-run]
                                     import old files as a re-examination campaign (exit 0 read, 1 refused whole)
          seed-demo                  create demo units, users and 200+ cases in every state (Development or
                                     Training only; Training refuses a database holding real cases)
        {BackupCommand.Usage}
        {UnitsCommand.Usage}
          users create EMAIL --role ROLE [--unit CODE] [--name NAME] [--password-stdin]
                                     create a user (the first Admin of a new installation); without
                                     --password-stdin a strong password is generated and printed once
          workflow diagram [--write] print the case lifecycle as Mermaid (--write updates docs/workflow.md)
        Without a command, the web application starts.
        """;

    private static readonly HashSet<string> Commands = ["apikeys", "audit", "backup", "restore", "import", "seed-demo", "workflow", "units", "users", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        switch (args)
        {
            case ["audit", "verify"]:
                return await VerifyAuditAsync(services, output);
            case ["apikeys", .. var rest]:
                return await ApiKeysCommand.RunAsync(rest, services, output);
            case ["backup", var folder]:
                return await BackupCommand.BackupAsync(folder, services, output);
            case ["restore", var folder, "--verify"]:
                return await BackupCommand.RestoreAsync(folder, verifyOnly: true, services, output);
            case ["restore", var folder]:
                return await BackupCommand.RestoreAsync(folder, verifyOnly: false, services, output);
            case ["import", .. var rest]:
                return await ImportCommand.RunAsync(rest, services, output);
            case ["seed-demo", ..]:
                var environment = services.GetRequiredService<IHostEnvironment>();
                if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing") && !environment.IsEnvironment(Training.TrainingMode.EnvironmentName))
                {
                    // Demo accounts have published passwords: never in a real installation.
                    await output.WriteLineAsync($"seed-demo: refused in {environment.EnvironmentName}: demo accounts have known passwords. " +
                        "Use ASPNETCORE_ENVIRONMENT=Training for a drill (its own files) or Development.");
                    return 1;
                }

                if (services.GetRequiredService<Training.TrainingMode>().IsOn)
                {
                    // As at a Training start: a real database pointed at by mistake is neither upgraded nor seeded.
                    var found = await InspectTrainingAsync(services);
                    if (!found.IsDemoOnly)
                    {
                        await output.WriteLineAsync("seed-demo: " + Training.TrainingGuard.RefusalMessage(found, services.GetRequiredService<DatabaseLocation>()));
                        return 1;
                    }
                }

                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                var seeded = await services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
                await output.WriteLineAsync(seeded.Message);
                return 0;
            case ["units", .. var rest]:
                return await UnitsCommand.RunAsync(rest, services, output);
            case ["users", "create", var email, .. var options]:
                return await CreateUserAsync(services, email, options, output);
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

    private static async Task<int> CreateUserAsync(IServiceProvider services, string email, string[] options, TextWriter output)
    {
        string? Option(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
        var role = Option("--role");
        if (role is null)
        {
            await output.WriteLineAsync("users create: --role is required (Officer, Supervisor, Dispatcher or Admin).");
            return 2;
        }

        var password = options.Contains("--password-stdin") ? (await Console.In.ReadLineAsync())?.Trim() ?? "" : GeneratePassword();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await using var scope = services.CreateAsyncScope();
        try
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(email, Option("--name") ?? email, password, role, Option("--unit"));
            await output.WriteLineAsync($"created {role} {email} (id {user.Id})");
            if (!options.Contains("--password-stdin"))
            {
                await output.WriteLineAsync($"password (shown once): {password}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await output.WriteLineAsync($"users create: {ex.Message}");
            return 1;
        }
    }

    private static async Task<Training.TrainingInspection> InspectTrainingAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<CallbackDbContext>>().CreateDbContextAsync();
        return await Training.TrainingGuard.InspectAsync(db, CancellationToken.None);
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15)).Replace('/', '-').Replace('+', '_');

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
