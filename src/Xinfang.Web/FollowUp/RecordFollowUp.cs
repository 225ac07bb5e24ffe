using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.FollowUp;

/// <summary>回访: channel (phone, visit, SMS), what came of it, whether the petitioner was reached, and the satisfaction they stated.</summary>
public sealed record FollowUpRequest(string? Channel, string? Result, bool? ReachedPetitioner, string? Satisfaction);

/// <summary>A rating as staff and the API show it.</summary>
public sealed record RatingView(RatingStage Stage, string StageName, SatisfactionLevel Level, string LevelName, RatingChannel Channel, string ChannelName,
    string? Comment, DateTimeOffset RecordedAt, Guid? RecordedByUserId);

/// <summary>A recorded follow-up, with the rating it recorded when the petitioner stated their satisfaction.</summary>
public sealed record FollowUpView(Guid Id, Guid PetitionId, string Number, RatingStage Stage, string StageName, FollowUpChannel Channel, string ChannelName,
    string Result, bool ReachedPetitioner, SatisfactionLevel? Satisfaction, string? SatisfactionName, DateTimeOffset RecordedAt, Guid RecordedByUserId, Guid UnitId)
{
    public static FollowUpView Of(PetitionFollowUp f, string number) => new(f.Id, f.PetitionId, number, f.Stage, Ratings.StageName(f.Stage), f.Channel,
        Ratings.ChannelName(f.Channel), f.Result, f.ReachedPetitioner, f.Satisfaction, f.Satisfaction is { } s ? Domain.Petitions.Satisfaction.NameOf(s) : null,
        f.RecordedAt, f.RecordedByUserId, f.UnitId);
}

/// <summary>
/// POST /api/v1/petitions/{id}/follow-ups: a handler of the matter's jurisdiction records a follow-up of its latest
/// answer (a <c>FollowUp</c> annotation on the timeline); a stated satisfaction becomes the stage's rating through
/// the rule the portal uses too (<see cref="Ratings"/>), with its own <c>Rating</c> annotation — both saved with the
/// matter's version, so a concurrent step or a second rating of the stage is refused (409), never doubled.
/// </summary>
public sealed class RecordFollowUp(XinfangDb db, PetitionWorkflow workflow, Ratings ratings, TimeProvider time)
{
    public static readonly WorkflowError BeforeAnswer = new("follow-up-before-reply", "书面答复（复查、复核意见）送达后才能回访");

    public async Task<IResult> HandleAsync(Guid id, FollowUpRequest? r, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        // Supervisors and analysts read; the follow-up is the handling units' own work (domain.md: caseworkers record follow-up).
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Of(WorkflowError.RoleNotPermitted);
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == id, ct);
        // Calling the petitioner is for those who may see them: never a unit that sees only the confidentiality notice (Art. 30 ¶3).
        if (petition is null || Jurisdiction.SightOf(staff, petition) != Sight.Full) return Problems.NotFound();
        // Art. 28 ¶3: who stands recused takes no part in the matter, its follow-up included.
        if (await Recusals.IsRecusedAsync(db, petition.Id, staff.User.Id, ct))
            return Problems.Make(StatusCodes.Status403Forbidden, WorkflowError.Recused.Code, WorkflowError.Recused.Title, detail: WorkflowError.Recused.Title);

        var errors = new Dictionary<string, string[]>();
        var channel = RegisterPetition.ParseEnum<FollowUpChannel>(r?.Channel);
        if (channel is null) errors["channel"] = ["回访方式应为 phone（电话）、visit（上门）或 sms（短信）"];
        if (string.IsNullOrWhiteSpace(r?.Result)) errors["result"] = ["请填写回访情况"];
        else if (r.Result.Length > PetitionFollowUp.MaxResult) errors["result"] = [$"回访情况不超过{PetitionFollowUp.MaxResult}字"];
        if (r?.ReachedPetitioner is null) errors["reachedPetitioner"] = ["请说明是否联系到信访人"];
        SatisfactionLevel? level = null;
        if (!string.IsNullOrWhiteSpace(r?.Satisfaction))
        {
            level = RegisterPetition.ParseEnum<SatisfactionLevel>(r.Satisfaction);
            if (level is null) errors["satisfaction"] = ["满意度应为 satisfied（满意）、basicallySatisfied（基本满意）或 dissatisfied（不满意）"];
            else if (r.ReachedPetitioner == false) errors["satisfaction"] = ["未联系到信访人，不能记录其满意度"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        if (Satisfaction.LatestAnswer(petition) is not { } answer) return Problems.Of(BeforeAnswer);
        var now = time.GetUtcNow();
        // The rating's rule is checked before anything is added, so that a refusal leaves nothing behind.
        if (level is not null && await ratings.RefusalAsync(petition, now, ct) is { } refused) return Problems.Of(refused);
        var followUp = new PetitionFollowUp
        {
            PetitionId = petition.Id, Stage = answer.Stage, Channel = channel!.Value, Result = r!.Result!.Trim(), ReachedPetitioner = r.ReachedPetitioner!.Value,
            Satisfaction = level, RecordedAt = now, RecordedByUserId = staff.User.Id, UnitId = staff.Unit.Id,
        };
        db.Set<PetitionFollowUp>().Add(followUp);
        // The follow-up, then the rating it recorded: two annotations, one transaction, one version check.
        var noted = petition.Annotate(PetitionAction.FollowUp, staff.Actor, now, followUp.Result,
            new { stage = followUp.Stage, via = followUp.Channel, reachedPetitioner = followUp.ReachedPetitioner, satisfaction = followUp.Satisfaction });
        PetitionEvent? ratingEvent = null;
        if (level is { } l)
        {
            var (_, e, refusedNow) = await ratings.AddAsync(petition, l, null, PetitionFollowUp.RatingChannelOf(followUp.Channel), staff.Actor, now, ct);
            if (refusedNow is not null) return Problems.Of(refusedNow);
            db.PetitionEvents.Add(noted);
            ratingEvent = e;
        }
        var saved = await workflow.SaveStepAsync(petition, ratingEvent ?? noted, ct);
        if (saved == PetitionWorkflow.StepSaved.Conflict)
            return level is not null && await ratings.RatedMeanwhileAsync(petition.Id, answer.Stage, ct) ? Problems.Of(Satisfaction.AlreadyRated) : Problems.ConcurrentChange();
        if (saved == PetitionWorkflow.StepSaved.TooLong) return Problems.Validation("result", "内容过长");
        return TypedResults.Created($"/api/v1/petitions/{petition.Id}/follow-ups", FollowUpView.Of(followUp, petition.Number));
    }
}
