using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Routing;

public sealed record RoutingRuleRequest(string? RegionCode, string? CategoryCode, Guid? UnitId);

/// <summary>A system administrator adds a rule: matters of this region (and category, or any) go to this unit.</summary>
public static class CreateRoutingRule
{
    public static async Task<IResult> HandleAsync(RoutingRuleRequest body, Staff staff, XinfangDb db, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以维护分流规则");
        var errors = new Dictionary<string, string[]>();
        if (!Unit.IsRegionCode(body.RegionCode)) errors["regionCode"] = ["行政区划代码应为6位或9位数字"];
        if (body.CategoryCode is not null && !await db.Categories.AnyAsync(c => c.Code == body.CategoryCode, ct)) errors["categoryCode"] = ["分类不存在"];
        if (body.UnitId is null || !await db.Units.AnyAsync(u => u.Id == body.UnitId, ct)) errors["unitId"] = ["单位不存在"];
        if (errors.Count > 0) return Problems.Validation(errors);
        // A unique index treats NULL categories as distinct, so "any category" duplicates are checked here.
        if (await db.RoutingRules.AnyAsync(r => r.RegionCode == body.RegionCode && r.CategoryCode == body.CategoryCode && r.UnitId == body.UnitId, ct))
            return Duplicate();
        var rule = new RoutingRule { RegionCode = body.RegionCode!, CategoryCode = body.CategoryCode, UnitId = body.UnitId!.Value };
        db.RoutingRules.Add(rule);
        try
        {
            await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.RoutingRuleCreated, staff, Audit.AuditTargets.RoutingRule, rule.Id, new { rule.RegionCode, rule.CategoryCode, rule.UnitId }), ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            return Duplicate();
        }
        return TypedResults.Created($"/api/v1/routing-rules/{rule.Id}", rule);
    }

    static IResult Duplicate() => Problems.Make(409, "duplicate-rule", "相同的分流规则已存在");
}
