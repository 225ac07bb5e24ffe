using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;

namespace Xinfang.Web.Portal;

public sealed record PublicClock(ClockName Name, string NameText, DateOnly DueOn, bool Paused);
public sealed record PublicEvent(int Sequence, DateTimeOffset At, string Action, string ActionName, string? UnitName, Decision? Decision, string? DecisionName, string? Text, bool HasDocument);
public sealed record PublicBody(Guid Id, string Name);
public sealed record PublicRating(RatingStage Stage, SatisfactionLevel Rating, string RatingName);

/// <summary>
/// What the petitioner may see of a matter (阳光信访): units, dates, decisions and written answers — never
/// staff persons, internal notes or anyone else's data.
/// </summary>
public sealed record PublicStatus(
    string Number, PetitionStatus Status, string StatusName, PetitionType Type, Channel Channel, DateTimeOffset ReceivedAt,
    string Title, PublicClock? CurrentClock, DateOnly? CurrentDueOn, string NextStep, IReadOnlyList<PublicEvent> Timeline,
    bool CanRate, RatingStage? RatingStage, IReadOnlyList<PublicRating> Ratings,
    bool CanRequestReview, string? ReviewKind, DateOnly? ReviewWindowDueOn, IReadOnlyList<PublicBody> ReviewBodies,
    bool CanWithdraw)
{
    /// <summary>The clock that matters to the petitioner now (not the internal objection or report-back clocks).</summary>
    public static Clock? CurrentOf(Petition p) =>
        p.Clocks.Where(c => c.Name is not (ClockName.Objection or ClockName.Report)).OrderBy(c => c.DueOn).FirstOrDefault();

    public static string NextStepOf(Petition p, string? holdingUnitName, Clock? clock)
    {
        var due = clock is null ? "" : $"{clock.DueOn:yyyy年M月d日}";
        return p.Status switch
        {
            PetitionStatus.Registered => $"{holdingUnitName}将在{due}前转送、交办有权处理的单位或告知您是否受理（条例第二十二条、第二十三条）。",
            PetitionStatus.Forwarded or PetitionStatus.Assigned => $"{holdingUnitName}将在{due}前书面告知您是否受理（条例第二十三条）。",
            PetitionStatus.Accepted when p.Route == HandlingRoute.PetitionProcedure =>
                $"{holdingUnitName}将在{due}前出具信访处理意见书；情况复杂的，经批准可延长一次，不超过30日（条例第三十四条）。",
            PetitionStatus.Accepted => $"您的诉求已导入{Names.Of(p.Route ?? HandlingRoute.DutyToAct)}办理。",
            PetitionStatus.Declined => $"不予受理。您可以通过{Names.Of(p.Redirect)}途径解决。",
            PetitionStatus.Replied when p.Type == PetitionType.Claim =>
                $"如对处理意见不服，可在{due}前向上一级机关申请复查；期满未申请的，事项办结（条例第三十五条）。",
            PetitionStatus.Replied => "已书面答复，事项将办结。",
            PetitionStatus.UnderReview => $"复查机关将在{due}前书面答复（条例第三十五条）。",
            PetitionStatus.Reviewed => $"如对复查意见不服，可在{due}前向复查机关的上一级机关申请复核（条例第三十六条）。",
            PetitionStatus.UnderReReview => clock?.State == ClockState.Paused
                ? "复核机关正在组织听证，听证期间不计入复核期限（条例第三十六条）。"
                : $"复核机关将在{due}前书面答复（条例第三十六条）。",
            PetitionStatus.Final => "复核意见为终结意见。同一事实和理由提出的信访事项，不再受理（条例第三十六条第三款）。",
            PetitionStatus.Closed => "事项已办结。",
            PetitionStatus.Withdrawn => "您已撤回该信访事项。",
            _ => "",
        };
    }
}
