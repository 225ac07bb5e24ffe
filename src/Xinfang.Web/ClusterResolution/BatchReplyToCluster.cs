using Microsoft.AspNetCore.Http.HttpResults;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Handling;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.ClusterResolution;

/// <summary>One common written opinion (Art. 32) for the chosen members of a cluster.</summary>
public sealed record BatchReplyRequest(IReadOnlyList<Guid>? PetitionIds, string? Decision, string? Text, DateOnly? DeliveredOn);

/// <summary>Why one member was not replied to: the problem its own reply step answered.</summary>
public sealed record MemberProblem(string Type, string Title, int Status);

/// <summary>What happened to one chosen member: <c>replied</c>, or <c>refused</c> with its problem.</summary>
public sealed record MemberOutcome(Guid PetitionId, string? Number, string Outcome, MemberProblem? Problem);

public sealed record BatchReplyResult(string Key, int Replied, int Refused, IReadOnlyList<MemberOutcome> Items);

/// <summary>
/// POST /api/v1/clusters/{key}/batch-reply: the ordinary <c>reply</c> step applied to each chosen member through
/// PetitionWorkflow — each in a unit of work of its own, so each has its own event, clocks and version, and each may
/// fail alone (not the holding unit, not accepted yet, changed meanwhile…) without touching the others. A member
/// changed concurrently answers <c>concurrent-change</c> for that member; replying twice is refused by the
/// workflow (a replied matter cannot be replied again).
/// </summary>
public sealed class BatchReplyToCluster(TrackClusterResolution track, IServiceScopeFactory scopes, XinfangDb db)
{
    public const int MaxMembers = 200;
    public const string AuditAction = "cluster.batchReply";
    public static readonly MemberProblem NotMember = new(Problems.TypeBase + "not-cluster-member", "该事项不属于本类案，或不在本单位管辖范围内", 409);

    public async Task<IResult> HandleAsync(Staff staff, string key, BatchReplyRequest? r, CancellationToken ct)
    {
        // The written opinion is the deciders' (Workflow: caseworker, unit leader of the holding unit).
        if (!staff.WorksOnPetitions || !staff.HasAny(Role.Caseworker, Role.UnitLeader)) return Problems.Of(WorkflowError.RoleNotPermitted);
        var found = await track.FindAsync(staff, key, ct);
        if (!found.Any) return Problems.NotFound("类案");

        var input = ReplyToPetition.Input(new OpinionRequest(r?.Decision, r?.Text, r?.DeliveredOn));
        var errors = new Dictionary<string, string[]>(input.Errors);
        var ids = r?.PetitionIds?.Distinct().ToList() ?? [];
        if (ids.Count == 0) errors["petitionIds"] = ["请选择要答复的事项"];
        else if (ids.Count > MaxMembers) errors["petitionIds"] = [$"一次不超过{MaxMembers}件"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var members = found.Members.ToDictionary(m => m.Id);
        var items = new List<MemberOutcome>();
        foreach (var id in ids)
        {
            if (!members.TryGetValue(id, out var member))
            {
                items.Add(new(id, null, "refused", NotMember));
                continue;
            }
            // A unit of work per member: a refusal or a conflict leaves nothing pending for the next one.
            await using var scope = scopes.CreateAsyncScope();
            var workflow = scope.ServiceProvider.GetRequiredService<PetitionWorkflow>();
            var result = await workflow.RunAsync(id, input.Command!, staff, null, ct);
            if (result is ETagged tagged) result = tagged.Inner;
            items.Add(result is ProblemHttpResult p
                ? new(id, member.Number, "refused", new(p.ProblemDetails.Type ?? "", p.ProblemDetails.Title ?? "", p.StatusCode))
                : new(id, member.Number, "replied", null));
        }
        var replied = items.Where(i => i.Outcome == "replied").Select(i => i.Number).ToList();
        await AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditAction, staff, "cluster", key,
            new { replied = replied.Take(50), repliedCount = replied.Count, refused = items.Count - replied.Count }), ct);
        return TypedResults.Ok(new BatchReplyResult(key, replied.Count, items.Count - replied.Count, items));
    }
}
