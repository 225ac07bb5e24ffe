namespace Xinfang.Domain.Petitions;

/// <summary>A workflow step asked of a petition. Each maps to one <see cref="PetitionAction"/>.</summary>
public abstract record PetitionCommand(PetitionAction Action);

public sealed record Forward(Guid UnitId, string? Note) : PetitionCommand(PetitionAction.Forward);
public sealed record Assign(Guid UnitId, DateOnly? ReportDueOn, string? Note) : PetitionCommand(PetitionAction.Assign);
public sealed record Object(string Reason) : PetitionCommand(PetitionAction.Object);
public sealed record Accept(HandlingRoute Route, string? Note = null) : PetitionCommand(PetitionAction.Accept);
public sealed record Decline(string Reason, Redirect? Redirect) : PetitionCommand(PetitionAction.Decline);
public sealed record Extend(int Days, string Reason, string ApprovedBy) : PetitionCommand(PetitionAction.Extend);
public sealed record Reply(Decision Decision, string Text, DateOnly DeliveredOn) : PetitionCommand(PetitionAction.Reply);
public sealed record RequestReview(DateOnly RequestedOn, string Reason, Guid UnitId) : PetitionCommand(PetitionAction.RequestReview);
public sealed record ReviewDecision(Decision Decision, string Text, DateOnly DeliveredOn) : PetitionCommand(PetitionAction.ReviewDecision);
public sealed record RequestReReview(DateOnly RequestedOn, string Reason, Guid UnitId) : PetitionCommand(PetitionAction.RequestReReview);
public sealed record Hearing(DateOnly StartOn, DateOnly? EndOn) : PetitionCommand(PetitionAction.Hearing);
public sealed record ReReviewDecision(Decision Decision, string Text, DateOnly DeliveredOn) : PetitionCommand(PetitionAction.ReReviewDecision);
public sealed record Close(string? Note) : PetitionCommand(PetitionAction.Close);
public sealed record Withdraw(string Reason) : PetitionCommand(PetitionAction.Withdraw);

/// <summary>Status of the matter a petition repeats, when one is linked (Art. 19 ¶3, Art. 36 ¶3).</summary>
public sealed record LinkedMatter(Guid Id, PetitionStatus Status, Guid? HoldingUnitId);

/// <summary>What the workflow needs to know beyond the petition itself; the caller looks it up.</summary>
public sealed record WorkflowContext(
    DateTimeOffset Now,
    Deadlines.DeadlineCalculator Deadlines,
    Deadlines.ClockLengths Lengths,
    int YellowWorkingDays = 3)
{
    /// <summary>Units that may serve as review body for this matter now: parent or functional superior of the unit whose decision is challenged.</summary>
    public IReadOnlySet<Guid> ReviewBodies { get; init; } = new HashSet<Guid>();
    /// <summary>Whether the target of a forward/assign exists.</summary>
    public bool TargetUnitExists { get; init; } = true;
    /// <summary>The target unit's territorial path (root first, the target last), to keep an accusation out of the accused's subtree.</summary>
    public IReadOnlyList<Guid> TargetPath { get; init; } = [];
    public LinkedMatter? RepeatOf { get; init; }
    /// <summary>The acting staff member has recused themselves (or was recused) from this matter (回避, Art. 28 ¶3).</summary>
    public bool ActorRecused { get; init; }
    /// <summary>
    /// Per-clock yellow thresholds in working days (domain.md, "Warnings": configurable per clock, e.g. a longer lead for
    /// the 60-day handling clock); a clock not named here warns <see cref="YellowWorkingDays"/> before it runs out.
    /// </summary>
    public IReadOnlyDictionary<Deadlines.ClockName, int> YellowWorkingDaysByClock { get; init; } = new Dictionary<Deadlines.ClockName, int>();
    /// <summary>How many working days before its due date <paramref name="clock"/> turns yellow.</summary>
    public int YellowWorkingDaysFor(Deadlines.ClockName clock) =>
        YellowWorkingDaysByClock.TryGetValue(clock, out var days) ? days : YellowWorkingDays;
    public DateOnly Today => Xinfang.Domain.Deadlines.ChinaTime.DateOf(Now);
}
