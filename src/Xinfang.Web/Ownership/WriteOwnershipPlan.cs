using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Ownership;

/// <summary>
/// 一案一策: an owning leader writes (or rewrites) the plan — what it sets out to do and its steps with due dates and
/// responsible units. The whole plan is sent each time, guarded by If-Match (412 on a stale version); a step sent
/// with the id of an existing one keeps its identity and whether it is done, and a done step cannot be dropped.
/// A responsible unit must see the matter in full already: a plan hands out work, it does not widen the
/// jurisdiction (only forwarding and assigning do that).
/// </summary>
public sealed class WriteOwnershipPlan(XinfangDb db, OwnedMatters owned, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, PlanRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var (m, refusal) = await owned.OpenForOwnerAsync(id, staff, ifMatch, ct);
        if (m is null) return refusal!;
        var o = m.Ownership;
        var errors = new Dictionary<string, string[]>();
        var summary = OwnedMatters.Text(body?.Summary, "summary", "化解方案", OwnershipLimits.Text, required: true, errors);
        var asked = body?.Steps ?? [];
        if (asked.Count == 0) errors["steps"] = ["请至少列出一个工作步骤"];
        else if (asked.Count > OwnershipLimits.MaxSteps) errors["steps"] = [$"工作步骤不超过{OwnershipLimits.MaxSteps}个"];

        var existing = await db.Set<OwnershipStep>().Where(s => s.OwnershipId == o.Id).ToListAsync(ct);
        var assignedOn = ChinaTime.DateOf(o.AssignedAt);
        var unitIds = asked.Select(s => s?.ResponsibleUnitId).OfType<Guid>().Distinct().ToList();
        // Units that see the matter in full: an access row, and not kept from an accusation (Art. 30 ¶3).
        var accused = m.Petition.Type == PetitionType.Accusation ? m.Petition.AccusedUnitId : null;
        var seeing = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id))
            .Where(u => db.PetitionAccess.Any(a => a.PetitionId == m.Petition.Id && a.UnitId == u.Id))
            .Select(u => new { u.Id, u.Path }).ToListAsync(ct);
        var allowed = seeing.Where(u => accused is not { } a || !u.Path.Contains("/" + a.ToString("N") + "/", StringComparison.Ordinal)).Select(u => u.Id).ToHashSet();
        var kept = new HashSet<Guid>();
        var plan = new List<(OwnershipStep? Old, string Title, DateOnly DueOn, Guid? Unit)>();
        for (var i = 0; i < Math.Min(asked.Count, OwnershipLimits.MaxSteps); i++)
        {
            var s = asked[i];
            var title = OwnedMatters.Text(s?.Title, $"steps[{i}].title", "步骤内容", OwnershipLimits.StepTitle, required: true, errors);
            if (s?.DueOn is not { } due) errors[$"steps[{i}].dueOn"] = ["请填写完成时限"];
            else if (due < assignedOn) errors[$"steps[{i}].dueOn"] = ["完成时限不能早于包案日期"];
            if (s?.ResponsibleUnitId is { } unit && !allowed.Contains(unit)) errors[$"steps[{i}].responsibleUnitId"] = ["责任单位应为能查看本事项的单位"];
            OwnershipStep? old = null;
            if (s?.Id is { } stepId)
            {
                old = existing.FirstOrDefault(x => x.Id == stepId);
                if (old is null || !kept.Add(stepId)) errors[$"steps[{i}].id"] = ["该步骤不属于本方案或重复出现"];
            }
            if (title is not null && s?.DueOn is { } d) plan.Add((old, title, d, s.ResponsibleUnitId));
        }
        if (existing.Any(x => x.DoneAt is not null && !kept.Contains(x.Id))) errors["steps"] = ["已完成的步骤不能删除"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        foreach (var gone in existing.Where(x => !kept.Contains(x.Id))) db.Remove(gone);
        for (var i = 0; i < plan.Count; i++)
        {
            var (old, title, dueOn, unit) = plan[i];
            var step = old ?? new OwnershipStep { OwnershipId = o.Id, Title = title };
            step.Position = i + 1;
            step.Title = title;
            step.DueOn = dueOn;
            step.ResponsibleUnitId = unit;
            if (old is null) db.Add(step);
        }
        var first = o.PlanSummary is null;
        o.PlanSummary = summary;
        o.PlanUpdatedAt = now;
        o.Version++;
        var e = m.Petition.Annotate(PetitionAction.OwnershipPlan, staff.Actor, now, (first ? "制定一案一策方案：" : "修改一案一策方案：") + summary,
            new { ownershipId = o.Id, steps = plan.Count, dueOn = plan.Max(s => s.DueOn) });
        return await owned.SaveAsync(m, e, staff, ifMatch, ct);
    }
}
