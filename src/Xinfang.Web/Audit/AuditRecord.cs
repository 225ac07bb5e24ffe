using System.Text.Json;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Audit;

/// <summary>Who acted: a staff account (name and unit), the petitioner through the portal, the system, or an unknown caller.</summary>
public sealed record AuditActor(string Kind, Guid? UserId = null, string? UserName = null, Guid? UnitId = null)
{
    public static readonly AuditActor System = new("system");
    public static readonly AuditActor Petitioner = new("petitioner");

    public static AuditActor Of(Staff staff) => new("staff", staff.User.Id, staff.User.UserName, staff.Unit.Id);
    public static AuditActor Of(StaffUser user) => new("staff", user.Id, user.UserName, user.UnitId);

    /// <summary>The signed-in account of a request; its name and unit are looked up when the row is written.</summary>
    public static AuditActor Of(global::System.Security.Claims.ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(global::System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id) ? new("staff", id) : new("anonymous");

    /// <summary>
    /// A sign-in attempt under a user name that has no account: the name as typed, without control characters
    /// (PostgreSQL refuses NUL in text) and cut to 64 characters.
    /// </summary>
    public static AuditActor Unknown(string? userName)
    {
        var name = new string((userName ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return new("anonymous", null, name.Length == 0 ? null : name[..Math.Min(64, name.Length)]);
    }

    public static AuditActor Of(Actor actor) => actor.Kind switch
    {
        ActorKind.Staff => new("staff", actor.UserId, null, actor.UnitId),
        ActorKind.Petitioner => Petitioner,
        _ => System,
    };
}

/// <summary>
/// What to record: a stable action code, the actor, the target and a small detail object. The detail holds
/// references (a petition's number, a unit's id, role names), never personal data in clear (个人信息保护法 Art. 51).
/// </summary>
public sealed record AuditRecord(string Action, AuditActor Actor, string? TargetKind = null, string? TargetId = null, object? Detail = null)
{
    public static AuditRecord Of(string action, Staff staff, string? targetKind = null, object? targetId = null, object? detail = null) =>
        new(action, AuditActor.Of(staff), targetKind, targetId?.ToString(), detail);

    /// <summary>A workflow step as its timeline event tells it: <c>petition.forward</c>, <c>petition.register</c>…</summary>
    public static AuditRecord Step(PetitionEvent e, string? number) =>
        new("petition." + JsonNamingPolicy.CamelCase.ConvertName(e.Action.ToString()), AuditActor.Of(new Actor(e.ActorKind, e.ActorUserId, e.ActorUnitId, new HashSet<Role>())),
            AuditTargets.Petition, e.PetitionId.ToString(),
            new { number, eventSequence = e.Sequence, from = e.FromStatus?.ToString(), to = e.ToStatus.ToString(), targetUnitId = e.TargetUnitId });

    /// <summary>A staff member downloaded one of a petition's attachments.</summary>
    public static AuditRecord Download(AuditActor actor, Petition petition, Guid attachmentId) =>
        new(AuditActions.AttachmentDownloaded, actor, AuditTargets.Petition, petition.Id.ToString(), new { petition.Number, attachmentId });

    internal string? DetailJson => Detail switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(Detail, Json.Options),
    };
}

/// <summary>The kinds of target a row can name.</summary>
public static class AuditTargets
{
    public const string Petition = "petition";
    public const string User = "user";
    public const string Unit = "unit";
    public const string RoutingRule = "routingRule";
    public const string Calendar = "calendar";
    public const string Category = "category";
    public const string Attachment = "attachment";
    public const string AuditTrail = "auditTrail";
}

/// <summary>
/// The action codes, stable strings that the audit page filters on and that outlive renames in the code.
/// Workflow steps are <c>petition.</c> + the step's action (register, forward, assign, accept, reply, close…).
/// </summary>
public static class AuditActions
{
    public const string SignInSucceeded = "signIn.succeeded";
    public const string SignInFailed = "signIn.failed";
    public const string SignInLockedOut = "signIn.lockedOut";
    public const string SignedOut = "signIn.signedOut";
    public const string PasswordChanged = "user.passwordChanged";
    public const string PasswordReset = "user.passwordReset";
    public const string UserUnlocked = "user.unlocked";
    public const string UserCreated = "user.created";
    public const string RolesChanged = "user.rolesChanged";
    public const string UnitChanged = "user.unitChanged";
    public const string UnitCreated = "unit.created";
    public const string UnitUpdated = "unit.updated";
    public const string RoutingRuleCreated = "routingRule.created";
    public const string RoutingRuleDeleted = "routingRule.deleted";
    public const string CalendarImported = "calendar.imported";
    public const string CategoryAdded = "category.added";
    public const string PersonalDataRevealed = "personalData.revealed";
    public const string RepeatLinkDecided = "petition.repeatLinkDecided";
    public const string CategoryCorrected = "petition.categoryCorrected";
    public const string AttachmentDownloaded = "attachment.downloaded";
    /// <summary>Exports: <c>export.</c> + what was exported (<c>export.ledger</c>, <c>export.audit</c>…).</summary>
    public const string ExportPrefix = "export.";
    public const string AuditExported = "export.audit";
    public const string AuditPurged = "audit.purged";

    public static string Export(string what) => ExportPrefix + what;
}
