using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Intake;

/// <summary>Body of POST /petitions/{id}/repeat-link.</summary>
public sealed record RepeatLinkRequest(Guid? CandidateId, string? Decision);

/// <summary>
/// A clerk confirms or rejects a proposed repeat link. Confirm links the petition to the candidate's original matter
/// (<see cref="Petition.LinkRepeat"/>); reject records that the candidate is not the same matter, so it is no longer
/// proposed, and undoes the link if the petition was linked to it. Every decision is recorded.
/// </summary>
public sealed class DecideRepeatLink(XinfangDb db, PetitionWorkflow workflow, RegisterPetition register, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, RepeatLinkRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Forbidden("只有登记员、承办人或单位负责人可以确认或排除重复信访");
        var errors = new Dictionary<string, string[]>();
        if (body?.CandidateId is not { } candidateId || candidateId == Guid.Empty) errors["candidateId"] = ["请指定候选信访事项"];
        var verdict = body?.Decision switch { "confirm" => RepeatLinkVerdict.Confirm, "reject" => RepeatLinkVerdict.Reject, _ => (RepeatLinkVerdict?)null };
        if (verdict is null) errors["decision"] = ["decision 应为 confirm（确认重复）或 reject（不是重复）"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var petition = await Jurisdiction.Visible(db, staff).Include(p => p.Petitioners).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null || Jurisdiction.IsAccused(staff, petition)) return Problems.NotFound();
        if (ifMatch is { } expected && expected != petition.Version) return Problems.StaleVersion(petition.Version);
        // Art. 28 ¶3: linking a repeat decides on the matter like a step does.
        if (await Recusals.IsRecusedAsync(db, petition.Id, staff.User.Id, ct))
            return Problems.Make(StatusCodes.Status403Forbidden, WorkflowError.Recused.Code, WorkflowError.Recused.Title, detail: WorkflowError.Recused.Title);
        var candidate = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == body!.CandidateId, ct);
        if (candidate is null || Jurisdiction.IsAccused(staff, candidate)) return Problems.Validation("candidateId", "候选信访事项不存在或不在本单位管辖范围内");

        var r = Text.Duplicates.NearDuplicates.Score(FindSimilarPetitions.BodyOf(petition.Title, petition.Content),
            FindSimilarPetitions.BodyOf(candidate.Title, candidate.Content), FindSimilarPetitions.Options);
        WorkflowError? refused;
        if (verdict == RepeatLinkVerdict.Confirm)
        {
            var root = await register.RootOfAsync(candidate.Id, ct);
            refused = petition.LinkRepeat(root!, candidate.RepeatOfId);
        }
        else
        {
            refused = petition.RepeatOfId is { } linked && (linked == candidate.Id || linked == candidate.RepeatOfId) ? petition.UnlinkRepeat() : null;
        }
        if (refused is not null) return Problems.Of(refused);

        db.RepeatLinkDecisions.Add(new RepeatLinkDecision
        {
            PetitionId = petition.Id, CandidateId = candidate.Id, Decision = verdict!.Value, UserId = staff.User.Id, UnitId = staff.Unit.Id,
            At = time.GetUtcNow(), Similarity = Math.Round(r.Score, 3),
        });
        try
        {
            await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.RepeatLinkDecided, staff, Audit.AuditTargets.Petition, petition.Id, new { petition.Number, candidateId = candidate.Id, decision = verdict!.Value.ToString() }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.ConcurrentChange();
        }
        return workflow.ViewResult(petition, staff, recused: false);
    }
}
