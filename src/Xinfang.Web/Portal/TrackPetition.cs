using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Portal;

/// <summary>The status page by number and query code: timeline, running clock, what happens next, what the petitioner may do.</summary>
public sealed class TrackPetition(XinfangDb db, PetitionerAccess access, PetitionWorkflow workflow, CalendarStore calendar, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<(PublicStatus? Status, PortalError? Error)> HandleAsync(string? number, string? queryCode, CancellationToken ct)
    {
        var (petition, error) = await access.OpenAsync(number, queryCode, ct, track: false);
        return petition is null ? (null, error) : (await StatusOf(petition, ct), null);
    }

    public async Task<PublicStatus> StatusOf(Petition p, CancellationToken ct)
    {
        var events = await db.PetitionEvents.AsNoTracking().Where(e => e.PetitionId == p.Id).OrderBy(e => e.Sequence).ToListAsync(ct);
        var unitIds = events.SelectMany(e => new[] { e.ActorUnitId, e.TargetUnitId }).OfType<Guid>().Append(p.HoldingUnitId).Append(p.ReceivingUnitId).Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        string? Name(Guid? id) => id is { } x && names.TryGetValue(x, out var n) ? n : null;

        // Supervision annotations (督办, 包案, 积案…) are the offices' internal record, not written to the petitioner.
        var timeline = events.Where(e => PetitionActions.IsStep(e.Action)).Select(e => Public(e, e.Action switch
        {
            PetitionAction.Register => Name(p.ReceivingUnitId),
            PetitionAction.Forward or PetitionAction.Assign or PetitionAction.RequestReview or PetitionAction.RequestReReview => Name(e.TargetUnitId),
            _ => Name(e.ActorUnitId),
        })).ToList();

        var today = ChinaTime.DateOf(time.GetUtcNow());
        var deadlines = calendar.Deadlines;
        var ratings = await db.SatisfactionRatings.AsNoTracking().Where(r => r.PetitionId == p.Id).ToListAsync(ct);
        var canRate = Satisfaction.CanRate(p, today, ratings.Select(r => r.Stage).ToList(), deadlines, options.Value.RatingWindowDays) is null;
        var reviewKind = p.Status switch { PetitionStatus.Replied when p.Type == PetitionType.Claim => "review", PetitionStatus.Reviewed => "reReview", _ => null };
        var window = reviewKind is null ? null : p.Clocks.FirstOrDefault(c => c.IsPetitionerWindow);
        var canReview = window is not null && window.IsOpenOn(today) && p.Route == HandlingRoute.PetitionProcedure;
        var bodies = canReview ? await workflow.ReviewBodiesAsync(p, ct) : new HashSet<Guid>();
        var bodyNames = await db.Units.AsNoTracking().Where(u => bodies.Contains(u.Id)).Select(u => new PublicBody(u.Id, u.Name)).ToListAsync(ct);
        var clock = PublicStatus.CurrentOf(p);
        return new PublicStatus(
            p.Number, p.Status, StatusNames.Of(p.Status), p.Type, p.Channel, p.ReceivedAt.ToOffset(ChinaTime.Offset), p.Title,
            clock is null ? null : new PublicClock(clock.Name, Names.Of(clock.Name), clock.DueOn, clock.State == ClockState.Paused),
            clock?.DueOn, PublicStatus.NextStepOf(p, Name(p.HoldingUnitId), clock), timeline,
            canRate, canRate ? Satisfaction.LatestAnswer(p)?.Stage : null,
            ratings.Select(r => new PublicRating(r.Stage, r.Level, Satisfaction.NameOf(r.Level))).ToList(),
            canReview, canReview ? reviewKind : null, canReview ? window!.DueOn : null, bodyNames,
            Workflow.Find(p.Status, PetitionAction.Withdraw) is not null);
    }

    /// <summary>Only what was written to the petitioner: decisions, opinions, reasons for declining or extending.</summary>
    static PublicEvent Public(PetitionEvent e, string? unitName)
    {
        var decision = DecisionOf(e);
        var text = e.Action switch
        {
            PetitionAction.Reply or PetitionAction.ReviewDecision or PetitionAction.ReReviewDecision => e.Note,
            PetitionAction.Decline or PetitionAction.Extend or PetitionAction.Withdraw => e.Note,
            PetitionAction.Close => e.ActorKind == ActorKind.System ? "申请复查（复核）期限届满，事项办结" : "事项办结",
            PetitionAction.Object => "承办单位认为不属于其职权范围，已退回信访部门重新办理",
            _ => null,
        };
        var hasDocument = e.Action is PetitionAction.Reply or PetitionAction.ReviewDecision or PetitionAction.ReReviewDecision;
        return new PublicEvent(e.Sequence, e.At.ToOffset(ChinaTime.Offset), ActionSlugs.Of(e.Action), ActionNames.Of(e.Action), unitName,
            decision, decision is { } d ? Names.Of(d) : null, text, hasDocument);
    }

    /// <summary>The decision an answering event recorded (reply, review or re-review opinion).</summary>
    public static Decision? DecisionOf(PetitionEvent e)
    {
        if (e.Data is null || e.Action is not (PetitionAction.Reply or PetitionAction.ReviewDecision or PetitionAction.ReReviewDecision)) return null;
        using var doc = System.Text.Json.JsonDocument.Parse(e.Data);
        return doc.RootElement.TryGetProperty("decision", out var d)
            ? Intake.RegisterPetition.ParseEnum<Decision>(d.GetString())
            : null;
    }
}
