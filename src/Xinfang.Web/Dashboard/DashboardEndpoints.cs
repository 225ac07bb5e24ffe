using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Dashboard;

/// <summary>The measures (domain.md "Measures") over HTTP: figures, trends, breakdowns and early-warning alerts of a unit's subtree.</summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddScoped<MeasureQueries>();
        services.AddScoped<DrillDown>();
        // The backlog campaigns replace this with their own figures.
        services.AddOptions<AlertOptions>().BindConfiguration("Measures:Alerts");
        return services;
    }

    /// <summary>Readers of the figures: every role that works on petitions; administrators (三员) never.</summary>
    static async Task<(Staff? Staff, IResult? Refusal)> ReaderAsync(HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return (null, Problems.Unauthenticated());
        return staff.WorksOnPetitions ? (staff, null) : (null, Problems.Forbidden());
    }

    static IResult Refused(ScopeResult r) => r.NotFound ? Problems.NotFound("单位") : Problems.Validation(r.Errors!);

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/measures", async Task<IResult> (string? unitId, string? from, string? to, HttpContext http, XinfangDb db, MeasureQueries q, CancellationToken ct) =>
            {
                var (staff, refusal) = await ReaderAsync(http, db, ct);
                if (refusal is not null) return refusal;
                var scope = await q.ScopeAsync(staff!, unitId, from, to, ct);
                return scope.Scope is { } s ? TypedResults.Ok(await q.MeasuresAsync(s, ct)) : Refused(scope);
            })
            .RequireAuthorization().WithTags("Measures").WithName("GetMeasures")
            .WithSummary("考核指标：本单位或下级单位（含其全部下级）某期间的及时受理率、按期办结率、参评率、满意率、重复信访率、一次性化解率、平均办理天数、网信占比、积案化解率、层级分布和超期情况（默认本月）")
            .Produces<MeasuresView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/v1/measures/trend", async Task<IResult> (string? unitId, string? by, string? from, string? to, HttpContext http, XinfangDb db, MeasureQueries q, CancellationToken ct) =>
            {
                var (staff, refusal) = await ReaderAsync(http, db, ct);
                if (refusal is not null) return refusal;
                if (!MeasureQueries.TryTrendBy(by, out var bucket)) return Problems.Validation("by", "应为 week 或 month");
                var scope = await q.ScopeAsync(staff!, unitId, from, to, ct, defaultDays: bucket == "week" ? 12 * 7 : 365);
                return scope.Scope is { } s ? TypedResults.Ok(await q.TrendAsync(s, bucket, ct)) : Refused(scope);
            })
            .RequireAuthorization().WithTags("Measures").WithName("GetMeasureTrend")
            .WithSummary("指标趋势：按周或按月的收件数和各项考核指标（默认近12周或近12个月）")
            .Produces<TrendView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/v1/measures/breakdown", async Task<IResult> (string? unitId, string? by, string? from, string? to, HttpContext http, XinfangDb db, MeasureQueries q, CancellationToken ct) =>
            {
                var (staff, refusal) = await ReaderAsync(http, db, ct);
                if (refusal is not null) return refusal;
                by = string.IsNullOrEmpty(by) ? Domain.Measures.Dim.Category : by;
                if (!MeasureQueries.BreakdownKinds.Contains(by)) return Problems.Validation("by", "应为 category、channel、region 或 unit");
                var scope = await q.ScopeAsync(staff!, unitId, from, to, ct);
                return scope.Scope is { } s ? TypedResults.Ok(await q.BreakdownAsync(s, by, ct)) : Refused(scope);
            })
            .RequireAuthorization().WithTags("Measures").WithName("GetMeasureBreakdown")
            .WithSummary("分类统计：按问题类别（默认）、信访渠道、行政区划或下级单位的收件数（按单位时含各项考核指标）")
            .Produces<BreakdownView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/v1/measures/alerts", async Task<IResult> (string? unitId, HttpContext http, XinfangDb db, MeasureQueries q, CancellationToken ct) =>
            {
                var (staff, refusal) = await ReaderAsync(http, db, ct);
                if (refusal is not null) return refusal;
                var scope = await q.ScopeAsync(staff!, unitId, null, null, ct);
                return scope.Scope is { } s ? TypedResults.Ok(await q.AlertsAsync(s.Unit, s.Today, ct)) : Refused(scope);
            })
            .RequireAuthorization().WithTags("Measures").WithName("ListMeasureAlerts")
            .WithSummary("形势研判：近7天收件数较前几周异常上升的问题类别和地区（泊松检验）")
            .Produces<AlertsView>().ProducesProblem(403).ProducesProblem(404);
    }
}
