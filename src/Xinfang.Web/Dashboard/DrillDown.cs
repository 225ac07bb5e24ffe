using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Measures;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Dashboard;

/// <summary>What a figure's drill-down asks: the measure, the scope and period, and one breakdown value at most.</summary>
public sealed record DrillCriteria(string? Measure, string? UnitId, string? From, string? To, string? Category, string? Channel, string? Region, string? Level, string? Child);

public sealed record DrillRow(Guid Id, string Number, string Title, PetitionStatus Status, DateOnly ReceivedOn, DateOnly? DueOn, DateOnly? DoneOn);
public sealed record DrillList(string Measure, string MeasureName, string UnitName, DateOnly From, DateOnly To, IReadOnlyList<DrillRow> Rows, bool Truncated);

/// <summary>
/// The matters behind a figure (/staff/dashboard/drill): the same definitions as the counts (Tallies), read from
/// measure_facts, limited to what the caller may open (Jurisdiction), newest first, at most <see cref="Limit"/>.
/// </summary>
public sealed class DrillDown(XinfangDb db, MeasureQueries queries)
{
    public const int Limit = 500;

    public static readonly IReadOnlyDictionary<string, string> Measures = new Dictionary<string, string>
    {
        ["received"] = "收件",
        ["repeat"] = "重复信访",
        ["disposal.due"] = "应及时受理（期限在本期间）",
        ["disposal.ontime"] = "按期受理（转送、交办、受理或不予受理）",
        ["disposal.late"] = "超期受理",
        ["disposal.overdue"] = "逾期未受理",
        ["handle.due"] = "应按期办结（办理期限在本期间）",
        ["handle.ontime"] = "按期出具意见书",
        ["handle.late"] = "超期出具意见书",
        ["handle.overdue"] = "逾期未答复",
        ["overdue"] = "当前超期（未受理或未答复）",
        ["replied"] = "已答复",
        ["rated"] = "已评价",
        ["satisfied"] = "满意或基本满意",
        ["closed"] = "办结",
        ["resolved.first"] = "一次性化解",
    };

