namespace Xinfang.Domain.Petitions;

/// <summary>Where a petition stands in its workflow (api.md, "Workflow actions").</summary>
public enum PetitionStatus
{
    /// <summary>Registered by the receiving unit, not yet disposed (登记).</summary>
    Registered,
    /// <summary>Forwarded to the responsible unit (转送, Art. 22).</summary>
    Forwarded,
    /// <summary>Assigned with a report-back duty (交办, Art. 22 (3)).</summary>
    Assigned,
    /// <summary>Accepted by the responsible unit (受理, Art. 23, 31).</summary>
    Accepted,
    /// <summary>Not accepted, the petitioner told where to go instead (不予受理).</summary>
    Declined,
    /// <summary>The written opinion was delivered (答复, Art. 32).</summary>
    Replied,
    /// <summary>A review (复查) was requested of the level above (Art. 35).</summary>
    UnderReview,
    /// <summary>The review opinion was delivered (Art. 35).</summary>
    Reviewed,
    /// <summary>A re-review (复核) was requested (Art. 36).</summary>
    UnderReReview,
    /// <summary>Closed for good after re-review (终结, Art. 36 ¶3): not accepted again anywhere.</summary>
    Final,
    /// <summary>Completed (办结) after its review window lapsed, or a diverted route finished.</summary>
    Closed,
    /// <summary>Withdrawn by the petitioner (撤回).</summary>
    Withdrawn,
}

/// <summary>Type for handling (Art. 28–31).</summary>
public enum PetitionType { Suggestion, Accusation, Claim }

/// <summary>Channel of receipt (Art. 17, 21); all share one record and one workflow.</summary>
public enum Channel { Online, Letter, Visit, Phone, Fax }

/// <summary>The six handling routes of a claim (Art. 31). Only route 6 carries the 60+30-day limit and the review chain.</summary>
public enum HandlingRoute
{
    /// <summary>(1) Litigation, procuratorate or police procedure — 诉访分离 (Art. 28 ¶2).</summary>
    Litigation = 1,
    /// <summary>(2) Arbitration.</summary>
    Arbitration = 2,
    /// <summary>(3) Party-member appeal.</summary>
    PartyAppeal = 3,
    /// <summary>(4) Administrative procedure (复议, 裁决, 确认, 许可, 处罚).</summary>
    Administrative = 4,
    /// <summary>(5) A direct duty to act or reply.</summary>
    DutyToAct = 5,
    /// <summary>(6) The petition procedure proper: hear, investigate, issue a written opinion.</summary>
    PetitionProcedure = 6,
}

/// <summary>The decision of a written opinion (Art. 32).</summary>
public enum Decision { Support, Explain, NotSupport }

/// <summary>Where a declined matter is redirected.</summary>
public enum Redirect { Litigation, Arbitration, PartyAppeal, Administrative, Other }

/// <summary>Roles of api.md. The three administrator roles are never held by one account (三员分立).</summary>
public enum Role { IntakeClerk, Caseworker, UnitLeader, Supervisor, Analyst, SystemAdmin, SecurityAdmin, AuditAdmin }

public static class Roles
{
    public static readonly IReadOnlySet<Role> Administrators = new HashSet<Role> { Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin };

    /// <summary>三员分立: at most one administrator role on an account.</summary>
    public static bool AreSeparated(IEnumerable<Role> roles) => roles.Distinct().Count(Administrators.Contains) <= 1;
}

/// <summary>The workflow steps (api.md). <see cref="Expire"/> is the system closing a matter whose window lapsed.</summary>
public enum PetitionAction
{
    Register, Forward, Assign, Object, Accept, Decline, Extend, Reply,
    RequestReview, ReviewDecision, RequestReReview, Hearing, ReReviewDecision, Close, Withdraw,

    // Not workflow steps: supervision and follow-up record these on the timeline (Petition.Annotate) without
    // changing status or clocks. The portal never shows them to the petitioner (PetitionActions.IsStep).
    Supervise, SupervisionFeedback, SupervisionEscalate,
    OwnershipAssign, OwnershipPlan, OwnershipProgress, OwnershipOutcome,
    BacklogList, BacklogReport, BacklogAudit, BacklogStrikeOff, BacklogReturn, BacklogRecheck,
    ClusterMeasure, FollowUp, Rating, UrgentReport, UrgentAcknowledge,
}

public static class PetitionActions
{
    /// <summary>A workflow step of api.md (changes status or clocks), as opposed to a supervision annotation.</summary>
    public static bool IsStep(PetitionAction a) => a <= PetitionAction.Withdraw;
}
