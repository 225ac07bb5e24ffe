using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Xinfang.Text.Csv;

/// <summary>
/// A CSV file with a header row (RFC 4180: quoted fields may hold commas, quotes doubled, and line breaks), read into
/// rows whose cells are looked up by column name. The caller opens the file; a leading UTF-8 BOM is dropped.
/// </summary>
public sealed class CsvTable
{
    readonly Dictionary<string, int> columns;

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    CsvTable(string[] header, List<string[]> rows)
    {
        Header = header;
        Rows = rows;
        columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++) columns.TryAdd(header[i], i);
    }

    static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        DetectColumnCountChanges = false,
        BadDataFound = null,
        MissingFieldFound = null,
        TrimOptions = TrimOptions.None,
    };

    /// <summary>Reads the whole table. A file with no header row is an error; rows may be shorter than the header (missing cells read as "").</summary>
    public static CsvTable Read(TextReader reader)
    {
        using var csv = new CsvReader(reader, Configuration, leaveOpen: true);
        if (!csv.Read()) throw new FormatException("CSV has no header row.");
        csv.ReadHeader();
        var header = csv.HeaderRecord!.Select((h, i) => i == 0 ? h.TrimStart('\uFEFF') : h).ToArray();
        var rows = new List<string[]>();
        while (csv.Read()) rows.Add(csv.Parser.Record ?? []);
        return new CsvTable(header, rows);
    }

    /// <summary>Reads from a stream, detecting a UTF-8 or UTF-16 byte-order mark, else UTF-8.</summary>
    public static CsvTable Read(Stream stream)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Read(reader);
    }

    public bool HasColumn(string name) => columns.ContainsKey(name);

    /// <summary>The cell of <paramref name="row"/> under <paramref name="column"/>; "" when the row is short. An unknown column is an error.</summary>
    public string Cell(string[] row, string column)
    {
        if (!columns.TryGetValue(column, out var i)) throw new FormatException($"CSV has no column '{column}' (has: {string.Join(", ", Header)}).");
        return i < row.Length ? row[i] : string.Empty;
    }

    /// <summary>Writes a header and rows, quoting where RFC 4180 requires it.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var h in header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var cell in row) csv.WriteField(cell);
            csv.NextRecord();
        }
        csv.Flush();
    }
}
