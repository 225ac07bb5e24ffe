using Xinfang.Domain.Deadlines;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Ownership;

public sealed record OwnershipLeaderView(Guid UserId, string? Name, Guid UnitId, string? UnitName, LeaderCapacity Capacity,
    DateTimeOffset AssignedAt, DateTimeOffset? ReleasedAt);

public sealed record OwnershipStepView(Guid Id, int Position, string Title, DateOnly DueOn, Guid? ResponsibleUnitId, string? ResponsibleUnitName,
    DateTimeOffset? DoneAt, string? DoneNote, bool Overdue);

/// <summary>One part of 三到位一处理: achieved or not, and what was done.</summary>
public sealed record OutcomePart(bool Achieved, string? Note);

public sealed record OwnershipOutcomeView(OutcomePart Resolved, OutcomePart Counselled, OutcomePart Relieved, OutcomePart HandledByLaw,
    string? Summary, DateTimeOffset? At);

public sealed record OwnershipProgressView(Guid Id, DateTimeOffset At, DateTimeOffset RecordedAt, Guid ByUserId, string? ByName, string Text);

/// <summary>
/// One line of the ownership ledger (包案台账): the matter, its leaders and capacities, the plan's progress and next
/// due step, the matter's clocks, and the outcome. Rows come from <see cref="OwnershipLedger.RowsAsync"/>, which the
/// API pages and an export may stream alike.
/// </summary>
public sealed record OwnershipRow(
    Guid Id, Guid PetitionId, string Number, string Title, OwnershipStatus Status,
    IReadOnlyList<OwnershipLeaderView> Leaders, DateOnly AssignedOn,
    int StepsDone, int StepsTotal, OwnershipStepView? NextStep, int OverdueSteps,
    Warning Warning, IReadOnlyList<ClockView> Clocks, OwnershipOutcomeView? Outcome);

/// <summary>GET /ownerships/{id}: the ownership in full — plan, progress, former leaders — with its version (ETag).</summary>
public sealed record OwnershipView(
    Guid Id, Guid PetitionId, string Number, string Title, OwnershipStatus Status,
    IReadOnlyList<OwnershipLeaderView> Leaders, IReadOnlyList<OwnershipLeaderView> FormerLeaders,
    DateTimeOffset AssignedAt, DateOnly AssignedOn, Guid AssignedByUserId, string? Note,
    string? PlanSummary, DateTimeOffset? PlanUpdatedAt, IReadOnlyList<OwnershipStepView> Steps,
    int StepsDone, int StepsTotal, OwnershipStepView? NextStep, int OverdueSteps,
    IReadOnlyList<OwnershipProgressView> Progress,
    Warning Warning, IReadOnlyList<ClockView> Clocks,
    OwnershipOutcomeView? Outcome, DateTimeOffset? EndedAt, string? EndNote, int Version)
{
    /// <summary>Whether the caller is one of its current leaders (may write the plan, progress and outcome).</summary>
    public bool CallerOwns { get; init; }

    public OwnershipRow Row => new(Id, PetitionId, Number, Title, Status, Leaders, AssignedOn, StepsDone, StepsTotal, NextStep, OverdueSteps, Warning, Clocks, Outcome);
}

/// <summary>POST /petitions/{id}/ownership.</summary>
public sealed record AssignOwnershipRequest(IReadOnlyList<LeaderRequest>? Leaders, string? Note);

public sealed record LeaderRequest(Guid? UserId, LeaderCapacity? Capacity);

/// <summary>POST /ownerships/{id}/release.</summary>
public sealed record ReleaseOwnershipRequest(string? Note);

/// <summary>PUT /ownerships/{id}/plan: the whole plan; a step with the <c>id</c> of an existing one keeps it (and whether it is done).</summary>
public sealed record PlanRequest(string? Summary, IReadOnlyList<PlanStepRequest>? Steps);

public sealed record PlanStepRequest(Guid? Id, string? Title, DateOnly? DueOn, Guid? ResponsibleUnitId);

/// <summary>POST /ownerships/{id}/plan/steps/{stepId}/done.</summary>
public sealed record StepDoneRequest(string? Note);

/// <summary>POST /ownerships/{id}/progress: <c>at</c> is when it happened (default now).</summary>
public sealed record ProgressRequest(string? Text, DateTimeOffset? At);

/// <summary>POST /ownerships/{id}/outcome: 三到位一处理, at least one part achieved.</summary>
public sealed record OutcomeRequest(OutcomePartRequest? Resolved, OutcomePartRequest? Counselled, OutcomePartRequest? Relieved, OutcomePartRequest? HandledByLaw, string? Summary);

public sealed record OutcomePartRequest(bool? Achieved, string? Note);

/// <summary>Chinese names of the capacities, statuses and outcome parts.</summary>
public static class OwnershipNames
{
    public static string Of(LeaderCapacity c) => c switch
    {
        LeaderCapacity.Territory => "属地包案领导",
        LeaderCapacity.Department => "部门包案领导",
        _ => c.ToString(),
    };

    public static string Short(LeaderCapacity c) => c == LeaderCapacity.Territory ? "属地" : "部门";

    public static string Of(OwnershipStatus s) => s switch
    {
        OwnershipStatus.Active => "包案中",
        OwnershipStatus.Released => "已解除",
        OwnershipStatus.Closed => "已结案",
        _ => s.ToString(),
    };

    public const string Resolved = "解决到位";
    public const string Counselled = "教育疏导到位";
    public const string Relieved = "帮扶救助到位";
    public const string HandledByLaw = "依法处理";
}
