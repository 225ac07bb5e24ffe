using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Web.Data;
using Xinfang.Web.Ledgers;

namespace Xinfang.Web.Documents;

/// <summary>
/// An administrator's wording of a notice (table document_templates). Without a row the shipped default
/// (Documents/Templates/{slug}.txt, an embedded resource) applies; saving a template writes the row.
/// </summary>
public sealed class DocumentTemplate
{
    public required string Kind { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}

sealed class DocumentTemplateConfiguration : IEntityTypeConfiguration<DocumentTemplate>
{
    public void Configure(EntityTypeBuilder<DocumentTemplate> b)
    {
        b.ToTable("document_templates");
        b.HasKey(t => t.Kind);
        b.Property(t => t.Kind).HasMaxLength(40);
        b.Property(t => t.Body).HasMaxLength(DocumentTemplates.MaxLength);
    }
}

/// <summary>How a paragraph of a notice is set.</summary>
public enum ParagraphStyle
{
    /// <summary>"# …": the document's title, centred, large.</summary>
    Title,
    /// <summary>"## …": a centred line under the title (the document number).</summary>
    Centered,
    /// <summary>"&lt; …": flush left, not indented (the addressee "张三：").</summary>
    Left,
    /// <summary>"&gt; …": flush right (the issuing unit and the date).</summary>
    Right,
    /// <summary>"### …": a section heading, bold, flush left (the annual report's sections).</summary>
    Heading,
    /// <summary>Any other line: body text, first line indented by two characters.</summary>
    Body,
}

public sealed record DocumentParagraph(ParagraphStyle Style, string Text);

/// <summary>
/// Templates: plain text, one paragraph per line, with a few line markers (# title, ## centred line,
/// &lt; flush left, &gt; flush right, ### heading; an empty line is an empty paragraph) and placeholders
/// {{name}} (<see cref="Placeholders"/>). Markers are read before placeholders are filled, so nothing a
/// petitioner wrote can change a document's layout; values are set as text, never as markup.
/// </summary>
public static partial class DocumentTemplates
{
    public const int MaxLength = 20_000;

    /// <summary>The placeholders a template may use, with what they stand for (shown on the admin page and in docs).</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Placeholders =
    [
        ("number", "信访事项编号"),
        ("title", "信访事项标题"),
        ("petitionerName", "信访人姓名（多人以顿号分隔；匿名为“信访人”）"),
        ("receivedOn", "收到信访事项的日期"),
        ("unitName", "出具文书的单位（作出该步骤的单位）"),
        ("stepDate", "作出决定的日期（受理、不予受理、延期之日，或意见书送达之日）"),
        ("decision", "处理意见（予以支持、解释说明、不予支持）"),
        ("decisionText", "意见书正文，或不予受理、延期的理由，受理时的说明"),
        ("route", "受理后的办理途径（信访程序、诉讼程序等）"),
        ("redirect", "不予受理时告知的途径（诉讼、仲裁、行政复议等）"),
        ("extensionDays", "延长的天数"),
        ("dueOn", "期限：受理告知书为办理期限，延期告知书为延长后的期限，意见书为申请复查（复核）的截止日"),
        ("today", "生成文书的日期"),
    ];

    static readonly HashSet<string> Known = Placeholders.Select(p => p.Name).ToHashSet();

    [GeneratedRegex(@"\{\{\s*([A-Za-z]+)\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>The shipped wording of a kind.</summary>
    public static string Default(DocumentKind kind)
    {
        var name = $"Xinfang.Web.Documents.Templates.{DocumentKinds.Slug(kind)}.txt";
        using var s = typeof(DocumentTemplates).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException("missing resource " + name);
        using var r = new StreamReader(s);
        return r.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>The wording in force: the administrator's, else the default.</summary>
    public static async Task<(string Body, DocumentTemplate? Saved)> CurrentAsync(XinfangDb db, DocumentKind kind, CancellationToken ct)
    {
        var slug = DocumentKinds.Slug(kind);
        var saved = await db.Set<DocumentTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Kind == slug, ct);
        return (saved?.Body ?? Default(kind), saved);
    }

    /// <summary>What is wrong with a template an administrator submits (Chinese), or null.</summary>
    public static string? Check(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "模板内容不能为空";
        if (body.Length > MaxLength) return $"模板不超过{MaxLength}个字符";
        var unknown = PlaceholderPattern().Matches(body).Select(m => m.Groups[1].Value).Where(n => !Known.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0) return "未知的占位符：" + string.Join("、", unknown.Select(n => "{{" + n + "}}"));
        return null;
    }

    /// <summary>The template's paragraphs with the placeholders filled; a value's own line breaks make new paragraphs of the same style.</summary>
    public static IReadOnlyList<DocumentParagraph> Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var result = new List<DocumentParagraph>();
        foreach (var raw in template.Replace("\r\n", "\n").Split('\n'))
        {
            var (style, text) = raw switch
            {
                _ when raw.StartsWith("### ", StringComparison.Ordinal) => (ParagraphStyle.Heading, raw[4..]),
                _ when raw.StartsWith("## ", StringComparison.Ordinal) => (ParagraphStyle.Centered, raw[3..]),
                _ when raw.StartsWith("# ", StringComparison.Ordinal) => (ParagraphStyle.Title, raw[2..]),
                _ when raw.StartsWith("< ", StringComparison.Ordinal) => (ParagraphStyle.Left, raw[2..]),
                _ when raw.StartsWith("> ", StringComparison.Ordinal) => (ParagraphStyle.Right, raw[2..]),
                _ => (ParagraphStyle.Body, raw),
            };
            var filled = PlaceholderPattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : "");
            // A line of placeholders only, all empty (no note given at acceptance): no empty paragraph.
            if (filled.Trim().Length == 0 && PlaceholderPattern().Replace(text, "").Trim().Length == 0 && text.Trim().Length > 0) continue;
            foreach (var line in filled.Replace("\r\n", "\n").Split('\n'))
                result.Add(new DocumentParagraph(style, LedgerCells.XmlSafe(line.TrimEnd())));
        }
        // Trailing empty lines of a template are not worth a blank page.
        while (result.Count > 0 && result[^1].Text.Length == 0) result.RemoveAt(result.Count - 1);
        return result;
    }
}
