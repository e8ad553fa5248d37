using System.Text;
using Callback.Domain.Intake;

namespace Callback.Domain.Tests.Intake;

/// <summary>Import files as bytes, written the ways spreadsheets write them.</summary>
internal static class ImportFiles
{
    public const string Header = "reference;unite;date_intervention;infraction;victime_nom;victime_prenom;victime_telephone;victime_adresse;auteur_nom;cohabitation;reponse_penale;enfants;notes";

    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
    public static readonly Encoding Utf8WithoutBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    public static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    public static byte[] Bytes(string text, Encoding? encoding = null)
    {
        encoding ??= Utf8WithoutBom;
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];
    }

    public static Encoding EncodingNamed(string name) => name switch
    {
        "UTF-8 with BOM" => Utf8WithBom,
        "UTF-8" => Utf8WithoutBom,
        "Windows-1252" => Windows1252,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static List<ImportRecord> Records(string text, Encoding? encoding = null, bool unitHasDefault = false)
    {
        using var file = ImportFile.Open(Bytes(text, encoding), unitHasDefault);
        return file.Records().ToList();
    }

    public static ImportRefusedException Refusal(byte[] bytes, bool unitHasDefault = false) =>
        Assert.Throws<ImportRefusedException>(() =>
        {
            using var file = ImportFile.Open(bytes, unitHasDefault);
            _ = file.Records().ToList();
        });

    public static string? Value(this ImportRecord record, ImportField field) => record.Values[(int)field];
}