    public async Task<(DrillList? List, ScopeResult Scope)> HandleAsync(Staff staff, DrillCriteria c, CancellationToken ct)
    {
        var measure = c.Measure ?? "received";
        if (!Measures.TryGetValue(measure, out var name)) return (null, new ScopeResult(null, new() { ["measure"] = ["未知的指标"] }));
        var scope = await queries.ScopeAsync(staff, c.UnitId, c.From, c.To, ct);
        if (scope.Scope is not { } s) return (null, scope);
        var path = s.Unit.Path;
        if (c.Child is { Length: > 0 } child)
            path = Guid.TryParseExact(child, "N", out var childId)
                ? await db.Units.AsNoTracking().Where(u => u.Id == childId && u.Path.StartsWith(path)).Select(u => u.Path).FirstOrDefaultAsync(ct) ?? "\u0000"
                : "\u0000";
        var units = db.Units.Where(u => u.Path.StartsWith(path));
        if (int.TryParse(c.Level, out var level)) units = units.Where(u => u.Level == level);
        var unitIds = units.Select(u => u.Id);
        var (from, to, today) = (s.From, s.To, s.Today);
        var facts = db.MeasureFacts.AsNoTracking();
        Expression<Func<PetitionFacts, bool>> received = f => unitIds.Contains(f.ReceivingUnitId);
        Expression<Func<PetitionFacts, bool>> handled = f => unitIds.Contains(f.ResponsibleUnitId ?? f.ReceivingUnitId);
        facts = measure switch
        {
            "received" or "repeat" => facts.Where(received).Where(f => f.ReceivedOn >= from && f.ReceivedOn <= to && (measure != "repeat" || f.Repeat)),
            "disposal.due" => facts.Where(received).Where(f => f.DisposalDueOn >= from && f.DisposalDueOn <= to && (f.DisposedOn != null || (!f.Withdrawn && f.DisposalDueOn < today))),
            "disposal.ontime" => facts.Where(received).Where(f => f.DisposalDueOn >= from && f.DisposalDueOn <= to && f.DisposedOn != null && f.DisposedOn <= f.DisposalDueOn),
            "disposal.late" => facts.Where(received).Where(f => f.DisposalDueOn >= from && f.DisposalDueOn <= to && f.DisposedOn != null && f.DisposedOn > f.DisposalDueOn),
            "disposal.overdue" => facts.Where(received).Where(f => f.DisposalDueOn >= from && f.DisposalDueOn <= to && f.DisposedOn == null && !f.Withdrawn && f.DisposalDueOn < today),
            "handle.due" => facts.Where(handled).Where(f => f.HandleDueOn >= from && f.HandleDueOn <= to && (f.RepliedOn != null || (f.ClosedOn == null && !f.Withdrawn && f.HandleDueOn < today))),
            "handle.ontime" => facts.Where(handled).Where(f => f.HandleDueOn >= from && f.HandleDueOn <= to && f.RepliedOn != null && f.RepliedOn <= f.HandleDueOn),
            "handle.late" => facts.Where(handled).Where(f => f.HandleDueOn >= from && f.HandleDueOn <= to && f.RepliedOn != null && f.RepliedOn > f.HandleDueOn),
            "handle.overdue" => facts.Where(handled).Where(f => f.HandleDueOn >= from && f.HandleDueOn <= to && f.RepliedOn == null && f.ClosedOn == null && !f.Withdrawn && f.HandleDueOn < today),
            // Overdue now, whatever the period (the dashboard's "overdue by unit").
            "overdue" => facts.Where(f => (unitIds.Contains(f.ReceivingUnitId) && f.DisposedOn == null && !f.Withdrawn && f.DisposalDueOn < today)
                || (unitIds.Contains(f.ResponsibleUnitId ?? f.ReceivingUnitId) && f.HandleDueOn != null && f.RepliedOn == null && f.ClosedOn == null && !f.Withdrawn && f.HandleDueOn < today)),
            "replied" or "rated" or "satisfied" => facts.Where(handled).Where(f => f.RepliedOn >= from && f.RepliedOn <= to
                && (measure == "replied" || f.Rating != null)
                && (measure != "satisfied" || f.Rating == SatisfactionLevel.Satisfied || f.Rating == SatisfactionLevel.BasicallySatisfied)),
            _ => facts.Where(handled).Where(f => f.ClosedOn >= from && f.ClosedOn <= to && (measure == "closed" || (!f.ReviewRequested && !f.RepeatedWithin90))),
        };
        if (!string.IsNullOrEmpty(c.Category)) facts = facts.Where(f => f.Category == (c.Category == "none" ? "" : c.Category));
        if (Enum.TryParse<Channel>(c.Channel, ignoreCase: true, out var channel)) facts = facts.Where(f => f.Channel == channel);
        if (!string.IsNullOrEmpty(c.Region)) facts = facts.Where(f => f.RegionCode == c.Region);

        var rows = await (from p in Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff))
                          join f in facts on p.Id equals f.PetitionId
                          orderby f.ReceivedOn descending, p.Number descending
                          select new { p.Id, p.Number, p.Title, p.Status, f.ReceivedOn, f.DisposalDueOn, f.HandleDueOn, f.DisposedOn, f.RepliedOn, f.ClosedOn })
            .Take(Limit + 1).ToListAsync(ct);
        var list = rows.Take(Limit).Select(r => new DrillRow(r.Id, r.Number, r.Title, r.Status, r.ReceivedOn,
            measure.StartsWith("handle", StringComparison.Ordinal) ? r.HandleDueOn : measure.StartsWith("disposal", StringComparison.Ordinal) ? r.DisposalDueOn : r.HandleDueOn ?? (r.DisposedOn is null ? r.DisposalDueOn : null),
            measure.StartsWith("disposal", StringComparison.Ordinal) ? r.DisposedOn : measure.StartsWith("closed", StringComparison.Ordinal) || measure == "resolved.first" ? r.ClosedOn : r.RepliedOn)).ToList();
        return (new DrillList(measure, name, s.Unit.Name, from, to, list, rows.Count > Limit), scope);
    }
}
