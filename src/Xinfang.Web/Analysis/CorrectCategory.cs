using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Analysis;

/// <summary>POST /api/v1/petitions/{id}/category: the corrected category code.</summary>
public sealed record CategoryCorrectionRequest(string? CategoryCode);

/// <summary>The petition's category after a correction, and what it was.</summary>
public sealed record CategoryCorrected(Guid Id, string CategoryCode, string? PreviousCategoryCode, int Version);

/// <summary>
/// A clerk of the holding unit corrects a petition's category (登记员、承办人、单位负责人; not once the matter is
/// final). The correction is recorded, which marks the category model stale (it has seen fewer corrections than the store holds), and a retraining is asked for:
/// <see cref="ClassifierRetraining"/> runs it in the background after a quiet period.
/// </summary>
public sealed class CorrectCategory(XinfangDb db, TimeProvider time, ClassifierRetraining retraining)
{
    public async Task<IResult> HandleAsync(Guid id, CategoryCorrectionRequest body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null || Jurisdiction.IsAccused(staff, petition)) return Problems.NotFound();
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader) || petition.HoldingUnitId != staff.Unit.Id)
            return Problems.Forbidden();
        if (petition.Status is PetitionStatus.Final or PetitionStatus.Withdrawn)
            return Problems.Make(409, "matter-is-final", "事项已终结或已撤回，不能更正问题类别");
        var code = body.CategoryCode?.Trim();
        if (string.IsNullOrEmpty(code)) return Problems.Validation("categoryCode", "请选择问题类别");
        if (!await db.Categories.AnyAsync(c => c.Code == code, ct)) return Problems.Validation("categoryCode", "问题类别不存在");
        if (ifMatch is { } expected && expected != petition.Version) return Problems.StaleVersion(petition.Version);
        var previous = petition.CategoryCode;
        if (previous == code) return TypedResults.Ok(new CategoryCorrected(petition.Id, code, previous, petition.Version));

        petition.CorrectCategory(code);
        db.CategoryCorrections.Add(new CategoryCorrection
        {
            PetitionId = petition.Id, FromCode = previous, ToCode = code, UserId = staff.User.Id, UnitId = staff.Unit.Id, At = time.GetUtcNow(),
        });
        try
        {
            await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.CategoryCorrected, staff, Audit.AuditTargets.Petition, petition.Id, new { petition.Number, from = previous, to = code }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ConcurrentChange();
        }
        retraining.Request();
        return TypedResults.Ok(new CategoryCorrected(petition.Id, code, previous, petition.Version));
    }
}
