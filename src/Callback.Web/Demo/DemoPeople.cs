using System.Globalization;

namespace Callback.Web.Demo;

/// <summary>
/// The fictitious people and places of the demo. A short fixed list instead of a fake-data library: the demo needs
/// plausible French names, not variety, and a package that only the demo uses should not ship in every installation.
/// Phone numbers are in the 06 39 98 block ARCEP keeps for works of fiction, so a drill can never ring a real person.
/// </summary>
internal static class DemoPeople
{
    public static IReadOnlyList<string> WomenFirstNames { get; } =
    [
        "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Julie", "Laura", "Pauline",
        "Océane", "Marine", "Élodie", "Aurélie", "Nathalie", "Sandrine", "Yasmina", "Fatou", "Mélanie", "Justine",
    ];

    public static IReadOnlyList<string> MenFirstNames { get; } =
    [
        "Thomas", "Nicolas", "Julien", "Kevin", "Mickaël", "Sébastien", "Romain", "Mehdi", "Anthony", "Jérôme",
        "Ludovic", "Grégory", "Yannick", "Franck", "Cédric", "Damien",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Hoarau",
    ];

    private static readonly string[] Streets =
    [
        "rue des Lilas", "avenue Jean Jaurès", "rue Victor Hugo", "impasse des Tilleuls", "boulevard de la République",
        "rue du Moulin", "chemin des Vignes", "place de l'Église", "rue Pasteur", "allée des Cerisiers",
    ];

    /// <summary>Towns by département, so that a victim lives where her unit works.</summary>
    private static readonly Dictionary<string, string[]> Towns = new(StringComparer.Ordinal)
    {
        ["62"] = ["62000 Arras", "62300 Lens", "62100 Calais"],
        ["72"] = ["72000 Le Mans", "72100 Le Mans", "72200 La Flèche"],
        ["31"] = ["31000 Toulouse", "31400 Toulouse", "31200 Toulouse"],
        ["974"] = ["97400 Saint-Denis", "97490 Sainte-Clotilde", "97438 Sainte-Marie"],
    };

    /// <summary>06 39 98 xx xx: the mobile numbers reserved for fiction, assigned to no one.</summary>
    public static string MobileNumber(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"063998{random.Next(0, 10_000):D4}");

    public static string Address(Random random, string departement)
    {
        var towns = Towns[departement];
        return string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 120)} {Streets[random.Next(Streets.Length)]}, {towns[random.Next(towns.Length)]}");
    }
}
