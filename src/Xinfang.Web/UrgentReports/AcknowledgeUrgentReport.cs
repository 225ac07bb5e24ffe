using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.UrgentReports;

/// <summary>
/// The bureau the report was addressed to acknowledges it (签收): the time and the person are kept on the report, an
/// <see cref="PetitionAction.UrgentAcknowledge"/> annotation goes on the timeline and its audit row on the trail.
/// </summary>
public sealed class AcknowledgeUrgentReport(XinfangDb db, PetitionWorkflow workflow, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Forbidden("只有本信访部门的登记员、承办人或负责人可以签收");
        var unit = staff.Unit.Id;
        var report = await db.Set<UrgentReport>().FirstOrDefaultAsync(r => r.Id == id && r.ToUnitId == unit, ct);
        var petition = report is null ? null : await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == report.PetitionId, ct);
        if (report is null || petition is null) return Problems.NotFound("紧急上报");
        if (report.AcknowledgedAt is not null) return Problems.Make(StatusCodes.Status409Conflict, "already-acknowledged", "该报告已签收");
        var now = time.GetUtcNow();
        report.AcknowledgedAt = now;
        report.AcknowledgedByUserId = staff.User.Id;
        var e = petition.Annotate(PetitionAction.UrgentAcknowledge, staff.Actor, now, null, new { reportId = report.Id });
        return await workflow.SaveStepAsync(petition, e, ct) switch
        {
            PetitionWorkflow.StepSaved.Saved => TypedResults.Ok(await ListUrgentReports.ViewAsync(db, staff, report, petition, ct)),
            _ => Problems.ConcurrentChange(),
        };
    }
}
