using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Xinfang.Web.Ledgers;

/// <summary>
/// Writes a ledger (台账) as it is read: rows come from an <see cref="IAsyncEnumerable{T}"/> (a keyset-paged
/// store query) and leave for the response body in chunks, so a 100,000-row ledger neither waits for the last
/// row before the first byte nor holds the file in memory.
/// <para>
/// XLSX: the Open XML SDK's packaging API needs a readable, seekable stream (it reads back relationships while
/// parts are added), which a response body is not. The package is therefore zipped here with
/// <see cref="ZipArchive"/>, which writes a non-seekable stream in create mode, and the worksheet is written
/// with the SDK's SAX-style <see cref="OpenXmlWriter"/>, one row at a time, as inline strings: no shared-string
/// table grows in memory, and no cell is ever a formula (a text beginning with = stays text).
/// </para>
/// <para>
/// CSV: UTF-8 with a byte-order mark (Excel reads Chinese correctly only with it), CRLF line ends and RFC 4180
/// quoting; a text a spreadsheet would take for a formula gets a leading apostrophe (OWASP CSV injection).
/// </para>
/// </summary>
public static class LedgerWriter
{
    /// <summary>Bytes gathered before they are handed to the response.</summary>
    const int ChunkBytes = 64 * 1024;

    /// <summary>Writes the ledger to <paramref name="body"/>; returns the number of rows written.</summary>
    public static Task<int> WriteAsync<T>(Stream body, LedgerFormat format, string sheetName, IReadOnlyList<LedgerColumn<T>> columns,
        IAsyncEnumerable<T> rows, CancellationToken ct) =>
        format == LedgerFormat.Xlsx ? WriteXlsxAsync(body, sheetName, columns, rows, ct) : WriteCsvAsync(body, columns, rows, ct);

    public static async Task<int> WriteCsvAsync<T>(Stream body, IReadOnlyList<LedgerColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var sink = new ChunkSink(body);
        await using var text = new StreamWriter(sink, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024) { NewLine = "\r\n" };
        WriteCsvLine(text, columns.Select(c => c.Header));
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            WriteCsvLine(text, columns.Select(c => CsvField(c.Value(row))));
            count++;
            if (sink.Pending >= ChunkBytes) { await text.FlushAsync(ct); await sink.DrainAsync(ct); }
        }
        await text.FlushAsync(ct);
        await sink.DrainAsync(ct);
        return count;
    }

    static void WriteCsvLine(TextWriter w, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first) w.Write(',');
            first = false;
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0) w.Write("\"" + f.Replace("\"", "\"\"") + "\"");
            else w.Write(f);
        }
        w.WriteLine();
    }

    /// <summary>A value as a CSV field, before quoting: a formula-like text is neutralised with a leading apostrophe.</summary>
    public static string CsvField(object? value)
    {
        if (LedgerCells.IsNumber(value)) return LedgerCells.Text(value);
        var s = LedgerCells.Text(value);
        return LedgerCells.LooksLikeFormula(s) ? "'" + s : s;
    }

    public static async Task<int> WriteXlsxAsync<T>(Stream body, string sheetName, IReadOnlyList<LedgerColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var sink = new ChunkSink(body);
        var count = 0;
        using (var zip = new ZipArchive(sink, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            Part(zip, "[Content_Types].xml", ContentTypes);
            Part(zip, "_rels/.rels", RootRelationships);
            Part(zip, "xl/workbook.xml", Workbook(sheetName));
            Part(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships);
            Part(zip, "xl/styles.xml", new Stylesheet(
                new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                          new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" })) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                new CellFormats(
                    new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
                    new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true }) { Count = 2 }).OuterXml);
            await sink.DrainAsync(ct);

            var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest);
            await using (var part = entry.Open())
            using (var w = OpenXmlWriter.Create(part, Encoding.UTF8))
            {
                var refs = Enumerable.Range(0, columns.Count).Select(ColumnName).ToArray();
                w.WriteStartDocument(true);
                w.WriteStartElement(new Worksheet());
                // The header row stays in view while scrolling.
                w.WriteElement(new SheetViews(new SheetView(new Pane
                {
                    VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
                }) { WorkbookViewId = 0 }));
                w.WriteElement(new Columns(columns.Select((c, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = c.Width, CustomWidth = true })));
                w.WriteStartElement(new SheetData());
                WriteRow(w, 1, refs, columns.Select(c => (object?)c.Header), header: true);
                var index = 1u;
                await foreach (var row in rows.WithCancellation(ct))
                {
                    WriteRow(w, ++index, refs, columns.Select(c => c.Value(row)), header: false);
                    count++;
                    if (sink.Pending >= ChunkBytes) await sink.DrainAsync(ct);
                }
                w.WriteEndElement(); // sheetData
                w.WriteEndElement(); // worksheet
            }
        }
        await sink.DrainAsync(ct);
        return count;
    }

    static void WriteRow(OpenXmlWriter w, uint index, string[] refs, IEnumerable<object?> values, bool header)
    {
        w.WriteStartElement(new Row(), new List<OpenXmlAttribute> { new("r", "", index.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        var i = 0;
        foreach (var value in values)
        {
            var reference = refs[i++] + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (value is null) continue;
            if (!header && LedgerCells.IsNumber(value))
            {
                w.WriteElement(new Cell(new CellValue(LedgerCells.Text(value))) { CellReference = reference, DataType = CellValues.Number });
                continue;
            }
            var text = LedgerCells.Text(value);
            if (text.Length == 0) continue;
            var cell = new Cell(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text) { Space = text.Trim().Length != text.Length ? SpaceProcessingModeValues.Preserve : null }))
            {
                CellReference = reference, DataType = CellValues.InlineString,
            };
            if (header) cell.StyleIndex = 1;
            w.WriteElement(cell);
        }
        w.WriteEndElement();
    }

    /// <summary>A, B, … Z, AA, AB…</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    static void Part(ZipArchive zip, string name, string xml)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml : """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + xml);
        s.Write(bytes);
    }

    const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """;

    const string RootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """;

    const string WorkbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """;

    static string Workbook(string sheetName)
    {
        // Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].
        var name = new string(LedgerCells.XmlSafe(sheetName).Where(c => !":\\/?*[]".Contains(c)).Take(31).ToArray());
        var wb = new Workbook(new Sheets(new Sheet { Name = name.Length == 0 ? "台账" : name, SheetId = 1, Id = "rId1" }));
        wb.AddNamespaceDeclaration("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        return wb.OuterXml;
    }

    /// <summary>
    /// Takes the zip writer's synchronous writes into memory and hands them to the response asynchronously
    /// (<see cref="DrainAsync"/>) between rows: Kestrel forbids synchronous writes to a response body, and the
    /// buffer never holds more than about one chunk.
    /// </summary>
    sealed class ChunkSink(Stream body) : Stream
    {
        readonly MemoryStream _pending = new();
        long _written;

        public long Pending => _pending.Length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        // ZipArchive reads the position of a non-seekable stream to record where entries begin.
        public override long Position { get => _written + _pending.Length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) { _pending.Write(buffer, offset, count); return Task.CompletedTask; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) { _pending.Write(buffer.Span); return ValueTask.CompletedTask; }

        public async Task DrainAsync(CancellationToken ct)
        {
            if (_pending.Length == 0) return;
            await body.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
            await body.FlushAsync(ct);
            _written += _pending.Length;
            _pending.SetLength(0);
        }
    }
}
