namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>How far an operation's answer depends on where the caller sits in the unit tree.</summary>
public enum Reach
{
    /// <summary>No account: the portal, sign-in, health, the document itself (and the test clock of the Testing host).</summary>
    Public,
    /// <summary>Organisation-wide facts or actions (units, categories, rules, the calendar, registration): any unit alike.</summary>
    Organisation,
    /// <summary>A list cut to the caller's jurisdiction: outside it answers 2xx or 404, never with the inside objects.</summary>
    Listing,
    /// <summary>Names one object of the inside jurisdiction (a petition, an account, a unit to create under): outside gets <see cref="AccessRule.Outside"/>.</summary>
    Object,
}

/// <summary>
/// Who may call an operation. <paramref name="Roles"/>: the roles that reach it (api.md, "Authentication"); any other
/// role answers 403, except that roles which do not work on matters at all get <paramref name="WrongRole"/> (404
/// where the API hides the matter's existence from them; a reader lacking the role always gets 403). <paramref name="Outside"/>: what a caller of an allowed role outside the jurisdiction
/// gets for <see cref="Reach.Object"/> (default 404). <paramref name="Unreachable"/>: why no well-formed request of
/// the matrix can get past the checks (then no allowed caller is required to reach it).
/// </summary>
public sealed record AccessRule(Reach Reach, string[] Roles, int WrongRole = 403, int[]? Outside = null, string? Unreachable = null)
{
    public int[] OutsideStatuses => Outside ?? [404];
}

/// <summary>
/// The classification of every operation of the OpenAPI document, by operationId (or "METHOD path" where the
/// document has none). A new endpoint must be added here, or <see cref="AccessMatrixTests"/> fails: every
/// endpoint has an explicit rule. Roles follow 三员分立 (domain.md, "Who uses it"): the administrators manage
/// the system, not the matters; analysts and supervisors read (masked) and do not act.
/// </summary>
public static class AccessRules
{
    public static readonly string[] AllRoles =
        ["intakeClerk", "caseworker", "unitLeader", "supervisor", "analyst", "systemAdmin", "securityAdmin", "auditAdmin"];

    /// <summary>Roles that work on petitions: they read the matters of their jurisdiction.</summary>
    public static readonly string[] Readers = ["intakeClerk", "caseworker", "unitLeader", "supervisor", "analyst"];

    /// <summary>Handling roles: they register, act and correct.</summary>
    public static readonly string[] Handlers = ["intakeClerk", "caseworker", "unitLeader"];

    /// <summary>Backlog campaigns (积案化解): who reads them, and who organises them.</summary>
    public static readonly string[] BacklogReaders = ["caseworker", "unitLeader", "supervisor", "analyst"];
    public static readonly string[] BacklogOrganisers = ["unitLeader", "supervisor"];

    static readonly string[] SystemAdmin = ["systemAdmin"];
    static readonly string[] SecurityAdmin = ["securityAdmin"];

    static AccessRule Public => new(Reach.Public, AllRoles);
    static AccessRule Petition(string[] roles, int wrongRole = 403) => new(Reach.Object, roles, wrongRole);
    static AccessRule Step => Petition(Handlers);
    const string OwnersOnly = "only the ownership's own leaders write to it, and the matrix's callers own nothing (the owner is a county leader)";

