using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Routing;

/// <summary>Routing rules (region × category → responsible unit) and the category taxonomy.</summary>
public static class RoutingEndpoints
{
    public static void MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/routing-rules").WithTags("Routing").RequireAuthorization();
        g.MapGet("/", ListRoutingRules.HandleAsync).WithName("ListRoutingRules");
        g.MapGet("/match", MatchRoutingRules.HandleAsync).WithName("MatchRoutingRules").WithSummary("按事项所在地和分类建议责任单位");
        g.MapPost("/", CreateAsync).WithName("CreateRoutingRule");
        g.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteRoutingRule");

        var categories = app.MapGroup("/api/v1/categories").WithTags("Routing").RequireAuthorization();
        categories.MapGet("/", ListCategories.HandleAsync).WithName("ListCategories");
        categories.MapPost("/", AddCategoryAsync).WithName("AddCategory").WithSummary("新增二级问题分类（系统管理员）");
    }

    static async Task<IResult> CreateAsync([FromBody] RoutingRuleRequest body, HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await CreateRoutingRule.HandleAsync(body, staff, db, ct) : Problems.Unauthenticated();

    static async Task<IResult> DeleteAsync(Guid id, HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await DeleteRoutingRule.HandleAsync(id, staff, db, ct) : Problems.Unauthenticated();

    static async Task<IResult> AddCategoryAsync([FromBody] AddCategoryRequest body, HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await AddCategory.HandleAsync(body, staff, db, ct) : Problems.Unauthenticated();
}
