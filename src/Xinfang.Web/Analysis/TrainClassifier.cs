using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Text.Classification;
using Xinfang.Text.Csv;
using Xinfang.Web.Data;

namespace Xinfang.Web.Analysis;

/// <summary>What a training run did: the stored model's version and size, or why nothing was stored (Chinese).</summary>
public sealed record TrainingResult(int? Version, int Samples, int Categories, string? Error = null)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Trains the category model (问题类别建议) and stores it as the next version. Examples come either from the
/// store — every petition whose category a clerk confirmed: the category chosen at registration and kept, or the
/// one a later correction set (the petition's current category either way); withdrawn matters are left out —
/// or from an imported labelled CSV <c>msg_id,title,detail,label</c> whose labels are category codes or names.
/// </summary>
public sealed class TrainClassifier(XinfangDb db, TimeProvider time)
{
    /// <summary>The newest confirmed petitions used; beyond this older ones add little and training time grows.</summary>
    public const int MaxSamples = 50_000;
    public const int MinSamples = 6;

    public async Task<TrainingResult> FromStoreAsync(CancellationToken ct)
    {
        var rows = await db.Petitions.AsNoTracking()
            .Where(p => p.CategoryCode != null && p.Status != PetitionStatus.Withdrawn)
            .OrderByDescending(p => p.RegisteredAt).Take(MaxSamples)
            .Select(p => new { p.Title, p.Content, p.CategoryCode }).ToListAsync(ct);
        return await TrainAsync(rows.Select(r => new LabelledText(r.Title, r.Content, r.CategoryCode!)).ToList(), "store", ct);
    }

    public async Task<TrainingResult> FromCsvAsync(Stream csv, CancellationToken ct)
    {
        var table = CsvTable.Read(csv);
        foreach (var column in new[] { "title", "detail", "label" })
            if (!table.HasColumn(column)) return new(null, 0, 0, $"CSV 缺少列 {column}（应为 msg_id,title,detail,label）");
        // Labels may be category names (as exported elsewhere): they are stored as the taxonomy's codes when known.
        var byName = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.Code, ct);
        var examples = table.Rows
            .Select(r => (Title: table.Cell(r, "title"), Detail: table.Cell(r, "detail"), Label: table.Cell(r, "label").Trim()))
            .Where(r => r.Label.Length > 0 && (r.Title.Length > 0 || r.Detail.Length > 0))
            .Select(r => new LabelledText(r.Title, r.Detail, byName.GetValueOrDefault(r.Label, r.Label)))
            .ToList();
        return await TrainAsync(examples, "csv", ct);
    }

    async Task<TrainingResult> TrainAsync(List<LabelledText> examples, string source, CancellationToken ct)
    {
        var categories = examples.Select(e => e.Category).Distinct().Count();
        if (examples.Count < MinSamples || categories < 2)
            return new(null, examples.Count, categories,
                $"训练样本不足：至少需要{MinSamples}件、两个以上问题类别的已确认事项（现有{examples.Count}件、{categories}个类别）");
        // The taxonomy's own names below each trained category are seed examples (docs/text-engine.md, Classifier).
        var taxonomy = await db.Categories.AsNoTracking()
            .Select(c => new TaxonomyNode(c.Code, c.Name, c.ParentCode)).ToListAsync(ct);
        var seeds = CategorySeeds.From(taxonomy, examples.Select(e => e.Category).ToHashSet());
        var classifier = await Task.Run(() => CategoryClassifier.Train([.. examples, .. seeds]), ct);
        var row = await CategoryModels.SaveAsync(db, classifier, examples.Count, source, time.GetUtcNow(), ct);
        return new(row.Version, examples.Count, classifier.Categories.Count);
    }

    public static string Describe(TrainingResult r) =>
        r.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"已训练问题分类模型 第{r.Version}版：{r.Samples}件样本，{r.Categories}个类别 (trained version {r.Version}: {r.Samples} samples, {r.Categories} categories).")
            : r.Error!;
}
