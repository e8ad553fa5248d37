namespace Callback.Domain.Units;

/// <summary>
/// The départements a unit may belong to, as INSEE codes them: 01 to 95 with Corsica as 2A and 2B (there is no 20), and
/// the five overseas départements 971 to 974 and 976 (975, Saint-Pierre-et-Miquelon, is a collectivité, not a département).
/// </summary>
public static class Departements
{
    private static readonly Dictionary<string, string> OverseasZones = new(StringComparer.Ordinal)
    {
        ["971"] = "America/Guadeloupe",
        ["972"] = "America/Martinique",
        ["973"] = "America/Cayenne",
        ["974"] = "Indian/Reunion",
        ["976"] = "Indian/Mayotte",
    };

    /// <summary>The INSEE code of <paramref name="text"/> ("2a" is 2A), or null when it is not a département.</summary>
    public static string? Normalise(string? text)
    {
        var code = text?.Trim().ToUpperInvariant();
        return code switch
        {
            null => null,
            "2A" or "2B" => code,
            { Length: 2 } when int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n is >= 1 and <= 95 and not 20 => code,
            { Length: 3 } when OverseasZones.ContainsKey(code) => code,
            _ => null,
        };
    }

    /// <summary>The zone a unit of <paramref name="departement"/> keeps its clocks in when none is given.</summary>
    public static string DefaultTimeZone(string departement) =>
        OverseasZones.GetValueOrDefault(departement, Unit.DefaultTimeZoneId);

    /// <summary>The IANA zone <paramref name="text"/> names, or null (a Windows name or an unknown zone is not one).</summary>
    public static string? IanaZone(string? text)
    {
        var id = text?.Trim();
        return !string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId ? zone.Id : null;
    }
}
