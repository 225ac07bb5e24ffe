using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Ownership;

/// <summary>
/// 包案进展: an owning leader reports what happened (a visit, a joint meeting, a talk with the petitioner) and when;
/// not later than now, not before the ownership began. On the timeline as OwnershipProgress.
/// </summary>
public sealed class RecordOwnershipProgress(XinfangDb db, OwnedMatters owned, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, ProgressRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var (m, refusal) = await owned.OpenForOwnerAsync(id, staff, ifMatch, ct);
        if (m is null) return refusal!;
        var errors = new Dictionary<string, string[]>();
        var text = OwnedMatters.Text(body?.Text, "text", "进展情况", OwnershipLimits.Text, required: true, errors);
        var now = time.GetUtcNow();
        var at = body?.At ?? now;
        if (at > now) errors["at"] = ["进展时间不能晚于当前时间"];
        else if (at < m.Ownership.AssignedAt) errors["at"] = ["进展时间不能早于包案时间"];
        if (errors.Count > 0) return Problems.Validation(errors);

        db.Add(new OwnershipProgress { OwnershipId = id, At = at, RecordedAt = now, ByUserId = staff.User.Id, Text = text! });
        m.Ownership.Version++;
        var e = m.Petition.Annotate(PetitionAction.OwnershipProgress, staff.Actor, now, text, new { ownershipId = id, at = at.ToOffset(Domain.Deadlines.ChinaTime.Offset) });
        return await owned.SaveAsync(m, e, staff, ifMatch, ct);
    }
}
