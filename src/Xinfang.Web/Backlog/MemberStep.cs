using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Backlog;

/// <summary>What a member step needs: the campaign as the caller reaches it, the member, its matter (tracked) and who acts.</summary>
public sealed record MemberContext(CampaignReach Reach, BacklogMember Member, Petition Petition, MemberActor Actor, DateTimeOffset Now, int RecheckDays);

/// <summary>
/// Runs one step of a member's lifecycle (report, audit, re-check) for a staff member: finds the campaign and the
/// member within reach (404), the matter within the caller's jurisdiction (404), honours If-Match, applies the
/// domain's rule, writes its annotations on the matter's timeline and its notices, and saves member, matter,
/// events, notices and audit rows in one transaction guarded by both versions.
/// </summary>
public sealed class MemberStep(XinfangDb db, TimeProvider time, PetitionWorkflow workflow, Notifier notifier, MemberLedger ledger, IOptions<BacklogOptions> options)
{
    public async Task<IResult> RunAsync(Guid campaignId, Guid memberId, Staff staff, int? ifMatch,
        Func<MemberContext, Task<MemberOutcome>> step, CancellationToken ct)
    {
        if (await BacklogAccess.ReachAsync(db, staff, campaignId, ct) is not { } reach) return BacklogAccess.NotFound();
        var member = await reach.Members(db, staff).FirstOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null) return BacklogAccess.MemberNotFound();
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == member.PetitionId, ct);
        if (petition is null) return BacklogAccess.MemberNotFound();
        if (ifMatch is { } expected && expected != member.Version) return Problems.StaleVersion(member.Version);

        var context = new MemberContext(reach, member, petition, reach.ActorFor(staff, member), time.GetUtcNow(), options.Value.RecheckDays);
        var outcome = await step(context);
        if (outcome.Error is { } error) return Problems.Of(error);

        // Struck off, the matter is no longer a backlog case — unless another campaign still lists it; sent back or
        // relapsed, it is one again.
        var listedElsewhere = member.Status == MemberStatus.StruckOff && await db.Set<BacklogMember>()
            .AnyAsync(m => m.PetitionId == petition.Id && m.Id != member.Id && m.Status != MemberStatus.StruckOff, ct);
        petition.MarkBacklog(member.Status != MemberStatus.StruckOff || listedElsewhere);
        var events = outcome.Annotations!.Select(a => petition.Annotate(a.Action, staff.Actor, context.Now, a.Note, a.Data)).ToList();
        foreach (var e in events.SkipLast(1)) db.PetitionEvents.Add(e);
        return await workflow.SaveStepAsync(petition, events[^1], ct) switch
        {
            PetitionWorkflow.StepSaved.Conflict => ifMatch is null ? Problems.ConcurrentChange() : Problems.StaleVersion(member.Version - 1),
            PetitionWorkflow.StepSaved.TooLong => Problems.Validation("body", "内容过长"),
            _ => new ETagged(TypedResults.Ok((await ledger.ToRowsAsync([member], staff, ct))[0]), member.Version),
        };
    }

    public static string LinkOf(BacklogMember m) => $"/staff/backlog/{m.CampaignId}#member-{m.Id:N}";

    /// <summary>A notice to the member's owner (numbers only, never the petitioner's data), saved with the step.</summary>
    public async Task NotifyOwnerAsync(BacklogMember m, string title, string body, CancellationToken ct)
    {
        var unit = await db.Users.AsNoTracking().Where(u => u.Id == m.OwnerUserId).Select(u => (Guid?)u.UnitId).FirstOrDefaultAsync(ct);
        if (unit is null) return;
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = unit.Value, RecipientUserId = m.OwnerUserId, Kind = NotificationKinds.Backlog, PetitionId = m.PetitionId,
            Link = LinkOf(m), Title = title, Body = body,
        }, ct);
    }

    /// <summary>A notice to the campaign's unit, where its supervisors audit and re-check.</summary>
    public Task NotifyCampaignUnitAsync(CampaignReach reach, BacklogMember m, string title, string body, CancellationToken ct) =>
        notifier.SendAsync(new Notification
        {
            RecipientUnitId = reach.Campaign.UnitId, Kind = NotificationKinds.Backlog, PetitionId = m.PetitionId, Link = LinkOf(m), Title = title, Body = body,
        }, ct);
}
