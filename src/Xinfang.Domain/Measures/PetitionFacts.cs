using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Measures;

/// <summary>
/// What the measures need to know about one petition, kept beside it (table measure_facts). Most facts follow the
/// petition's state; a few are frozen when they happen, because the state forgets them: the disposal deadline once
/// the matter is disposed (its clock stops), the handling deadline once the opinion is delivered, whether a repeat
/// came back (another petition's registration), and the petitioner's rating (another table).
/// </summary>
public sealed record PetitionFacts
{
    public Guid PetitionId { get; init; }
    /// <summary>The unit that first received the matter (首接): counts received, repeats, channels, the pyramid and disposal.</summary>
    public Guid ReceivingUnitId { get; init; }
    public DateOnly ReceivedOn { get; init; }
    /// <summary>The top level of the problem category (涉及领域, Art. 41): its first two digits; "" when none was chosen.</summary>
    public string Category { get; init; } = "";
    public Channel Channel { get; init; }
    /// <summary>The county-level region code (first 6 digits of GB/T 2260; a township's 9 digits roll up to its county).</summary>
    public string RegionCode { get; init; } = "";
    public bool Repeat { get; init; }
    /// <summary>Last day to dispose (Art. 22: a bureau forwards, assigns or accepts within 15 days) or to tell the petitioner (Art. 23 ¶2).</summary>
    public DateOnly DisposalDueOn { get; init; }
    /// <summary>First disposal: forwarded, assigned, accepted or declined (转送、交办、受理、不予受理). Set once.</summary>
    public DateOnly? DisposedOn { get; init; }
    /// <summary>Withdrawn (撤回): no duty is owed any more, so nothing of it is pending or overdue.</summary>
    public bool Withdrawn { get; init; }
    /// <summary>The unit that accepted the matter (受理): counts handling, opinions, closure and ratings.</summary>
    public Guid? ResponsibleUnitId { get; init; }
    /// <summary>Last day to deliver the written opinion (Art. 34: 60 days from acceptance, once extended by ≤ 30); route 6 only.</summary>
    public DateOnly? HandleDueOn { get; init; }
    /// <summary>The written opinion's delivery (答复, Art. 32).</summary>
    public DateOnly? RepliedOn { get; init; }
    /// <summary>Completed (办结) or closed for good (终结); null while open, declined, withdrawn — or reopened by a review request.</summary>
    public DateOnly? ClosedOn { get; init; }
    public bool ReviewRequested { get; init; }
    /// <summary>A repeat petition of this matter was received before it closed or within 90 days after (一次性化解率 fails).</summary>
    public bool RepeatedWithin90 { get; init; }
    /// <summary>The petitioner's rating of the written opinion (reply stage), if any.</summary>
    public SatisfactionLevel? Rating { get; init; }

    public const int RepeatWindowDays = 90;

    /// <summary>
    /// The facts of <paramref name="p"/> now, carrying over what <paramref name="before"/> froze. Without earlier facts
    /// (a matter registered before the measures existed), a stopped disposal clock is re-derived as 15 calendar days
    /// from receipt and a stopped handling clock as 60 from acceptance (extensions then unknown).
    /// </summary>
    public static PetitionFacts Of(Petition p, PetitionFacts? before, DeadlineCalculator? deadlines = null)
    {
        var receivedOn = ChinaTime.DateOf(p.ReceivedAt);
        var disposal = p.ClockOf(ClockName.Dispose) ?? p.ClockOf(ClockName.Notify);
        var disposedAt = p.DisposedAt ?? p.AcceptedAt ?? (p.Status == PetitionStatus.Declined ? p.ClosedAt : null);
        var acceptedOn = p.AcceptedAt is { } a ? ChinaTime.DateOf(a) : (DateOnly?)null;
        var handleDue = p.ClockOf(ClockName.Handle)?.DueOn ?? before?.HandleDueOn
            ?? (p.Route == HandlingRoute.PetitionProcedure && acceptedOn is { } on ? Add(deadlines, on, 60) : null);
        return new PetitionFacts
        {
            PetitionId = p.Id,
            ReceivingUnitId = p.ReceivingUnitId,
            ReceivedOn = receivedOn,
            Category = p.CategoryCode is { Length: >= 2 } c ? c[..2] : "",
            Channel = p.Channel,
            RegionCode = p.RegionCode.Length > 6 ? p.RegionCode[..6] : p.RegionCode,
            Repeat = p.Repeat,
            // Before the first disposal nothing was forwarded, so the clock was never paused: its due date is the deadline.
            DisposalDueOn = before?.DisposalDueOn ?? disposal?.DueOn ?? Add(deadlines, receivedOn, 15),
            DisposedOn = before?.DisposedOn ?? (disposedAt is { } d ? ChinaTime.DateOf(d) : null),
            Withdrawn = p.Status == PetitionStatus.Withdrawn,
            ResponsibleUnitId = p.ResponsibleUnitId,
            HandleDueOn = p.Route == HandlingRoute.PetitionProcedure ? handleDue : null,
            RepliedOn = p.RepliedOn,
            ClosedOn = p.Status is PetitionStatus.Closed or PetitionStatus.Final && p.ClosedAt is { } closed ? ChinaTime.DateOf(closed) : null,
            ReviewRequested = p.ReviewRequestedOn is not null,
            RepeatedWithin90 = before?.RepeatedWithin90 ?? false,
            Rating = before?.Rating,
        };
    }

    static DateOnly Add(DeadlineCalculator? deadlines, DateOnly from, int days) =>
        deadlines?.AddCalendarDays(from, days) ?? from.AddDays(days);

    /// <summary>A repeat of this matter was received on <paramref name="on"/>: before closure or within 90 days after, the matter was not resolved at the first attempt.</summary>
    public PetitionFacts WithRepeatReceived(DateOnly on) =>
        ClosedOn is null || on <= ClosedOn.Value.AddDays(RepeatWindowDays) ? this with { RepeatedWithin90 = true } : this;

    public PetitionFacts WithRating(SatisfactionLevel level) => this with { Rating = level };
}
