using static Xinfang.Domain.Petitions.PetitionStatus;
using A = Xinfang.Domain.Petitions.PetitionAction;

namespace Xinfang.Domain.Petitions;

/// <summary>Which unit's staff may take a step.</summary>
public enum Who
{
    /// <summary>The unit that holds the matter for its step.</summary>
    HoldingUnit,
    /// <summary>The review body named in the request, or the unit whose decision is challenged (it may record a request it receives).</summary>
    ReviewBody,
    /// <summary>The holding unit or the unit that first received the matter (首接首办).</summary>
    HoldingOrReceivingUnit,
}

/// <summary>One row of the workflow table: from a status, an action leads to a status, if the actor fits.</summary>
public sealed record Transition(
    PetitionStatus From, PetitionAction Action, PetitionStatus To, Who Who, IReadOnlySet<Role> Roles,
    bool Petitioner = false, bool System = false);

/// <summary>
/// The petition workflow as one table: status × action → status, with who may act.
/// Guards that depend on the request (windows, routes, review bodies) live in <see cref="Petition.Apply"/>.
/// </summary>
public static class Workflow
{
    static readonly IReadOnlySet<Role> Clerks = new HashSet<Role> { Role.IntakeClerk, Role.UnitLeader };
    static readonly IReadOnlySet<Role> Handlers = new HashSet<Role> { Role.IntakeClerk, Role.Caseworker, Role.UnitLeader };
    static readonly IReadOnlySet<Role> Deciders = new HashSet<Role> { Role.Caseworker, Role.UnitLeader };

    public static readonly IReadOnlyList<Transition> Table =
    [
        // Disposal by the receiving unit (Art. 22, 23 ¶2).
        new(Registered, A.Forward, Forwarded, Who.HoldingUnit, Clerks),
        new(Registered, A.Assign, Assigned, Who.HoldingUnit, Clerks),
        new(Registered, A.Accept, Accepted, Who.HoldingUnit, Handlers),
        new(Registered, A.Decline, Declined, Who.HoldingUnit, Handlers),
        // The responsible unit accepts, declines or objects within 5 working days (Art. 23 ¶3).
        new(Forwarded, A.Accept, Accepted, Who.HoldingUnit, Handlers),
        new(Forwarded, A.Decline, Declined, Who.HoldingUnit, Handlers),
        new(Forwarded, A.Object, Registered, Who.HoldingUnit, Handlers),
        new(Assigned, A.Accept, Accepted, Who.HoldingUnit, Handlers),
        new(Assigned, A.Decline, Declined, Who.HoldingUnit, Handlers),
        new(Assigned, A.Object, Registered, Who.HoldingUnit, Handlers),
        // Handling: 60 days, once extended by ≤ 30 with the head's approval (Art. 34); written opinion (Art. 32).
        new(Accepted, A.Extend, Accepted, Who.HoldingUnit, Deciders),
        new(Accepted, A.Reply, Replied, Who.HoldingUnit, Deciders),
        new(Accepted, A.Close, Closed, Who.HoldingUnit, Deciders), // diverted routes 1–5 finish here
        // Review (复查, Art. 35) and re-review (复核, Art. 36).
        new(Replied, A.RequestReview, UnderReview, Who.ReviewBody, Handlers, Petitioner: true),
        new(Replied, A.Close, Closed, Who.HoldingUnit, Handlers, System: true),
        // A request made within the window but recorded after the sweep closed the matter reopens it (Art. 35–36).
        new(Closed, A.RequestReview, UnderReview, Who.ReviewBody, Handlers, Petitioner: true),
        new(Closed, A.RequestReReview, UnderReReview, Who.ReviewBody, Handlers, Petitioner: true),
        new(UnderReview, A.ReviewDecision, Reviewed, Who.HoldingUnit, Deciders),
        new(Reviewed, A.RequestReReview, UnderReReview, Who.ReviewBody, Handlers, Petitioner: true),
        new(Reviewed, A.Close, Closed, Who.HoldingUnit, Handlers, System: true),
        new(UnderReReview, A.Hearing, UnderReReview, Who.HoldingUnit, Deciders),
        new(UnderReReview, A.ReReviewDecision, Final, Who.HoldingUnit, Deciders),
        // The petitioner may withdraw an open matter at any time.
        new(Registered, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(Forwarded, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(Assigned, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(Accepted, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(Replied, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(UnderReview, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(Reviewed, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
        new(UnderReReview, A.Withdraw, Withdrawn, Who.HoldingOrReceivingUnit, Handlers, Petitioner: true),
    ];

    static readonly Dictionary<(PetitionStatus, PetitionAction), Transition> ByKey =
        Table.ToDictionary(t => (t.From, t.Action));

    public static Transition? Find(PetitionStatus from, PetitionAction action) =>
        ByKey.GetValueOrDefault((from, action));

    /// <summary>The actions the table allows from a status (for UIs and the API's "what next").</summary>
    public static IEnumerable<PetitionAction> ActionsFrom(PetitionStatus status) =>
        Table.Where(t => t.From == status).Select(t => t.Action);

    public static readonly IReadOnlySet<PetitionStatus> Terminal = new HashSet<PetitionStatus> { Declined, Final, Closed, Withdrawn };

    public static bool IsOpen(PetitionStatus status) => !Terminal.Contains(status);

    /// <summary>Accepted or in handling: a higher body does not accept the same matter again (Art. 19 ¶3).</summary>
    public static bool IsInHandling(PetitionStatus status) => status is Accepted or Replied or UnderReview or Reviewed or UnderReReview;
}
