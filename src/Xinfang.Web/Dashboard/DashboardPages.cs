using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;
using Xinfang.Web.Dashboard.Pages;

namespace Xinfang.Web.Dashboard;

/// <summary>数据看板 (/staff/dashboard) and its drill-down (/staff/dashboard/drill), over the same queries as /api/v1/measures.</summary>
public static class DashboardPages
{
    public static void MapDashboardPages(RouteGroupBuilder g)
    {
        g.MapGet("/dashboard", async (string? unitId, string? from, string? to, string? by, HttpContext http, MeasureQueries q, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            var scope = await q.ScopeAsync(me.Staff, unitId, from, to, ct);
            if (scope.NotFound) return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "数据看板", Error = "该单位不存在或不在本单位管辖范围内。" }, 404);
            if (scope.Scope is not { } s)
                return WorkbenchPages.Page<DashboardPage>(new { Me = me, Errors = scope.Errors, UnitId = unitId, FromText = from, ToText = to, By = by }, 400);
            var bucket = by == "week" ? "week" : "month";
            var trendFrom = bucket == "week" ? s.To.AddDays(-12 * 7 + 1) : new DateOnly(s.To.Year, s.To.Month, 1).AddMonths(-11);
            var view = new DashboardView(
                await q.MeasuresAsync(s, ct),
                await q.TrendAsync(s with { From = trendFrom < s.From ? trendFrom : s.From }, bucket, ct),
                await q.BreakdownAsync(s, Domain.Measures.Dim.Category, ct),
                await q.BreakdownAsync(s, Domain.Measures.Dim.Channel, ct),
                await q.BreakdownAsync(s, Domain.Measures.Dim.Region, ct),
                await q.BreakdownAsync(s, Domain.Measures.Dim.Unit, ct),
                await q.AlertsAsync(s.Unit, s.Today, ct),
                await BreadcrumbAsync(http, me, s.Unit, ct));
            return WorkbenchPages.Page<DashboardPage>(new { Me = me, View = view, By = bucket, UnitId = unitId });
        });

        g.MapGet("/dashboard/drill", async ([Microsoft.AspNetCore.Http.AsParameters] DrillCriteria c, HttpContext http, DrillDown use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            var (list, scope) = await use.HandleAsync(me.Staff, c, ct);
            if (scope.NotFound) return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "指标明细", Error = "该单位不存在或不在本单位管辖范围内。" }, 404);
            if (list is null) return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "指标明细", Error = "请检查指标和日期（日期格式 yyyy-MM-dd）。" }, 400);
            return WorkbenchPages.Page<DrillPage>(new { Me = me, List = list, C = c });
        });
    }

    /// <summary>The units from the caller's own down to the scope shown, for going back up.</summary>
    static async Task<IReadOnlyList<(Guid Id, string Name)>> BreadcrumbAsync(HttpContext http, Me me, Domain.Organisation.Unit scope, CancellationToken ct)
    {
        var db = http.RequestServices.GetRequiredService<Data.XinfangDb>();
        var ids = Petitions.Jurisdiction.PathOf(scope.Path).SkipWhile(id => id != me.Staff.Unit.Id).ToList();
        var names = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.Units.Where(u => ids.Contains(u.Id)), u => u.Id, u => u.Name, ct);
        return ids.Select(id => (id, names.GetValueOrDefault(id, ""))).ToList();
    }
}

public sealed record DashboardView(
    MeasuresView Measures, TrendView Trend, BreakdownView Categories, BreakdownView Channels, BreakdownView Regions, BreakdownView Units,
    AlertsView Alerts, IReadOnlyList<(Guid Id, string Name)> Breadcrumb);
