using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Xinfang.Web.Ledgers;

namespace Xinfang.Web.Documents;

/// <summary>A block of a generated document: a paragraph, or a table whose first row is its header.</summary>
public abstract record DocumentBlock;
public sealed record ParagraphBlock(DocumentParagraph Paragraph) : DocumentBlock;
public sealed record TableBlock(IReadOnlyList<IReadOnlyList<string>> Rows) : DocumentBlock;

/// <summary>
/// Builds a DOCX in the plain layout of Chinese official documents (党政机关公文格式 GB/T 9704 in outline):
/// A4, margins 37/35/28/26 mm, title in 小标宋 二号 (22 pt) centred, body in 仿宋 三号 (16 pt) with a fixed
/// 28 pt line and a two-character first-line indent. Text goes into w:t elements through the SDK, which
/// escapes it: nothing in a value can become markup.
/// </summary>
public static class Docx
{
    const string TitleFont = "方正小标宋简体";
    const string BodyFont = "仿宋";
    const string HeadingFont = "黑体";

    public static byte[] Build(string title, IEnumerable<DocumentBlock> blocks)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            doc.PackageProperties.Title = LedgerCells.XmlSafe(title);
            doc.PackageProperties.Creator = "信访工作台";
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            foreach (var block in blocks)
                body.Append(block switch
                {
                    ParagraphBlock p => Paragraph(p.Paragraph),
                    TableBlock t => Table(t.Rows),
                    _ => throw new ArgumentOutOfRangeException(nameof(blocks)),
                });
            // Millimetres to twentieths of a point: 1 mm = 56.7 twips.
            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U, Gutter = 0U }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    public static IEnumerable<DocumentBlock> Blocks(IEnumerable<DocumentParagraph> paragraphs) => paragraphs.Select(p => (DocumentBlock)new ParagraphBlock(p));

    static Paragraph Paragraph(DocumentParagraph p)
    {
        var (font, halfPoints, bold, justification, indent) = p.Style switch
        {
            ParagraphStyle.Title => (TitleFont, "44", true, JustificationValues.Center, false),
            ParagraphStyle.Centered => (BodyFont, "32", false, JustificationValues.Center, false),
            ParagraphStyle.Heading => (HeadingFont, "32", false, JustificationValues.Left, true),
            ParagraphStyle.Left => (BodyFont, "32", false, JustificationValues.Left, false),
            ParagraphStyle.Right => (BodyFont, "32", false, JustificationValues.Right, false),
            _ => (BodyFont, "32", false, JustificationValues.Both, true),
        };
        var properties = new ParagraphProperties(
            new SpacingBetweenLines { Line = p.Style == ParagraphStyle.Title ? "720" : "560", LineRule = LineSpacingRuleValues.Exact, Before = "0", After = "0" },
            // Two characters of the body font: 2 × 16 pt = 640 twips.
            new Indentation { FirstLine = indent ? "640" : "0" },
            new Justification { Val = justification });
        var paragraph = new Paragraph(properties);
        if (p.Text.Length > 0) paragraph.Append(Run(p.Text, font, halfPoints, bold));
        return paragraph;
    }

    static Run Run(string text, string font, string halfPoints, bool bold)
    {
        var props = new RunProperties(new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font });
        if (bold) props.Append(new Bold());
        props.Append(new FontSize { Val = halfPoints });
        return new Run(props, new DocumentFormat.OpenXml.Wordprocessing.Text(LedgerCells.XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve });
    }

    static Table Table(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var border = () => new BorderType[]
        {
            new TopBorder { Val = BorderValues.Single, Size = 4U }, new LeftBorder { Val = BorderValues.Single, Size = 4U },
            new BottomBorder { Val = BorderValues.Single, Size = 4U }, new RightBorder { Val = BorderValues.Single, Size = 4U },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4U }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4U },
        };
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(border()),
            new TableLayout { Type = TableLayoutValues.Autofit }));
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var grid = new TableGrid();
        for (var i = 0; i < columns; i++) grid.Append(new GridColumn { Width = (8844 / Math.Max(columns, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        table.Append(grid);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new TableRow();
            for (var c = 0; c < columns; c++)
            {
                var text = c < rows[r].Count ? rows[r][c] : "";
                var paragraph = new Paragraph(new ParagraphProperties(
                    new SpacingBetweenLines { Line = "400", LineRule = LineSpacingRuleValues.Exact, Before = "0", After = "0" },
                    new Justification { Val = c == 0 ? JustificationValues.Left : JustificationValues.Center }));
                if (text.Length > 0) paragraph.Append(Run(text, r == 0 ? HeadingFont : BodyFont, "24", false));
                row.Append(new TableCell(new TableCellProperties(new TableCellWidth { Type = TableWidthUnitValues.Auto }), paragraph));
            }
            table.Append(row);
        }
        return table;
    }
}
