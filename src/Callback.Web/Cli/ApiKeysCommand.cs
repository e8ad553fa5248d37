using System.Globalization;
using Callback.Domain.Identity;
using Callback.Domain.Intake;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;

namespace Callback.Web.Cli;

/// <summary><c>apikeys create --unit CODE [--name NAME]</c>, <c>apikeys revoke ID</c>, <c>apikeys list</c>: the intake API's keys, as the admin <c>cli</c>.</summary>
internal static class ApiKeysCommand
{
    private static readonly Actor Cli = Actor.User("cli", null, null, Roles.Admin);

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var keys = services.GetRequiredService<ApiKeyService>();
        switch (args)
        {
            case ["create", .. var options]:
                string? Option(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
                if (Option("--unit") is not { } unit)
                {
                    await output.WriteLineAsync("apikeys create: --unit CODE is required.");
                    return 2;
                }

                try
                {
                    var created = await keys.CreateAsync(unit, Option("--name"), Cli);
                    await output.WriteLineAsync($"created key {created.Info.Id} for unit {created.Info.UnitCode} (\"{created.Info.Name}\")");
                    await output.WriteLineAsync($"key (shown once, give it to the records system): {created.Key}");
                    return 0;
                }
                catch (ArgumentException ex)
                {
                    await output.WriteLineAsync($"apikeys create: {ex.Message}");
                    return 1;
                }

            case ["revoke", var text] when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                if (!await keys.RevokeAsync(id, Cli))
                {
                    await output.WriteLineAsync($"apikeys revoke: no key {id}.");
                    return 1;
                }

                await output.WriteLineAsync($"revoked key {id}");
                return 0;
            case ["list"]:
                foreach (var k in await keys.ListAsync())
                {
                    var state = k.RevokedAtUtc is { } at ? $"revoked {at:yyyy-MM-dd HH:mm} UTC" : "active";
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{k.Id}\t{k.UnitCode}\t{k.Prefix}…\t{k.Name}\tcreated {k.CreatedAtUtc:yyyy-MM-dd HH:mm} UTC\t{state}"));
                }

                return 0;
            default:
                await output.WriteLineAsync(CommandLine.Usage);
                return 2;
        }
    }
}
