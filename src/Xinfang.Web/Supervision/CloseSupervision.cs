using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;

namespace Xinfang.Web.Supervision;

/// <summary>POST /supervisions/{id}/close: <c>note</c> (optional) — the issuer accepts the feedback.</summary>
public sealed record CloseSupervisionRequest(string? Note);

/// <summary>
/// The issuer closes an answered 督办 (办结). Not a fact about the matter itself but about the 督办, so it is
/// recorded on the audit trail (supervision.closed) beside the 督办's row; the addressee gets a notice.
/// </summary>
public sealed class CloseSupervision(XinfangDb db, Notifier notifier, TimeProvider time)
{
    public const int MaxNote = 1000;

    public async Task<IResult> HandleAsync(Guid id, CloseSupervisionRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (!SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以办结督办");
        var s = await SupervisionScope.Visible(db, staff).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return Problems.NotFound("督办");
        if (s.IssuerUnitId != staff.Unit.Id) return Problems.Forbidden("只有督办单位可以办结督办");
        var note = string.IsNullOrWhiteSpace(body?.Note) ? null : body.Note.Trim();
        if (note is { Length: > MaxNote }) return Problems.Validation("note", $"办结意见不超过{MaxNote}字");
        if (s.Status != SupervisionStatus.Answered)
            return Problems.Make(StatusCodes.Status409Conflict, "supervision-not-answered",
                s.Status == SupervisionStatus.Closed ? "该督办已办结" : "受督办单位尚未书面反馈，不能办结");

        s.Status = SupervisionStatus.Closed;
        s.ClosedAt = time.GetUtcNow();
        s.ClosedByUserId = staff.User.Id;
        s.CloseNote = note;
        s.Version++;
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = s.AddresseeUnitId, Kind = NotificationKinds.Supervision,
            Title = $"督办已办结：{s.Number}", PetitionId = s.PetitionId, Link = $"/staff/supervision/{s.Id}",
        }, ct);
        try
        {
            await AuditTrail.For(db).SaveAsync(AuditRecord.Of("supervision.closed", staff, "supervision", s.Id, new { s.Number, s.PetitionId }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Make(StatusCodes.Status409Conflict, "concurrent-change", "该督办正被他人同时处理，请刷新后重试");
        }
        return TypedResults.Ok(await GetSupervision.ViewAsync(db, staff, s.Id, ct));
    }
}
