using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;

namespace Xinfang.Web.Supervision;

/// <summary>POST /supervisions/{id}/return: <c>reason</c> — what is missing; <c>dueOn</c> (optional) the new date.</summary>
public sealed record ReturnSupervisionRequest(string? Reason, string? DueOn);

/// <summary>
/// The issuer sends an answered 督办 back for more (退回重办): it awaits feedback again, by a new date (default
/// Supervision:FeedbackDays after today). Audited (supervision.returned); the addressee gets a notice.
/// </summary>
public sealed class ReturnSupervision(XinfangDb db, Notifier notifier, CreateSupervision create, CalendarStore calendar, TimeProvider time)
{
    public const int MaxReason = 1000;

    public async Task<IResult> HandleAsync(Guid id, ReturnSupervisionRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (!SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以退回督办反馈");
        var s = await SupervisionScope.Visible(db, staff).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return Problems.NotFound("督办");
        if (s.IssuerUnitId != staff.Unit.Id) return Problems.Forbidden("只有督办单位可以退回督办反馈");

        var today = ChinaTime.DateOf(time.GetUtcNow());
        var reason = body?.Reason?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(reason)) errors["reason"] = ["请说明退回理由（还需补充哪些办理情况）"];
        else if (reason.Length > MaxReason) errors["reason"] = [$"退回理由不超过{MaxReason}字"];
        var dueOn = calendar.Deadlines.AddCalendarDays(today, create.FeedbackDays);
        if (!string.IsNullOrWhiteSpace(body?.DueOn))
        {
            if (!DateOnly.TryParseExact(body.DueOn.Trim(), "yyyy-MM-dd", out var asked)) errors["dueOn"] = ["反馈期限应为日期（年-月-日）"];
            else if (asked <= today) errors["dueOn"] = ["反馈期限应晚于今天"];
            else if (asked > today.AddDays(366)) errors["dueOn"] = ["反馈期限不能超过一年"];
            else dueOn = asked;
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        if (s.Status != SupervisionStatus.Answered)
            return Problems.Make(StatusCodes.Status409Conflict, "supervision-not-answered",
                s.Status == SupervisionStatus.Closed ? "该督办已办结" : "受督办单位尚未书面反馈，无需退回");

        s.Status = SupervisionStatus.Open;
        s.Returns++;
        s.ReturnReason = reason;
        s.DueOn = dueOn;
        s.Version++;
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = s.AddresseeUnitId, Kind = NotificationKinds.Supervision,
            Title = $"督办反馈被退回：{s.Number}", Body = $"请补充办理情况，于{dueOn:yyyy-MM-dd}前重新书面反馈。",
            PetitionId = s.PetitionId, Link = $"/staff/supervision/{s.Id}",
        }, ct);
        try
        {
            await AuditTrail.For(db).SaveAsync(AuditRecord.Of("supervision.returned", staff, "supervision", s.Id, new { s.Number, s.PetitionId, dueOn }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Make(StatusCodes.Status409Conflict, "concurrent-change", "该督办正被他人同时处理，请刷新后重试");
        }
        return TypedResults.Ok(await GetSupervision.ViewAsync(db, staff, s.Id, ct));
    }
}
