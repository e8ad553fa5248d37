namespace Callback.Web.Features.Supervision;

/// <summary>A département on the schematic map: its INSEE code, name, and where its marker sits.</summary>
public sealed record MapDepartement(string Code, string Name, double Latitude, double Longitude);

/// <summary>
/// The map's data, shipped in the app so it works offline (no tile server): one point per metropolitan département at
/// its prefecture, to two decimals, and the five overseas départements drawn as insets. The coordinates are public
/// geographic facts (prefecture positions as published by IGN/INSEE), rounded by hand for this schematic map; this file is
/// Callback's own and carries the project's licence. Shapes were left out on purpose: a few kilobytes instead of a
/// megabyte of GeoJSON, and a marker per département is what a supervisor scans for.
/// </summary>
public static class DepartementMapData
{
    public static IReadOnlyList<MapDepartement> Metropolitan { get; } =
    [
        new("01", "Ain", 46.21, 5.23),
        new("02", "Aisne", 49.56, 3.62),
        new("03", "Allier", 46.57, 3.33),
        new("04", "Alpes-de-Haute-Provence", 44.09, 6.24),
        new("05", "Hautes-Alpes", 44.56, 6.08),
        new("06", "Alpes-Maritimes", 43.70, 7.27),
        new("07", "Ardèche", 44.74, 4.60),
        new("08", "Ardennes", 49.77, 4.72),
        new("09", "Ariège", 42.97, 1.61),
        new("10", "Aube", 48.30, 4.08),
        new("11", "Aude", 43.21, 2.35),
        new("12", "Aveyron", 44.35, 2.57),
        new("13", "Bouches-du-Rhône", 43.30, 5.37),
        new("14", "Calvados", 49.18, -0.37),
        new("15", "Cantal", 44.93, 2.44),
        new("16", "Charente", 45.65, 0.16),
        new("17", "Charente-Maritime", 46.16, -1.15),
        new("18", "Cher", 47.08, 2.40),
        new("19", "Corrèze", 45.27, 1.77),
        new("2A", "Corse-du-Sud", 41.93, 8.74),
        new("2B", "Haute-Corse", 42.70, 9.45),
        new("21", "Côte-d'Or", 47.32, 5.04),
        new("22", "Côtes-d'Armor", 48.51, -2.76),
        new("23", "Creuse", 46.17, 1.87),
        new("24", "Dordogne", 45.18, 0.72),
        new("25", "Doubs", 47.24, 6.02),
        new("26", "Drôme", 44.93, 4.89),
        new("27", "Eure", 49.02, 1.15),
        new("28", "Eure-et-Loir", 48.45, 1.49),
        new("29", "Finistère", 47.99, -4.10),
        new("30", "Gard", 43.84, 4.36),
        new("31", "Haute-Garonne", 43.60, 1.44),
        new("32", "Gers", 43.65, 0.59),
        new("33", "Gironde", 44.84, -0.58),
        new("34", "Hérault", 43.61, 3.88),
        new("35", "Ille-et-Vilaine", 48.11, -1.68),
        new("36", "Indre", 46.81, 1.69),
        new("37", "Indre-et-Loire", 47.39, 0.69),
        new("38", "Isère", 45.19, 5.72),
        new("39", "Jura", 46.67, 5.55),
        new("40", "Landes", 43.89, -0.50),
        new("41", "Loir-et-Cher", 47.59, 1.33),
        new("42", "Loire", 45.44, 4.39),
        new("43", "Haute-Loire", 45.04, 3.88),
        new("44", "Loire-Atlantique", 47.22, -1.55),
        new("45", "Loiret", 47.90, 1.91),
        new("46", "Lot", 44.45, 1.44),
        new("47", "Lot-et-Garonne", 44.20, 0.62),
        new("48", "Lozère", 44.52, 3.50),
        new("49", "Maine-et-Loire", 47.47, -0.55),
        new("50", "Manche", 49.12, -1.09),
        new("51", "Marne", 48.96, 4.36),
        new("52", "Haute-Marne", 48.11, 5.14),
        new("53", "Mayenne", 48.07, -0.77),
        new("54", "Meurthe-et-Moselle", 48.69, 6.18),
        new("55", "Meuse", 48.77, 5.16),
        new("56", "Morbihan", 47.66, -2.76),
        new("57", "Moselle", 49.12, 6.18),
        new("58", "Nièvre", 46.99, 3.16),
        new("59", "Nord", 50.63, 3.06),
        new("60", "Oise", 49.43, 2.08),
        new("61", "Orne", 48.43, 0.09),
        new("62", "Pas-de-Calais", 50.29, 2.78),
        new("63", "Puy-de-Dôme", 45.78, 3.09),
        new("64", "Pyrénées-Atlantiques", 43.30, -0.37),
        new("65", "Hautes-Pyrénées", 43.23, 0.08),
        new("66", "Pyrénées-Orientales", 42.70, 2.90),
        new("67", "Bas-Rhin", 48.58, 7.75),
        new("68", "Haut-Rhin", 48.08, 7.36),
        new("69", "Rhône", 45.76, 4.84),
        new("70", "Haute-Saône", 47.62, 6.15),
        new("71", "Saône-et-Loire", 46.31, 4.83),
        new("72", "Sarthe", 48.00, 0.20),
        new("73", "Savoie", 45.56, 5.92),
        new("74", "Haute-Savoie", 45.90, 6.13),
        new("75", "Paris", 48.86, 2.35),
        new("76", "Seine-Maritime", 49.44, 1.10),
        new("77", "Seine-et-Marne", 48.54, 2.66),
        new("78", "Yvelines", 48.80, 2.13),
        new("79", "Deux-Sèvres", 46.32, -0.46),
        new("80", "Somme", 49.89, 2.30),
        new("81", "Tarn", 43.93, 2.15),
        new("82", "Tarn-et-Garonne", 44.02, 1.35),
        new("83", "Var", 43.12, 5.93),
        new("84", "Vaucluse", 43.95, 4.81),
        new("85", "Vendée", 46.67, -1.43),
        new("86", "Vienne", 46.58, 0.34),
        new("87", "Haute-Vienne", 45.83, 1.26),
        new("88", "Vosges", 48.17, 6.45),
        new("89", "Yonne", 47.80, 3.57),
        new("90", "Territoire-de-Belfort", 47.64, 6.86),
        new("91", "Essonne", 48.63, 2.44),
        new("92", "Hauts-de-Seine", 48.89, 2.21),
        new("93", "Seine-Saint-Denis", 48.91, 2.44),
        new("94", "Val-de-Marne", 48.79, 2.46),
        new("95", "Val-d'Oise", 49.04, 2.08),
    ];

    /// <summary>Overseas départements, shown as insets in this order.</summary>
    public static IReadOnlyList<MapDepartement> Overseas { get; } =
    [
        new("971", "Guadeloupe", 16.24, -61.53),
        new("972", "Martinique", 14.60, -61.07),
        new("973", "Guyane", 4.94, -52.33),
        new("974", "La Réunion", -20.88, 55.45),
        new("976", "Mayotte", -12.78, 45.23),
    ];

    public static MapDepartement? Find(string code) =>
        Metropolitan.FirstOrDefault(d => d.Code == code) ?? Overseas.FirstOrDefault(d => d.Code == code);
}
