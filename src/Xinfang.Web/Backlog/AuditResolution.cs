using Xinfang.Web.Api;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record AuditRequest(bool? Approve, string? Reasons);

/// <summary>
/// 审核 (POST …/members/{memberId}/audit) by a supervisor of the campaign's unit or above, not the reporter:
/// approved, the matter is struck off (销号) and its re-check (回头看) scheduled; refused, it is sent back (退回)
/// with reasons. The owner is told either way.
/// </summary>
public sealed class AuditResolution(MemberStep step)
{
    public async Task<IResult> HandleAsync(Guid id, Guid memberId, AuditRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.Has(Role.Supervisor)) return Problems.Forbidden();
        return await step.RunAsync(id, memberId, staff, ifMatch, async c =>
        {
            if (body is null) return WorkflowError.Required("body", "请求内容不能为空");
            var outcome = c.Member.Audit(c.Actor, body.Approve, body.Reasons, c.Now, c.RecheckDays);
            if (outcome.IsApplied)
                await (body.Approve == true
                    ? step.NotifyOwnerAsync(c.Member, $"积案已销号：{c.Member.PetitionNumber}",
                        $"积案 {c.Member.PetitionNumber} 审核通过，已销号；{c.Member.RecheckDueOn:yyyy-MM-dd} 起回头看。", ct)
                    : step.NotifyOwnerAsync(c.Member, $"积案被退回：{c.Member.PetitionNumber}",
                        $"积案 {c.Member.PetitionNumber} 的化解材料被退回，请按审核意见继续化解后重新上报。", ct));
            return outcome;
        }, ct);
    }
}