    public static readonly IReadOnlyDictionary<string, AccessRule> ByOperation = new Dictionary<string, AccessRule>
    {
        // Operations and discovery
        ["GET /healthz"] = Public,
        ["Readiness"] = Public,
        ["GetTestingClock"] = Public, // mapped only when Testing:ControllableClock is on (never in production)
        ["SetTestingClock"] = Public,

        // Identity
        ["Login"] = Public,
        ["CreateUser"] = new(Reach.Object, SystemAdmin, Outside: [400]), // the unit must be in the administrator's subtree
        ["ListUsers"] = new(Reach.Listing, ["systemAdmin", "securityAdmin"]),
        ["ChangeUser"] = new(Reach.Object, SystemAdmin),
        ["UnlockUser"] = new(Reach.Object, SecurityAdmin),
        ["ResetUserPassword"] = new(Reach.Object, SecurityAdmin),
        ["ResetUserTwoFactor"] = new(Reach.Object, SecurityAdmin),

        // Organisation
        ["ListUnits"] = new(Reach.Organisation, AllRoles),
        ["GetUnit"] = new(Reach.Organisation, AllRoles),
        ["CreateUnit"] = new(Reach.Object, SystemAdmin, Outside: [400]), // the parent must be in the administrator's subtree

        // Routing rules, categories, calendar
        ["ListRoutingRules"] = new(Reach.Organisation, AllRoles),
        ["MatchRoutingRules"] = new(Reach.Organisation, AllRoles),
        ["CreateRoutingRule"] = new(Reach.Organisation, SystemAdmin),
        ["DeleteRoutingRule"] = new(Reach.Organisation, SystemAdmin),
        ["ListCategories"] = new(Reach.Organisation, AllRoles),
        ["AddCategory"] = new(Reach.Organisation, SystemAdmin),
        ["GetCalendarYear"] = new(Reach.Organisation, AllRoles),
        ["ImportCalendarYear"] = new(Reach.Organisation, SystemAdmin),

        // Petitions: registration, lists, reads
        ["RegisterPetition"] = new(Reach.Organisation, Handlers),
        ["ListPetitions"] = new(Reach.Listing, Readers),
        ["SearchPetitions"] = new(Reach.Listing, Readers),
        ["FindSimilarToDraft"] = new(Reach.Listing, Readers),
        ["FindSimilarPetitions"] = Petition(Readers),
        ["DecideRepeatLink"] = Petition(Handlers),
        ["GetPetition"] = Petition(Readers),
        ["GetPetitionEvents"] = Petition(Readers),
        ["GetReviewBodies"] = Petition(Readers),

        // Recusal (Art. 28 ¶3): anyone who works on the matter declares their own; leaders and supervisors may name a colleague
        ["RecordRecusal"] = Petition(Readers),
        ["ListRecusals"] = Petition(Readers),

        // Petitions: the workflow (each step's own role rules live in the domain; these are the roles that may try)
        ["ForwardPetition"] = Step,
        ["AssignPetition"] = Step,
        ["ObjectPetition"] = Step,
        ["AcceptPetition"] = Step,
        ["DeclinePetition"] = Step,
        ["ExtendPetition"] = Step,
        ["ReplyPetition"] = Step,
        ["RequestReviewPetition"] = Step,
        ["ReviewDecisionPetition"] = Step,
        ["RequestReReviewPetition"] = Step,
        ["HearingPetition"] = Step,
        ["ReReviewDecisionPetition"] = Step,
        ["ClosePetition"] = Step,
        ["WithdrawPetition"] = Step,

        // 领导包案 (Art. 18): unit leaders and supervisors assign and release; only an ownership's own leaders write to it
        ["AssignOwnership"] = Petition(["unitLeader", "supervisor"]),
        ["ReleaseOwnership"] = Petition(["unitLeader", "supervisor"]),
        ["ListOwnerships"] = new(Reach.Listing, Readers),
        ["GetOwnership"] = Petition(Readers),
        ["WriteOwnershipPlan"] = Petition(["unitLeader"]) with { Unreachable = OwnersOnly },
        ["CompleteOwnershipStep"] = Petition(["unitLeader"]) with { Unreachable = OwnersOnly },
        ["RecordOwnershipProgress"] = Petition(["unitLeader"]) with { Unreachable = OwnersOnly },
        ["RecordOwnershipOutcome"] = Petition(["unitLeader"]) with { Unreachable = OwnersOnly },

        // Attachments: roles that do not work on matters do not learn that the matter exists (404).
        ["ListAttachments"] = Petition(Readers, wrongRole: 404),
        ["DownloadAttachment"] = Petition(Readers, wrongRole: 404),
        ["AddAttachments"] = Petition(Handlers, wrongRole: 404),

        // Text analysis
        ["SuggestCategories"] = new(Reach.Organisation, Readers),
        ["ListClusters"] = new(Reach.Listing, Readers),
        ["GetCluster"] = new(Reach.Listing, Readers),
        ["GetMeasures"] = new(Reach.Listing, Readers),
        ["GetMeasureTrend"] = new(Reach.Listing, Readers),
        ["GetMeasureBreakdown"] = new(Reach.Listing, Readers),
        ["ListMeasureAlerts"] = new(Reach.Listing, Readers),
        ["CorrectCategory"] = Petition(Handlers),

        // 督办 (Art. 40): supervisors and unit leaders issue, close and send back; the addressee's caseworkers and leaders answer.
        // The matrix's sample 督办 is the county bureau's own (issuer and addressee, where the callers sit); proposals need
        // an overdue matter, which the matrix's fresh matters are not.
        ["CreateSupervision"] = Petition(["supervisor", "unitLeader"]),
        ["ListSupervisions"] = new(Reach.Listing, Readers),
        ["GetSupervision"] = Petition(Readers),
        ["AnswerSupervision"] = Petition(["caseworker", "unitLeader"]),
        ["CloseSupervision"] = Petition(["supervisor", "unitLeader"]),
        ["ReturnSupervision"] = Petition(["supervisor", "unitLeader"]),
        ["ListSupervisionProposals"] = new(Reach.Listing, ["supervisor", "unitLeader"]),
        ["IssueSupervisionProposal"] = Petition(["supervisor", "unitLeader"]) with { Unreachable = "no matter of the matrix is overdue, so there is no proposal to issue" },
        ["DismissSupervisionProposal"] = Petition(["supervisor", "unitLeader"]) with { Unreachable = "no matter of the matrix is overdue, so there is no proposal to dismiss" },
        // Case-cluster resolution (类案化解): the key names a cluster the caller's jurisdiction groups (or a stored resolution it sees)
        ["GetClusterResolution"] = new(Reach.Object, Readers),
        ["DesignateClusterMeasure"] = new(Reach.Object, ["supervisor", "unitLeader"]),
        ["BatchReplyToCluster"] = new(Reach.Object, ["caseworker", "unitLeader"]),

        // Follow-up (回访) and satisfaction: handlers record, every reader sees
        ["ListFollowUps"] = new(Reach.Listing, Readers),
        ["RecordFollowUp"] = Petition(Handlers),
        ["ListPetitionFollowUps"] = Petition(Readers),
        // 积案化解 backlog campaigns: supervisors and leaders organise; caseworkers own and report; supervisors audit; analysts read figures.
        ["CreateBacklogCampaign"] = new(Reach.Object, BacklogOrganisers, Outside: [400]), // the unit must be the caller's or in its subtree
        ["ListBacklogCampaigns"] = new(Reach.Listing, BacklogReaders),
        ["ListBacklogRechecks"] = new(Reach.Listing, BacklogReaders),
        ["GetBacklogCampaign"] = new(Reach.Object, BacklogReaders),
        ["ListBacklogMembers"] = new(Reach.Object, BacklogReaders),
        ["ListBacklogCandidates"] = new(Reach.Object, BacklogOrganisers),
        ["AddBacklogMembers"] = new(Reach.Object, BacklogOrganisers),
        ["ReportBacklogResolution"] = new(Reach.Object, ["caseworker", "unitLeader", "supervisor"]),
        ["AuditBacklogResolution"] = new(Reach.Object, ["supervisor"]),
        ["RecheckBacklogMember"] = new(Reach.Object, BacklogOrganisers),
        // Ledgers (台账): a list cut to the caller's jurisdiction, masked for readers without a handling role
        ["ExportPetitionLedgerXlsx"] = new(Reach.Listing, Readers),
        ["ExportPetitionLedgerCsv"] = new(Reach.Listing, Readers),
        ["ExportSupervisionLedgerXlsx"] = new(Reach.Listing, Readers),
        ["ExportSupervisionLedgerCsv"] = new(Reach.Listing, Readers),
        ["ExportOwnershipLedgerXlsx"] = new(Reach.Listing, Readers),
        ["ExportOwnershipLedgerCsv"] = new(Reach.Listing, Readers),
        ["ExportBacklogLedgerXlsx"] = new(Reach.Object, BacklogReaders), // names the campaign (campaignId)
        ["ExportBacklogLedgerCsv"] = new(Reach.Object, BacklogReaders),

        // Written notices: templates are the system administrator's; a notice names the petitioner, so only handlers issue it
        ["ListDocumentTemplates"] = new(Reach.Organisation, SystemAdmin),
        ["GetDocumentTemplate"] = new(Reach.Organisation, SystemAdmin),
        ["SaveDocumentTemplate"] = new(Reach.Organisation, SystemAdmin),
        ["GeneratePetitionDocument"] = Petition(Handlers), // a matter just registered has no notice yet: 409 once past the checks
        ["AnnualReport"] = new(Reach.Listing, Readers), // figures of the caller's jurisdiction only

        // The audit trail: the audit administrator alone (三员分立), whatever the unit
        ["ListAuditEntries"] = new(Reach.Organisation, ["auditAdmin"]),
        ["VerifyAuditTrail"] = new(Reach.Organisation, ["auditAdmin"]),
        ["ExportAuditEntries"] = new(Reach.Organisation, ["auditAdmin"]),

        // Warnings (逾期与预警): cut to the caller's subtree; a unit outside it is 404
        ["ListOverdue"] = new(Reach.Listing, Readers),
        ["CountOverdueByUnit"] = new(Reach.Listing, Readers),

        // The notification centre: the caller's unit's notices and their own; another unit's notice is 404
        ["ListNotifications"] = new(Reach.Listing, Readers),
        ["CountUnreadNotifications"] = new(Reach.Listing, Readers),
        ["ReadNotification"] = new(Reach.Object, Readers),
        ["ReadAllNotifications"] = new(Reach.Listing, Readers),

        // Art. 25 urgent reports: flagged by a handling role that sees the matter; the addressed bureau's queue and its acknowledgement
        ["MarkPetitionUrgent"] = Petition(Handlers),
        ["ListUrgentReports"] = new(Reach.Listing, Readers),
        ["AcknowledgeUrgentReport"] = new(Reach.Object, Handlers),

        // The public portal: number + query code, no account
        ["GetChallenge"] = Public,
        ["GetPublicCategories"] = Public,
        ["SubmitOnline"] = Public,
        ["TrackPetition"] = Public,
        ["RateOnline"] = Public,
        ["RequestReviewOnline"] = Public,
        ["WithdrawOnline"] = Public,
        ["DownloadAnswer"] = Public with { Unreachable = "a matter just registered has no written answer to download" },
        ["AddAttachmentsOnline"] = Public,
    };
}
