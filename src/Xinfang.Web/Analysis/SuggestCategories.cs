using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Analysis;

/// <summary>What the registration form sends: the text typed so far and the region of the matter (事项所在地).</summary>
public sealed record SuggestRequest(string? Title, string? Content, string? RegionCode);

/// <summary>One suggested category: the model's label, the taxonomy code and name when the label is known, and its score (0–1).</summary>
public sealed record CategorySuggestion(string? Code, string Name, double Score);

/// <summary>
/// Up to three categories, best first, and the units the routing rules propose for the region and the best
/// category. <see cref="Message"/> (Chinese) says why there are no categories (no model yet) or that the model
/// is stale (corrected since it was trained); <see cref="ModelVersion"/> is null without a model.
/// </summary>
public sealed record Suggestion(
    IReadOnlyList<CategorySuggestion> Categories, IReadOnlyList<SuggestedUnit> Units, string? Message,
    int? ModelVersion, DateTimeOffset? ModelTrainedAt, bool ModelStale);

/// <summary>Suggest result: exactly one of a suggestion, validation errors, or a refusal (forbidden).</summary>
public sealed record SuggestResult(Suggestion? Suggestion, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Category and routing suggestions (issue #4) for the registration form: the category model's top 3 for the
/// title and content, and the responsible units from the routing rules (<see cref="MatchRoutingRules"/>) for the
/// region and the best category. Without a trained model the units are still proposed (rules for any category).
/// </summary>
public sealed class SuggestCategories(XinfangDb db, CategoryModels models)
{
    public const int MaxTextLength = 20_000;
    public const string NoModel = "尚未训练问题分类模型，暂无类别建议。系统管理员可运行 xinfang text train 训练。";
    public const string StaleModel = "问题类别已有人工更正，模型将在后台重新训练。";

    public async Task<SuggestResult?> HandleAsync(Staff staff, SuggestRequest r, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return null;
        var errors = new Dictionary<string, string[]>();
        var title = r.Title?.Trim() ?? "";
        var content = r.Content?.Trim() ?? "";
        if (title.Length == 0 && content.Length == 0) errors["title"] = ["请填写标题或内容"];
        if (title.Length + content.Length > MaxTextLength) errors["content"] = [$"标题和内容合计不超过{MaxTextLength}个字符"];
        var region = string.IsNullOrWhiteSpace(r.RegionCode) ? null : r.RegionCode.Trim();
        if (region is not null && !Unit.IsRegionCode(region)) errors["regionCode"] = ["行政区划代码应为6位或9位数字"];
        if (errors.Count > 0) return new(null, errors);

        var model = await models.LatestAsync(db, ct);
        var categories = new List<CategorySuggestion>();
        var stale = false;
        if (model is not null)
        {
            var top = model.Classifier.Top(title, content, 3);
            var labels = top.Select(t => t.Category).ToList();
            var known = await db.Categories.AsNoTracking().Where(c => labels.Contains(c.Code) || labels.Contains(c.Name)).ToListAsync(ct);
            foreach (var t in top)
            {
                var c = known.FirstOrDefault(k => k.Code == t.Category) ?? known.FirstOrDefault(k => k.Name == t.Category);
                categories.Add(new CategorySuggestion(c?.Code, c?.Name ?? t.Category, Math.Round(t.Score, 4)));
            }
            stale = await db.CategoryCorrections.CountAsync(ct) > model.CorrectionsSeen;
        }
        var units = region is null ? [] : await MatchRoutingRules.SuggestAsync(region, categories.FirstOrDefault()?.Code, db, ct);
        var message = model is null ? NoModel : stale ? StaleModel : null;
        return new(new Suggestion(categories, units, message, model?.Version, model?.TrainedAt, stale));
    }
}
