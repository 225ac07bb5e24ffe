using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Supervision;

/// <summary>POST /supervisions/{id}/feedback: the written answer (<c>text</c>) and the measures taken (<c>measures</c>, optional).</summary>
public sealed record SupervisionFeedbackRequest(string? Text, string? Measures);

/// <summary>
/// The addressee answers a 督办 in writing (Art. 40; 2005 Regulations: within 30 days): a caseworker or leader of the
/// addressee unit, while the 督办 awaits feedback (also when late or escalated). A SupervisionFeedback annotation on
/// the timeline, a notice to the issuing unit. Two answers at once: one wins, the other gets 409.
/// </summary>
public sealed class AnswerSupervision(XinfangDb db, PetitionWorkflow workflow, Notifier notifier, TimeProvider time)
{
    public const int MaxText = 4000;
    public const int MaxMeasures = 2000;

    public async Task<IResult> HandleAsync(Guid id, SupervisionFeedbackRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (!SupervisionScope.Answers(staff)) return Problems.Forbidden("只有受督办单位的承办人或单位负责人可以反馈");
        var s = await SupervisionScope.Visible(db, staff).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return Problems.NotFound("督办");
        if (s.AddresseeUnitId != staff.Unit.Id) return Problems.Forbidden("只有受督办单位可以反馈");

        var text = body?.Text?.Trim();
        var measures = string.IsNullOrWhiteSpace(body?.Measures) ? null : body.Measures.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(text)) errors["text"] = ["请填写书面反馈（办理情况）"];
        else if (text.Length > MaxText) errors["text"] = [$"书面反馈不超过{MaxText}字"];
        if (measures is { Length: > MaxMeasures }) errors["measures"] = [$"整改措施不超过{MaxMeasures}字"];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (!s.AwaitsFeedback) return Problems.Make(StatusCodes.Status409Conflict, "supervision-not-awaiting", "该督办已反馈或已办结，无需再次反馈");

        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == s.PetitionId, ct);
        if (petition is null) return Problems.NotFound("督办");
        var now = time.GetUtcNow();
        s.FeedbackAt = now;
        s.FeedbackOn = ChinaTime.DateOf(now);
        s.FeedbackText = text;
        s.FeedbackMeasures = measures;
        s.FeedbackByUserId = staff.User.Id;
        if (s.FeedbackOn > s.DueOn) s.Late = true;
        s.Status = SupervisionStatus.Answered;
        s.Version++;
        var e = petition.Annotate(PetitionAction.SupervisionFeedback, staff.Actor, now, text,
            new { supervisionId = s.Id, measures, late = s.Late });
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = s.IssuerUnitId, Kind = NotificationKinds.Supervision,
            Title = $"督办反馈：{s.Number}", Body = $"{staff.Unit.Name}已书面反馈督办事项{s.Number}，请审核办结或退回。",
            PetitionId = s.PetitionId, Link = $"/staff/supervision/{s.Id}",
        }, ct);
        return await workflow.SaveStepAsync(petition, e, ct) switch
        {
            PetitionWorkflow.StepSaved.Conflict => Problems.ConcurrentChange(),
            PetitionWorkflow.StepSaved.TooLong => Problems.Validation("text", "内容过长"),
            _ => TypedResults.Ok(await GetSupervision.ViewAsync(db, staff, s.Id, ct)),
        };
    }
}
