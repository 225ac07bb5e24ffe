namespace Xinfang.Domain.Petitions;

/// <summary>One entry of a petition's append-only timeline. Every applied action yields exactly one.</summary>
public sealed class PetitionEvent
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid PetitionId { get; init; }
    /// <summary>Position in the petition's timeline, 1-based; unique per petition, so a lost or doubled event is detectable.</summary>
    public int Sequence { get; init; }
    public DateTimeOffset At { get; init; }
    public PetitionAction Action { get; init; }
    public PetitionStatus? FromStatus { get; init; }
    public PetitionStatus ToStatus { get; init; }
    public ActorKind ActorKind { get; init; }
    public Guid? ActorUserId { get; init; }
    public Guid? ActorUnitId { get; init; }
    /// <summary>The unit the step sent the matter to, if any (forward, assign, review bodies).</summary>
    public Guid? TargetUnitId { get; init; }
    public string? Note { get; init; }
    /// <summary>The step's own details (decision, route, days, dates) as JSON.</summary>
    public string? Data { get; init; }
}
