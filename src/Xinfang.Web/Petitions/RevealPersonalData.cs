using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

/// <summary>
/// Unmasking a petitioner's identity number, phone and address: only for a handling role of a unit that may see
/// them (never the accused unit, Art. 30 ¶3), only with a stated reason, and every time recorded.
/// </summary>
public sealed class RevealPersonalData(XinfangDb db, TimeProvider time)
{
    public const int MaxReason = 500;

    public async Task<IResult> HandleAsync(Guid id, Staff staff, string? reason, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        if (!Jurisdiction.SeesPersonalData(staff, petition)) return Problems.Forbidden("您的角色无权查看信访人完整个人信息");
        if (string.IsNullOrWhiteSpace(reason)) return Problems.Validation("reason", "请说明查看理由");
        if (reason.Length > MaxReason) return Problems.Validation("reason", $"理由不超过{MaxReason}字");
        db.PersonalDataReveals.Add(new PersonalDataReveal { PetitionId = id, UserId = staff.User.Id, UnitId = staff.Unit.Id, Reason = reason.Trim(), At = time.GetUtcNow() });
        await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.PersonalDataRevealed, staff, Audit.AuditTargets.Petition, id, new { petition.Number }), ct);
        return TypedResults.NoContent();
    }
}
