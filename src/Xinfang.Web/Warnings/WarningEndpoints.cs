using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Warnings;

/// <summary>/api/v1/overdue: the overdue list of a unit's jurisdiction and its counts by holding unit; the warning notices' sweep.</summary>
public static class WarningEndpoints
{
    public static void AddWarnings(IServiceCollection services)
    {
        services.AddScoped<ListOverdue>();
        services.AddHostedService<WarningSweep>();
    }

    public static void MapWarningEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/overdue").WithTags("Warnings").RequireAuthorization();

        g.MapGet("/", async ([AsParameters] OverdueQuery q, HttpContext http, XinfangDb db, ListOverdue use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? (await use.ListAsync(staff, q, ct)).ToResult() : Problems.Unauthenticated())
            .WithName("ListOverdue").WithSummary("逾期与临期事项（本单位或下级单位辖区，逾期最久的在前）")
            .Produces<OverdueListing>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/by-unit", async (Guid? unitId, HttpContext http, XinfangDb db, ListOverdue use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? (await use.CountByUnitAsync(staff, unitId, ct)).ToResult() : Problems.Unauthenticated())
            .WithName("CountOverdueByUnit").WithSummary("各承办单位的逾期与临期事项数")
            .Produces<OverdueCounts>().ProducesProblem(403).ProducesProblem(404);
    }
}
