using System.Globalization;
using Callback.Domain.Identity;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Persistence;

namespace Callback.Web.Cli;

/// <summary>
/// <c>units create CODE --name NAME --departement NN [...]</c>, <c>units update CODE [...]</c>, <c>units list</c>: the
/// units of a new installation, as the admin <c>cli</c>. A wrong option is named with what it should be.
/// </summary>
internal static class UnitsCommand
{
    public const string Usage = """
          units create CODE --name NAME --departement NN [--time-zone ZONE] [--switchboard PHONE] [--help-page URL]
                            [--capacity N] [--escalation-email EMAIL]
                                     a unit (the zone defaults to the département's: Europe/Paris, or overseas its own)
          units update CODE [--name ...] [--departement ...] [--time-zone ...] [...]
                                     change the options given, keep the others ("" clears an optional one)
          units list                 every unit and its details
        """;

    private static readonly Actor Cli = Actor.User("cli", null, null, Roles.Admin);

    private static readonly HashSet<string> Options =
        ["--name", "--departement", "--time-zone", "--switchboard", "--help-page", "--capacity", "--escalation-email"];

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var units = services.GetRequiredService<UnitService>();
        switch (args)
        {
            case ["list"]:
                foreach (var u in await units.ListAsync())
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{u.Code}\t{u.Name}\t{u.Departement}\t{u.TimeZoneId}\t{u.SwitchboardPhone}\t{u.DailyCallCapacity}\t{u.EscalationEmail}\t{u.HelpPageUrl}"));
                }

                return 0;
            case ["create", var code, .. var rest]:
                return await ApplyAsync("units create", rest, output, async given =>
                {
                    var missing = new (string Option, UnitField Field)[] { ("--name", UnitField.Name), ("--departement", UnitField.Departement) }
                        .Where(o => !given.ContainsKey(o.Option)).Select(o => new UnitFieldError(o.Field, "Required", "is required.")).ToList();
                    if (missing.Count > 0)
                    {
                        throw new InvalidUnitException(missing);
                    }

                    var unit = await units.CreateAsync(code, Details(given, null), Cli);
                    return $"created unit {unit.Code} ({unit.Name}, département {unit.Departement}, {unit.TimeZoneId})";
                });
            case ["update", var code, .. var rest]:
                return await ApplyAsync("units update", rest, output, async given =>
                {
                    var current = (await units.ListAsync()).FirstOrDefault(u => u.Code == code)
                        ?? throw new InvalidUnitException([new(UnitField.Code, "UnitUnknown", $"No unit \"{code}\".")]);
                    // A new département without a zone takes the new département's zone, not the old one's.
                    var zoneFollows = given.ContainsKey("--departement") && !given.ContainsKey("--time-zone");
                    var details = Details(given, current.Details);
                    var changed = await units.UpdateAsync(code, zoneFollows ? details with { TimeZoneId = null } : details, null, Cli);
                    return changed.Count == 0 ? $"unit {code}: nothing changed" : $"updated unit {code}: {string.Join(", ", changed)}";
                });
            default:
                await output.WriteLineAsync(CommandLine.Usage);
                return 2;
        }
    }

    private static async Task<int> ApplyAsync(string command, string[] rest, TextWriter output, Func<Dictionary<string, string>, Task<string>> action)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Length; i += 2)
        {
            if (!Options.Contains(rest[i]) || i + 1 >= rest.Length)
            {
                await output.WriteLineAsync($"{command}: unknown or incomplete option \"{rest[i]}\".");
                await output.WriteLineAsync(Usage);
                return 2;
            }

            given[rest[i]] = rest[i + 1];
        }

        try
        {
            await output.WriteLineAsync(await action(given));
            return 0;
        }
        catch (InvalidUnitException ex)
        {
            foreach (var error in ex.Errors)
            {
                await output.WriteLineAsync($"{command}: {OptionOf(error.Field)}: {error.Message}");
            }

            return 1;
        }
    }

    /// <summary>The details from the options given, each missing one taken from <paramref name="current"/>.</summary>
    private static UnitDetails Details(Dictionary<string, string> given, UnitDetails? current)
    {
        string? Text(string option, string? old) => given.TryGetValue(option, out var value) ? value : old;
        int? capacity = current?.DailyCallCapacity;
        if (given.TryGetValue("--capacity", out var text))
        {
            capacity = text.Length == 0 ? null
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new InvalidUnitException([new(UnitField.DailyCallCapacity, "UnitCapacityInvalid", $"\"{text}\" is not a whole number of calls.")]);
        }

        return new UnitDetails(
            Text("--name", current?.Name) ?? "",
            Text("--departement", current?.Departement) ?? "",
            Text("--time-zone", current?.TimeZoneId),
            Text("--switchboard", current?.SwitchboardPhone),
            Text("--help-page", current?.HelpPageUrl),
            capacity,
            Text("--escalation-email", current?.EscalationEmail));
    }

    private static string OptionOf(UnitField field) => field switch
    {
        UnitField.Code => "CODE",
        UnitField.Name => "--name",
        UnitField.Departement => "--departement",
        UnitField.TimeZone => "--time-zone",
        UnitField.SwitchboardPhone => "--switchboard",
        UnitField.HelpPageUrl => "--help-page",
        UnitField.DailyCallCapacity => "--capacity",
        UnitField.EscalationEmail => "--escalation-email",
        _ => field.ToString(),
    };
}
