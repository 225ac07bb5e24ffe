using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Routing;

public sealed record RoutingRuleRequest(string? RegionCode, string? CategoryCode, Guid? UnitId);

/// <summary>Routing rules (region × category → responsible unit) and the category taxonomy.</summary>
public static class RoutingEndpoints
{
    public static void MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/routing-rules").WithTags("Routing").RequireAuthorization();
        g.MapGet("/", async (XinfangDb db, CancellationToken ct) =>
            TypedResults.Ok(new { items = await db.RoutingRules.AsNoTracking().OrderBy(r => r.RegionCode).ThenBy(r => r.CategoryCode).ToListAsync(ct), nextCursor = (string?)null }))
            .WithName("ListRoutingRules");
        g.MapGet("/match", MatchAsync).WithName("MatchRoutingRules").WithSummary("按事项所在地和分类建议责任单位");
        g.MapPost("/", CreateAsync).WithName("CreateRoutingRule");
        g.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteRoutingRule");

        app.MapGet("/api/v1/categories", async (XinfangDb db, CancellationToken ct) =>
            TypedResults.Ok(new { items = await db.Categories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct), nextCursor = (string?)null }))
            .WithTags("Routing").RequireAuthorization().WithName("ListCategories");
    }

    /// <summary>
    /// Suggests responsible units: the most specific rule wins — the exact region before its city and province
    /// (GB/T 2260 prefixes), a rule for the category before a rule for any category.
    /// </summary>
    static async Task<IResult> MatchAsync(string? regionCode, string? categoryCode, XinfangDb db, CancellationToken ct)
    {
        if (!Unit.IsRegionCode(regionCode)) return Problems.Validation("regionCode", "行政区划代码应为6位或9位数字");
        var units = await SuggestAsync(db, regionCode!, categoryCode, ct);
        return TypedResults.Ok(new { items = units.Select(u => new { id = u.Id, name = u.Name, level = u.Level }).ToList() });
    }

    /// <summary>The units the rules name for a region and category, most specific first.</summary>
    public static async Task<IReadOnlyList<Unit>> SuggestAsync(XinfangDb db, string regionCode, string? categoryCode, CancellationToken ct)
    {
        if (!Unit.IsRegionCode(regionCode)) return [];
        var candidates = new List<string> { regionCode };
        var six = regionCode[..6];
        if (regionCode.Length == 9) candidates.Add(six);
        candidates.Add(six[..4] + "00");
        candidates.Add(six[..2] + "0000");
        var rules = await db.RoutingRules.AsNoTracking().Where(r => candidates.Contains(r.RegionCode)).ToListAsync(ct);
        var ranked = rules
            .Where(r => r.CategoryCode is null || (categoryCode is not null && categoryCode.StartsWith(r.CategoryCode, StringComparison.Ordinal)))
            .OrderBy(r => candidates.IndexOf(r.RegionCode)).ThenByDescending(r => r.CategoryCode?.Length ?? 0)
            .Select(r => r.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => ranked.Contains(u.Id)).ToListAsync(ct);
        return ranked.Select(id => units.First(u => u.Id == id)).ToList();
    }

    static async Task<IResult> CreateAsync([FromBody] RoutingRuleRequest body, HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以维护分流规则");
        var errors = new Dictionary<string, string[]>();
        if (!Unit.IsRegionCode(body.RegionCode)) errors["regionCode"] = ["行政区划代码应为6位或9位数字"];
        if (body.CategoryCode is not null && !await db.Categories.AnyAsync(c => c.Code == body.CategoryCode, ct)) errors["categoryCode"] = ["分类不存在"];
        if (body.UnitId is null || !await db.Units.AnyAsync(u => u.Id == body.UnitId, ct)) errors["unitId"] = ["单位不存在"];
        if (errors.Count > 0) return Problems.Validation(errors);
        // A unique index treats NULL categories as distinct, so "any category" duplicates are checked here.
        if (await db.RoutingRules.AnyAsync(r => r.RegionCode == body.RegionCode && r.CategoryCode == body.CategoryCode && r.UnitId == body.UnitId, ct))
            return Problems.Make(409, "duplicate-rule", "相同的分流规则已存在");
        var rule = new RoutingRule { RegionCode = body.RegionCode!, CategoryCode = body.CategoryCode, UnitId = body.UnitId!.Value };
        db.RoutingRules.Add(rule);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            return Problems.Make(409, "duplicate-rule", "相同的分流规则已存在");
        }
        return TypedResults.Created($"/api/v1/routing-rules/{rule.Id}", rule);
    }

    static async Task<IResult> DeleteAsync(Guid id, HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以维护分流规则");
        var deleted = await db.RoutingRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Problems.NotFound("分流规则") : TypedResults.NoContent();
    }
}
