using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;

namespace Xinfang.Web.Ownership;

/// <summary>
/// Ends an ownership without an outcome (解除包案: the matter no longer needs a leader's ownership, or a new
/// ownership is to start afresh), by whoever may assign one, with the reason. Recorded on the timeline as an
/// OwnershipAssign annotation; the leaders are told.
/// </summary>
public sealed class ReleaseOwnership(XinfangDb db, OwnedMatters owned, Notifier notifier, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, ReleaseOwnershipRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var (m, refusal) = await owned.OpenForAssignerAsync(id, staff, ifMatch, ct);
        if (m is null) return refusal!;
        var errors = new Dictionary<string, string[]>();
        var note = OwnedMatters.Text(body?.Note, "note", "解除理由", OwnershipLimits.Text, required: true, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        var o = m.Ownership;
        o.Status = OwnershipStatus.Released;
        o.EndedAt = now;
        o.EndedByUserId = staff.User.Id;
        o.EndNote = note;
        o.Version++;
        // The leaders stay on record as the ones who owned it until the release.
        var leaders = await db.Set<OwnershipLeader>().AsNoTracking().Where(l => l.OwnershipId == o.Id && l.ReleasedAt == null).ToListAsync(ct);
        var e = m.Petition.Annotate(PetitionAction.OwnershipAssign, staff.Actor, now, "解除包案：" + note,
            new { ownershipId = o.Id, released = leaders.Select(l => l.UserId), ended = "released" });
        foreach (var l in leaders)
            await notifier.SendAsync(new Notification
            {
                RecipientUnitId = l.UnitId, RecipientUserId = l.UserId, Kind = NotificationKinds.Ownership, PetitionId = m.Petition.Id,
                Title = $"包案解除：{m.Petition.Number}", Link = $"/staff/ownership/{o.Id}",
                Body = $"信访事项 {m.Petition.Number} 的领导包案已解除。",
            }, ct);
        return await owned.SaveAsync(m, e, staff, ifMatch, ct);
    }
}
