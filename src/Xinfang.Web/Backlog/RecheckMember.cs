using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record RecheckRequest(string? Result, string? Note);

/// <summary>
/// 回头看 (POST …/members/{memberId}/recheck) on or after its due day (strike-off + Backlog:RecheckDays, by the
/// server's clock): stable, or relapsed — then the matter is listed again for its owner and counted as relapsed.
/// </summary>
public sealed class RecheckMember(MemberStep step)
{
    public async Task<IResult> HandleAsync(Guid id, Guid memberId, RecheckRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.HasAny(BacklogAccess.Recheckers)) return Problems.Forbidden();
        return await step.RunAsync(id, memberId, staff, ifMatch, async c =>
        {
            if (body is null) return WorkflowError.Required("body", "请求内容不能为空");
            RecheckResult? result = body.Result is null ? null : Intake.RegisterPetition.ParseEnum<RecheckResult>(body.Result);
            if (body.Result is not null && result is null) return WorkflowError.Required("result", "回头看结论应为 stable（稳定）或 relapsed（反复）");
            var outcome = c.Member.Recheck(c.Actor, result, body.Note, c.Now);
            if (outcome.IsApplied)
                await (result == RecheckResult.Relapsed
                    ? step.NotifyOwnerAsync(c.Member, $"积案出现反复，重新列入：{c.Member.PetitionNumber}",
                        $"回头看发现积案 {c.Member.PetitionNumber} 出现反复，已重新列入，请继续化解。", ct)
                    : step.NotifyOwnerAsync(c.Member, $"积案回头看稳定：{c.Member.PetitionNumber}", $"积案 {c.Member.PetitionNumber} 回头看结论：稳定。", ct));
            return outcome;
        }, ct);
    }
}
