using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record CriteriaRequest(int? MinRepeats, int? OpenLongerThanDays, bool? PetitioningAfterFinal);

public sealed record CreateCampaignRequest(string? Name, Guid? UnitId, DateOnly? StartsOn, DateOnly? EndsOn, CriteriaRequest? Criteria);

/// <summary>
/// 积案化解专项工作: a supervisor or unit leader defines a campaign of their unit or a unit of its subtree
/// (POST /api/v1/backlog-campaigns → 201).
/// </summary>
public sealed class CreateCampaign(XinfangDb db, TimeProvider time)
{
    public async Task<IResult> HandleAsync(CreateCampaignRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.HasAny(BacklogAccess.Organisers)) return Problems.Forbidden();
        if (body is null) return Problems.Validation("body", "请求内容不能为空");
        var unitId = body.UnitId ?? staff.Unit.Id;
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
        var errors = new Dictionary<string, List<string>>();
        if (unit is null || !staff.Unit.Contains(unit)) errors["unitId"] = ["单位应为本单位或本单位管辖范围内的单位"];
        var c = body.Criteria;
        var now = time.GetUtcNow();
        var (campaign, problems) = BacklogCampaign.Create(body.Name, unitId, body.StartsOn, body.EndsOn,
            new CampaignCriteria(c?.MinRepeats, c?.OpenLongerThanDays, c?.PetitioningAfterFinal == true), staff.User.Id, now);
        foreach (var (field, message) in problems) (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        if (errors.Count > 0) return Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

        db.Add(campaign!);
        await AuditTrail.For(db).SaveAsync(AuditRecord.Of("backlog.campaign.created", staff, "backlogCampaign", campaign!.Id,
            new { unitId, campaign.StartsOn, campaign.EndsOn, campaign.MinRepeats, campaign.OpenLongerThanDays, campaign.PetitioningAfterFinal }), ct);
        var view = GetCampaign.Of(campaign, unit!.Name, ProgressView.Empty, ChinaTime.DateOf(now), true);
        return new ETagged(TypedResults.Created($"/api/v1/backlog-campaigns/{campaign.Id}", view), campaign.Version);
    }
}
