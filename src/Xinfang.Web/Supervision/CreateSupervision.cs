using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Supervision;

/// <summary>
/// POST /petitions/{id}/supervisions (and a proposal's issue): <c>form</c> phone | letter | flagged | interview |
/// circular | orderedCorrection; <c>reasons</c> one or more triggers; <c>addresseeUnitId</c> (default: the unit
/// holding the matter); <c>note</c>; <c>dueOn</c> (default: Supervision:FeedbackDays, 30, after today).
/// </summary>
public sealed record SupervisionRequest(string? Form, string?[]? Reasons, Guid? AddresseeUnitId, string? Note, string? DueOn);

/// <summary>
/// 督办 (Art. 40): a supervisor or leader of a unit that may open the matter requires a unit of its territory to act
/// and answer in writing. Recorded as a Supervise annotation on the matter's timeline (its target, the addressee,
/// gets read access), a notice to the addressee, and the audit row of the step — one transaction.
/// </summary>
public sealed class CreateSupervision(XinfangDb db, PetitionWorkflow workflow, Notifier notifier, CalendarStore calendar, TimeProvider time, IConfiguration config)
{
    public const int MaxNote = 2000;

    public int FeedbackDays => Math.Clamp(config.GetValue("Supervision:FeedbackDays", 30), 1, 365);

    public async Task<IResult> HandleAsync(Guid petitionId, SupervisionRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (!SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以督办");
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == petitionId, ct);
        if (petition is null) return Problems.NotFound();
        return await IssueAsync(petition, body, staff, null, ct);
    }

    /// <summary>Validates and records a 督办 on a tracked, visible matter; <paramref name="proposal"/> (tracked) is marked issued in the same transaction.</summary>
    public async Task<IResult> IssueAsync(Petition petition, SupervisionRequest? body, Staff staff, SupervisionProposal? proposal, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors.TryAdd(field, [message]);

        var form = RegisterPetition.ParseEnum<SupervisionForm>(body?.Form);
        if (form is null) Fail("form", "请选择督办方式：phone（电话督办）、letter（督办函）、flagged（挂牌督办）、interview（约谈）、circular（通报）或 orderedCorrection（限期整改）");
        var reasons = new List<SupervisionReason>();
        if (body?.Reasons is not { Length: > 0 }) Fail("reasons", "请至少选择一项督办事由（条例第四十条）");
        else
            foreach (var r in body.Reasons)
            {
                if (RegisterPetition.ParseEnum<SupervisionReason>(r) is { } reason) { if (!reasons.Contains(reason)) reasons.Add(reason); }
                else Fail("reasons", "督办事由应为 notFinishedInTime、resultNotReported、wrongProcedure、shirkingOrDelay 或 opinionNotCarriedOut");
            }
        var note = string.IsNullOrWhiteSpace(body?.Note) ? null : body.Note.Trim();
        if (note is { Length: > MaxNote }) Fail("note", $"督办意见不超过{MaxNote}字");
        var dueOn = calendar.Deadlines.AddCalendarDays(today, FeedbackDays);
        if (!string.IsNullOrWhiteSpace(body?.DueOn))
        {
            if (!DateOnly.TryParseExact(body.DueOn.Trim(), "yyyy-MM-dd", out var asked)) Fail("dueOn", "反馈期限应为日期（年-月-日）");
            else if (asked <= today) Fail("dueOn", "反馈期限应晚于今天");
            else if (asked > today.AddDays(366)) Fail("dueOn", "反馈期限不能超过一年");
            else dueOn = asked;
        }
        var addresseeId = body?.AddresseeUnitId is { } a && a != Guid.Empty ? a : petition.HoldingUnitId;
        var addressee = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == addresseeId, ct);
        if (addressee is null) Fail("addresseeUnitId", "受督办单位不存在");
        else if (!SupervisionScope.Covers(staff.Unit, addressee.Path)) Fail("addresseeUnitId", "受督办单位应在本单位督办范围内（本级及下级单位）");
        if (errors.Count > 0) return Problems.Validation(errors);

        // Art. 30 ¶3: an accusation is never sent to the accused unit, nor is a 督办 about it.
        if (petition.Type == PetitionType.Accusation && petition.AccusedUnitId is { } accused && addressee!.Path.Contains("/" + accused.ToString("N") + "/", StringComparison.Ordinal))
            return Problems.Validation("addresseeUnitId", "检举控告事项不得督办被检举控告单位（条例第三十条）");
        if (await db.Set<Supervision>().AnyAsync(s => s.PetitionId == petition.Id && s.AddresseeUnitId == addresseeId && s.Status != SupervisionStatus.Closed, ct))
            return Problems.Make(StatusCodes.Status409Conflict, "supervision-open", "该事项对该单位已有未办结的督办，请在原督办上继续");

        var supervision = new Supervision
        {
            PetitionId = petition.Id, Number = petition.Number, Form = form!.Value, Reasons = reasons,
            IssuerUnitId = staff.Unit.Id, IssuedByUserId = staff.User.Id, AddresseeUnitId = addresseeId, Note = note,
            IssuedAt = now, IssuedOn = today, DueOn = dueOn, Status = SupervisionStatus.Open, ProposalId = proposal?.Id,
        };
        supervision.SortKey = Supervision.SortKeyOf(now, supervision.Id);
        db.Add(supervision);
        if (proposal is not null)
        {
            proposal.Status = ProposalStatus.Issued;
            proposal.SupervisionId = supervision.Id;
            proposal.DecidedAt = now;
            proposal.DecidedByUserId = staff.User.Id;
            proposal.Version++;
        }
        var e = petition.Annotate(PetitionAction.Supervise, staff.Actor, now, note,
            new { supervisionId = supervision.Id, form = Wire(form.Value), reasons = reasons.Select(r => Wire(r)).ToList(), dueOn, proposalId = proposal?.Id },
            addresseeId);
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = addresseeId, Kind = NotificationKinds.Supervision,
            Title = $"督办：{petition.Number}（{SupervisionNames.Of(form.Value)}）",
            Body = $"{staff.Unit.Name}督办信访事项{petition.Number}，请于{dueOn:yyyy-MM-dd}前书面反馈办理情况。",
            PetitionId = petition.Id, Link = $"/staff/supervision/{supervision.Id}",
        }, ct);
        return await workflow.SaveStepAsync(petition, e, ct) switch
        {
            PetitionWorkflow.StepSaved.Conflict => Problems.ConcurrentChange(),
            PetitionWorkflow.StepSaved.TooLong => Problems.Validation("note", "内容过长"),
            _ => TypedResults.Created($"/api/v1/supervisions/{supervision.Id}", await GetSupervision.ViewAsync(db, staff, supervision.Id, ct)),
        };
    }

    static string Wire<T>(T value) where T : struct, Enum => Workbench.Wire.Of(value);
}
