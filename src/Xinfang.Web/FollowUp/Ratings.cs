using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.FollowUp;

/// <summary>
/// The one way a satisfaction rating (满意度评价, Art. 21) enters the store, whoever records it: the petitioner on
/// the portal or staff from a follow-up call or visit. The rule is Satisfaction.CanRate (one rating per matter per
/// stage, only after an answer, within the window of Portal:RatingWindowDays, default 30) and the unique index on
/// (petition, stage) holds it against two recorders at once.
/// </summary>
public sealed class Ratings(XinfangDb db, CalendarStore calendar, IOptions<Portal.PortalOptions> options)
{
    public int WindowDays => options.Value.RatingWindowDays;

    /// <summary>
    /// Checks the rule and, when it allows, adds the rating and its <c>Rating</c> timeline annotation to the pending
    /// changes of <paramref name="petition"/> (tracked): the caller saves them with PetitionWorkflow.SaveStepAsync.
    /// </summary>
    public async Task<(SatisfactionRating? Rating, PetitionEvent? Event, WorkflowError? Error)> AddAsync(
        Petition petition, SatisfactionLevel level, string? comment, RatingChannel channel, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await RefusalAsync(petition, now, ct) is { } refused) return (null, null, refused);
        var stage = Satisfaction.LatestAnswer(petition)!.Value.Stage;
        var rating = new SatisfactionRating
        {
            PetitionId = petition.Id, Stage = stage, Level = level, Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
            Channel = channel, RecordedAt = now, RecordedByUserId = actor.Kind == ActorKind.Staff ? actor.UserId : null,
        };
        db.SatisfactionRatings.Add(rating);
        // The comment stays in the rating; the timeline tells what was rated, how, and how it was given.
        var e = petition.Annotate(PetitionAction.Rating, actor, now, $"{Satisfaction.NameOf(level)}（{StageName(stage)}，{ChannelName(channel)}）",
            new { stage, level, via = channel });
        return (rating, e, null);
    }

    /// <summary>Why the latest answer of <paramref name="petition"/> may not be rated now, or null when it may.</summary>
    public async Task<WorkflowError?> RefusalAsync(Petition petition, DateTimeOffset now, CancellationToken ct) =>
        Satisfaction.CanRate(petition, ChinaTime.DateOf(now), await RatedStagesAsync(petition.Id, ct), calendar.Deadlines, WindowDays);

    public Task<List<RatingStage>> RatedStagesAsync(Guid petitionId, CancellationToken ct) =>
        db.SatisfactionRatings.Where(x => x.PetitionId == petitionId).Select(x => x.Stage).ToListAsync(ct);

    /// <summary>
    /// After a save refused as a concurrent change: whether someone else rated the same stage meanwhile (a double
    /// click, or staff and petitioner at once) — then the answer is "already rated", the rule every recorder shares.
    /// </summary>
    public async Task<bool> RatedMeanwhileAsync(Guid petitionId, RatingStage stage, CancellationToken ct) =>
        await db.SatisfactionRatings.AsNoTracking().AnyAsync(x => x.PetitionId == petitionId && x.Stage == stage, ct);

    /// <summary>The last day the latest answer of a matter may be rated, or null before any answer.</summary>
    public DateOnly? WindowEndsOn(DateOnly? answeredOn) => answeredOn is { } d ? calendar.Deadlines.AddCalendarDays(d, WindowDays) : null;

    public static string StageName(RatingStage s) => s switch
    {
        RatingStage.Reply => "答复",
        RatingStage.Review => "复查意见",
        _ => "复核意见",
    };

    public static string ChannelName(RatingChannel c) => c switch
    {
        RatingChannel.Portal => "网上评价",
        RatingChannel.Phone => "电话回访",
        RatingChannel.Visit => "上门回访",
        _ => "短信回访",
    };

    public static string ChannelName(FollowUpChannel c) => ChannelName(PetitionFollowUp.RatingChannelOf(c));
}
