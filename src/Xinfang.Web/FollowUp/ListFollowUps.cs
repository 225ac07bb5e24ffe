using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.FollowUp;

/// <summary>A matter whose latest answer awaits (or had) its follow-up: the answer, who gave it, and until when it may be rated.</summary>
public sealed record FollowUpTask(Guid PetitionId, string Number, string Title, PetitionStatus Status, string StatusName, RatingStage Stage, string StageName,
    DateOnly AnsweredOn, Guid? DecidingUnitId, string? DecidingUnitName, DateOnly RatingOpenUntil, bool Rated, bool FollowedUp);

/// <summary>A matter's follow-ups and ratings, oldest first (the petition page and GET /api/v1/petitions/{id}/follow-ups).</summary>
public sealed record FollowUpRecord(IReadOnlyList<FollowUpView> FollowUps, IReadOnlyList<RatingView> Ratings, DateOnly? RatingOpenUntil);

/// <summary>
/// 回访 tasks as a query rather than a sweep: a matter is due when its latest answer (reply, review or re-review
/// opinion) was delivered and no follow-up of that stage is recorded yet. Within the caller's jurisdiction, and
/// only matters they see in full (a confidential accusation's notice is nobody's call to make, Art. 30 ¶3).
/// </summary>
public sealed class ListFollowUps(XinfangDb db, Ratings ratings)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <param name="due">true: answers without a follow-up yet (newest answers first); false: answers already followed up.</param>
    public async Task<IResult> TasksAsync(Staff staff, bool due, int? limit, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (limit is < 1 or > MaxLimit) return Problems.Validation("limit", $"limit 应为 1 到 {MaxLimit}");
        return TypedResults.Ok(new Listing<FollowUpTask>(await TaskListAsync(staff, due, limit ?? DefaultLimit, ct)));
    }

    public async Task<List<FollowUpTask>> TaskListAsync(Staff staff, bool due, int limit, CancellationToken ct)
    {
        var followUps = db.Set<PetitionFollowUp>();
        var answered = Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff))
            .Where(p => p.RepliedOn != null || p.ReviewedOn != null || p.ReReviewedOn != null)
            .Where(p => p.Status != PetitionStatus.Withdrawn);
        // The stage of the latest answer, spelt out so every provider compares the stored enum strings alike.
        System.Linq.Expressions.Expression<Func<Petition, bool>> followedUp = p =>
            (p.ReReviewedOn != null && followUps.Any(f => f.PetitionId == p.Id && f.Stage == RatingStage.ReReview))
            || (p.ReReviewedOn == null && p.ReviewedOn != null && followUps.Any(f => f.PetitionId == p.Id && f.Stage == RatingStage.Review))
            || (p.ReReviewedOn == null && p.ReviewedOn == null && followUps.Any(f => f.PetitionId == p.Id && f.Stage == RatingStage.Reply));
        var chosen = answered.Where(due ? System.Linq.Expressions.Expression.Lambda<Func<Petition, bool>>(System.Linq.Expressions.Expression.Not(followedUp.Body), followedUp.Parameters) : followedUp);
        var rows = await chosen.OrderByDescending(p => p.ReReviewedOn ?? p.ReviewedOn ?? p.RepliedOn).ThenBy(p => p.Number).Take(limit)
            .Select(p => new { p.Id, p.Number, p.Title, p.Status, p.RepliedOn, p.ReviewedOn, p.ReReviewedOn, p.DecidingUnitId })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var rated = await db.SatisfactionRatings.AsNoTracking().Where(r => ids.Contains(r.PetitionId)).Select(r => new { r.PetitionId, r.Stage }).ToListAsync(ct);
        var unitIds = rows.Select(r => r.DecidingUnitId).OfType<Guid>().Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return rows.Select(r =>
        {
            var (stage, on) = r.ReReviewedOn is { } rr ? (RatingStage.ReReview, rr) : r.ReviewedOn is { } rv ? (RatingStage.Review, rv) : (RatingStage.Reply, r.RepliedOn!.Value);
            return new FollowUpTask(r.Id, r.Number, r.Title, r.Status, StatusNames.Of(r.Status), stage, Ratings.StageName(stage), on,
                r.DecidingUnitId, r.DecidingUnitId is { } d ? names.GetValueOrDefault(d) : null, ratings.WindowEndsOn(on)!.Value,
                rated.Any(x => x.PetitionId == r.Id && x.Stage == stage), !due);
        }).ToList();
    }

    /// <summary>GET /api/v1/petitions/{id}/follow-ups: the matter's follow-ups and ratings; 404 outside the jurisdiction.</summary>
    public async Task<IResult> OfPetitionAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var record = await RecordAsync(id, staff, ct);
        return record is null ? Problems.NotFound() : TypedResults.Ok(record);
    }

    public async Task<FollowUpRecord?> RecordAsync(Guid id, Staff staff, CancellationToken ct)
    {
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return null;
        // A confidentiality notice tells nothing of the petitioner's words or satisfaction.
        if (Jurisdiction.SightOf(staff, petition) != Sight.Full) return new FollowUpRecord([], [], null);
        var followUps = await db.Set<PetitionFollowUp>().AsNoTracking().Where(f => f.PetitionId == id).ToListAsync(ct);
        var rated = await db.SatisfactionRatings.AsNoTracking().Where(r => r.PetitionId == id).ToListAsync(ct);
        var open = Satisfaction.LatestAnswer(petition) is { } a && !rated.Any(r => r.Stage == a.Stage) ? ratings.WindowEndsOn(a.DeliveredOn) : null;
        return new FollowUpRecord(
            followUps.OrderBy(f => f.RecordedAt).Select(f => FollowUpView.Of(f, petition.Number)).ToList(),
            rated.OrderBy(r => r.RecordedAt).Select(r => new RatingView(r.Stage, Ratings.StageName(r.Stage), r.Level, Satisfaction.NameOf(r.Level),
                r.Channel, Ratings.ChannelName(r.Channel), r.Comment, r.RecordedAt, r.RecordedByUserId)).ToList(),
            open);
    }
}
