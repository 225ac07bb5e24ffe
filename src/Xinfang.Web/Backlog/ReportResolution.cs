using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record ReportRequest(string? Summary, string? Evidence, IReadOnlyList<Guid>? AttachmentIds);

/// <summary>
/// 上报化解 (POST …/members/{memberId}/report): the owner reports how the matter was resolved, with a text of
/// evidence and, optionally, attachments already on the matter (by id). The campaign unit is told to audit.
/// </summary>
public sealed class ReportResolution(XinfangDb db, MemberStep step)
{
    public async Task<IResult> HandleAsync(Guid id, Guid memberId, ReportRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.HasAny(BacklogAccess.Reporters)) return Problems.Forbidden();
        return await step.RunAsync(id, memberId, staff, ifMatch, async c =>
        {
            if (body is null) return WorkflowError.Required("body", "请求内容不能为空");
            var attachments = (body.AttachmentIds ?? []).Distinct().ToList();
            if (attachments.Count > 50) return WorkflowError.Required("attachmentIds", "最多引用50个附件");
            if (attachments.Count > 0 && await db.Attachments.CountAsync(a => a.PetitionId == c.Petition.Id && attachments.Contains(a.Id), ct) != attachments.Count)
                return WorkflowError.Required("attachmentIds", "引用的附件应为本信访事项的附件");
            var outcome = c.Member.Report(c.Actor, body.Summary, body.Evidence, attachments, c.Now);
            if (outcome.IsApplied)
                await step.NotifyCampaignUnitAsync(c.Reach, c.Member, $"积案上报化解待审核：{c.Member.PetitionNumber}",
                    $"积案 {c.Member.PetitionNumber}（{c.Reach.Campaign.Name}）已上报化解，请审核。", ct);
            return outcome;
        }, ct);
    }
}
