using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Petitions;

/// <summary>The petitioner's satisfaction (满意度评价, Art. 21): 满意 / 基本满意 / 不满意.</summary>
public enum SatisfactionLevel { Satisfied, BasicallySatisfied, Dissatisfied }

/// <summary>Which answer a rating is about: the written opinion, the review opinion or the re-review opinion.</summary>
public enum RatingStage { Reply, Review, ReReview }

/// <summary>
/// One rating per matter per stage, only after an answer was delivered, within a window after its delivery
/// (default 30 days, configurable) — domain.md "Follow-up", issue "Supervision and resolution".
/// </summary>
public static class Satisfaction
{
    public const int DefaultWindowDays = 30;

    /// <summary>The stage a rating would be about now, with the last day it may be given.</summary>
    public static (RatingStage Stage, DateOnly DeliveredOn)? LatestAnswer(Petition p) =>
        p.ReReviewedOn is { } rr ? (RatingStage.ReReview, rr)
        : p.ReviewedOn is { } rv ? (RatingStage.Review, rv)
        : p.RepliedOn is { } r ? (RatingStage.Reply, r)
        : null;

    /// <summary>Null when a rating may be given now; otherwise why not.</summary>
    public static WorkflowError? CanRate(Petition p, DateOnly today, IReadOnlyCollection<RatingStage> alreadyRated, DeadlineCalculator deadlines, int windowDays = DefaultWindowDays)
    {
        if (p.Status == PetitionStatus.Withdrawn) return NotRateable;
        if (LatestAnswer(p) is not { } answer) return NoAnswerYet;
        if (alreadyRated.Contains(answer.Stage)) return AlreadyRated;
        return today > deadlines.AddCalendarDays(answer.DeliveredOn, windowDays) ? WindowLapsed : null;
    }

    public static readonly WorkflowError NoAnswerYet = new("rating-before-reply", "收到书面答复后才能评价");
    public static readonly WorkflowError AlreadyRated = new("already-rated", "您已对本次答复作出评价，每次答复只能评价一次");
    public static readonly WorkflowError WindowLapsed = new("rating-window-lapsed", "评价期限（答复送达后30日）已过");
    public static readonly WorkflowError NotRateable = new("not-rateable", "该事项已撤回，无需评价");

    public static string NameOf(SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.Satisfied => "满意",
        SatisfactionLevel.BasicallySatisfied => "基本满意",
        _ => "不满意",
    };
}
