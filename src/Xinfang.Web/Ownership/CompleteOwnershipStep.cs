using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Ownership;

/// <summary>An owning leader marks one step of the plan (一案一策) done, with what was done; on the timeline as OwnershipPlan.</summary>
public sealed class CompleteOwnershipStep(XinfangDb db, OwnedMatters owned, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, Guid stepId, StepDoneRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var (m, refusal) = await owned.OpenForOwnerAsync(id, staff, ifMatch, ct);
        if (m is null) return refusal!;
        var step = await db.Set<OwnershipStep>().FirstOrDefaultAsync(s => s.Id == stepId && s.OwnershipId == id, ct);
        if (step is null) return Problems.NotFound("方案步骤");
        if (step.DoneAt is not null) return Problems.Make(StatusCodes.Status409Conflict, "step-done", "该步骤已完成");
        var errors = new Dictionary<string, string[]>();
        var note = OwnedMatters.Text(body?.Note, "note", "完成情况", OwnershipLimits.Note, required: false, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        step.DoneAt = now;
        step.DoneByUserId = staff.User.Id;
        step.DoneNote = note;
        m.Ownership.Version++;
        var e = m.Petition.Annotate(PetitionAction.OwnershipPlan, staff.Actor, now, $"完成方案步骤：{step.Title}" + (note is null ? "" : "。" + note),
            new { ownershipId = id, stepId, done = true });
        return await owned.SaveAsync(m, e, staff, ifMatch, ct);
    }
}
