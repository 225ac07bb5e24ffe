using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.UrgentReports;

public sealed record UrgentRequest(string? Reason);

/// <summary>
/// 重大紧急事项 (Art. 25): flags a matter urgent — at registration, or later by a handling role of a unit that sees it —
/// and at once reports it to the petition bureau one level up: a report row for the bureau's queue, an
/// <see cref="PetitionAction.UrgentReport"/> annotation naming the bureau (which thereby gains access to the matter),
/// and a notice to the bureau. All in the one transaction of the matter's version.
/// </summary>
public sealed class ReportUrgent(XinfangDb db, PetitionWorkflow workflow, Notifier notifier, TimeProvider time)
{
    public const int MaxReason = 500;
    public const string RegistrationReason = "登记时标记为重大紧急事项";

    public async Task<IResult> HandleAsync(Guid id, UrgentRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Of(WorkflowError.RoleNotPermitted);
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Problems.Validation("reason", "请填写重大紧急的情形");
        if (reason.Length > MaxReason) return Problems.Validation("reason", $"不超过{MaxReason}个字");
        if (petition.Urgent) return Problems.Make(StatusCodes.Status409Conflict, "already-urgent", "该事项已标记为重大紧急，并已向上级信访部门报告");
        if (!Workflow.IsOpen(petition.Status)) return Problems.Make(StatusCodes.Status409Conflict, "matter-closed", "该事项已办结，不能再标记为重大紧急");
        if (ifMatch is { } expected && expected != petition.Version) return Problems.StaleVersion(petition.Version);

        petition.MarkUrgent();
        var (e, report) = await PrepareAsync(petition, petition.HoldingUnitId, staff.Actor, reason, atRegistration: false, ct);
        return await workflow.SaveStepAsync(petition, e, ct) switch
        {
            PetitionWorkflow.StepSaved.Conflict => ifMatch is null ? Problems.ConcurrentChange() : Problems.StaleVersion(petition.Version - 1),
            PetitionWorkflow.StepSaved.TooLong => Problems.Validation("reason", "内容过长"),
            _ => TypedResults.Created($"/api/v1/urgent-reports/{report.Id}", await ListUrgentReports.ViewAsync(db, staff, report, petition, ct)),
        };
    }

    /// <summary>
    /// Registration flagged the matter urgent (<see cref="Intake.RegisterPetition"/>): the report goes with the new
    /// petition, in its transaction.
    /// </summary>
    public async Task AtRegistrationAsync(Petition petition, Unit receiving, Actor actor, CancellationToken ct)
    {
        var (e, _) = await PrepareAsync(petition, receiving.Id, actor, RegistrationReason, atRegistration: true, ct);
        db.PetitionEvents.Add(e);
        await Jurisdiction.GrantAsync(db, petition, e.TargetUnitId!.Value, ct);
    }

    async Task<(PetitionEvent Event, UrgentReport Report)> PrepareAsync(Petition petition, Guid fromUnitId, Actor actor, string reason, bool atRegistration, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var bureau = await BureauAboveAsync(db, fromUnitId, ct);
        var report = new UrgentReport
        {
            PetitionId = petition.Id, FromUnitId = fromUnitId, ToUnitId = bureau, Reason = reason, AtRegistration = atRegistration,
            ReportedAt = now, ReportedByUserId = actor.UserId,
        };
        db.Add(report);
        var e = petition.Annotate(PetitionAction.UrgentReport, actor, now, reason, new { reportId = report.Id, toUnitId = bureau, atRegistration }, bureau);
        var from = await db.Units.Where(u => u.Id == fromUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = bureau,
            Kind = NotificationKinds.UrgentReport,
            Title = $"重大紧急事项报告：{petition.Number}",
            Body = $"{from}报告重大紧急信访事项，请及时签收并研究处置（《信访工作条例》第二十五条）。",
            PetitionId = petition.Id,
            Link = "/staff/urgent",
            CreatedAt = now,
        }, ct);
        return (e, report);
    }

    /// <summary>
    /// The petition bureau one level up from a unit: going up its territorial path from the first level above its own,
    /// the ancestor itself when it is a bureau, else a bureau directly under it (a county government's 信访局);
    /// the root when no level has one.
    /// </summary>
    public static async Task<Guid> BureauAboveAsync(XinfangDb db, Guid unitId, CancellationToken ct)
    {
        var unit = await db.Units.AsNoTracking().FirstAsync(u => u.Id == unitId, ct);
        var path = Jurisdiction.PathOf(unit).ToList();
        var ancestors = path.Take(path.Count - 1).ToList();
        if (ancestors.Count == 0) return unit.Id;
        var candidates = await db.Units.AsNoTracking()
            .Where(u => u.Kind == UnitKind.PetitionBureau && u.Level < unit.Level
                && (ancestors.Contains(u.Id) || (u.ParentId != null && ancestors.Contains(u.ParentId.Value))))
            .Select(u => new { u.Id, u.ParentId, u.Code }).ToListAsync(ct);
        foreach (var a in Enumerable.Reverse(ancestors))
        {
            if (candidates.Any(c => c.Id == a)) return a;
            if (candidates.Where(c => c.ParentId == a).OrderBy(c => c.Code, StringComparer.Ordinal).FirstOrDefault() is { } below) return below.Id;
        }
        return ancestors[0];
    }
}
