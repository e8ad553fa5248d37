using System.Text;
using System.Text.Unicode;
using CsvHelper;
using Callback.Domain.Localization;

namespace Callback.Domain.Intake;

/// <summary>
/// One data record of the file: where it starts, its values by field (null when the file has no such column), and
/// whether it has values in columns the header does not name.
/// </summary>
internal sealed record ImportRecord(int Line, string?[] Values, int FieldCount, bool HasValuesBeyondHeader);

/// <summary>A record set aside because its quoting makes a value ambiguous: rejected with its line.</summary>
internal sealed record MalformedRecord(int Line, string Reason);

/// <summary>
/// An import file, decoded and split into records: UTF-8 with or without a byte order mark, else Windows-1252;
/// <c>;</c> or <c>,</c> as separator, whichever the header line uses; RFC 4180 quoting, line breaks inside quotes
/// included. Anything that makes the whole file unreadable throws <see cref="ImportRefusedException"/>.
/// </summary>
internal sealed class ImportFile : IDisposable
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("The Windows-1252 code page is not available.");

    private readonly CsvReader _reader;
    private readonly Queue<(int Line, CsvMalformedReason Reason)> _quoting;
    private readonly List<MalformedRecord> _malformed = [];

    private ImportFile(CsvReader reader, Queue<(int Line, CsvMalformedReason Reason)> quoting, string encodingName, char separator, ImportHeader header)
    {
        _reader = reader;
        _quoting = quoting;
        EncodingName = encodingName;
        Separator = separator;
        Header = header;
    }

    public string EncodingName { get; }
    public char Separator { get; }
    public ImportHeader Header { get; }

    public static ImportFile Open(byte[] bytes, bool unitHasDefault)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (utf8, encodingName) = Decode(bytes);
        var separator = SeparatorOf(utf8);
        var quoting = new Queue<(int Line, CsvMalformedReason Reason)>();
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            TrackLineNumbers = true,
            // Told before the record is returned; Read decides what each quoting fault costs.
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => quoting.Enqueue(((int)m.LineNumber, m.Reason)),
            // The values are victims' personal data: keep them out of exception messages, which may reach a log.
            IncludeValuesInExceptions = false,
            DetectSeparatorHint = false,
        };
        var reader = CsvReader.Create(utf8, options);
        try
        {
            if (reader.Headers.Count == 0)
            {
                throw new ImportRefusedException(DomainText.Get("Import.EmptyNoHeader"));
            }

            return new ImportFile(reader, quoting, encodingName, separator, ImportHeader.Parse(reader.Headers, unitHasDefault));
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Records set aside for bad quoting, found so far: each is a rejected row.</summary>
    public IReadOnlyList<MalformedRecord> Malformed => _malformed;

    /// <summary>The data records in file order; blank lines are passed over. Each array is the record's own.</summary>
    public IEnumerable<ImportRecord> Records()
    {
        var fields = ImportColumns.All.Count;
        while (Read())
        {
            var allBlank = true;
            for (var i = 0; i < _reader.FieldCount && allBlank; i++)
            {
                allBlank = string.IsNullOrWhiteSpace(_reader.GetString(i));
            }

            if (allBlank)
            {
                continue;
            }

            var values = new string?[fields];
            for (var f = 0; f < fields; f++)
            {
                var index = Header.IndexOf((ImportField)f);
                values[f] = index < 0 ? null : _reader.GetString(index);
            }

            var beyond = false;
            for (var i = Header.ColumnCount; i < _reader.FieldCount && !beyond; i++)
            {
                beyond = !string.IsNullOrWhiteSpace(_reader.GetString(i));
            }

            yield return new ImportRecord((int)_reader.LineNumber, values, _reader.FieldCount, beyond);
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// Moves to the next record worth reading. A quote inside an unquoted value (<c>dit "stop"</c>) is kept as written,
    /// as spreadsheets read it. Text after a closing quote makes the value ambiguous: the record is set aside with its
    /// line. A quote never closed swallows every line after it into one value: no row after it can be trusted.
    /// </summary>
    private bool Read()
    {
        while (true)
        {
            var more = _reader.Read();
            var setAside = false;
            while (_quoting.TryDequeue(out var fault))
            {
                switch (fault.Reason)
                {
                    case CsvMalformedReason.UnterminatedQuote:
                        throw new ImportRefusedException(DomainText.Format("Import.QuoteNeverClosed", fault.Line));
                    case CsvMalformedReason.StrayQuote:
                        break;
                    default:
                        _malformed.Add(new MalformedRecord(fault.Line, Describe(fault.Reason)));
                        setAside = more && fault.Line == (int)_reader.LineNumber;
                        break;
                }
            }

            if (!setAside)
            {
                return more;
            }
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.TextAfterClosingQuote => DomainText.Get("Intake.TextAfterClosingQuote"),
        _ => DomainText.Format("Intake.RowCannotBeSplit", reason),
    };

    /// <summary>Strict UTF-8 first (a byte order mark is allowed), else Windows-1252, which Excel writes on French Windows.</summary>
    private static (byte[] Utf8, string EncodingName) Decode(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new ImportRefusedException(DomainText.Get("Import.Empty"));
        }

        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            throw new ImportRefusedException(DomainText.Get("Import.Utf16"));
        }

        if (LooksBinary(bytes))
        {
            throw new ImportRefusedException(DomainText.Get("Import.Binary"));
        }

        var bom = bytes is [0xEF, 0xBB, 0xBF, ..];
        if (Utf8.IsValid(bytes))
        {
            if (bom && bytes.Skip(3).All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                throw new ImportRefusedException(DomainText.Get("Import.Empty"));
            }

            return (bytes, bom ? "UTF-8 with BOM" : "UTF-8");
        }

        return (Encoding.UTF8.GetBytes(Windows1252.GetString(bytes)), "Windows-1252");
    }

    /// <summary>A NUL byte, or control characters (other than tab and line breaks) in more than 1% of the first 64 KiB.</summary>
    private static bool LooksBinary(byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return true;
        }

        var sample = bytes.AsSpan(0, Math.Min(bytes.Length, 64 * 1024));
        var controls = 0;
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                controls++;
            }
        }

        return controls * 100 > sample.Length;
    }

    /// <summary>The header line decides: the more frequent of <c>;</c> and <c>,</c> outside quotes, <c>;</c> on a tie.</summary>
    private static char SeparatorOf(byte[] utf8)
    {
        int semicolons = 0, commas = 0;
        var quoted = false;
        foreach (var b in utf8)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (!quoted && b == (byte)'\n')
            {
                break;
            }
            else if (!quoted && b == (byte)';')
            {
                semicolons++;
            }
            else if (!quoted && b == (byte)',')
            {
                commas++;
            }
        }

        return commas > semicolons ? ',' : ';';
    }
}
