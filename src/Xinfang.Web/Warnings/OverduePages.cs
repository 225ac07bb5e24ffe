using Xinfang.Web.Workbench;

namespace Xinfang.Web.Warnings;

/// <summary>逾期与预警 (/staff/overdue): counts by holding unit and the list of late matters of a unit's jurisdiction.</summary>
public static class OverduePages
{
    public static void MapOverduePages(RouteGroupBuilder g)
    {
        g.MapGet("/overdue", async (string? unitId, string? clock, string? warning, string? cursor, HttpContext http, ListOverdue use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            Guid? unit = null;
            if (!string.IsNullOrWhiteSpace(unitId))
            {
                if (!Guid.TryParse(unitId, out var parsed)) return NotFound(me);
                unit = parsed;
            }
            var q = new OverdueQuery(unit, string.IsNullOrWhiteSpace(clock) ? null : clock, string.IsNullOrWhiteSpace(warning) ? null : warning, cursor);
            var list = await use.ListAsync(me.Staff, q, ct);
            if (list.NotFound) return NotFound(me);
            var counts = await use.CountByUnitAsync(me.Staff, unit, ct);
            return WorkbenchPages.Page<OverduePage>(new { Me = me, Q = q, List = list, Counts = counts.Value! }, list.Errors is { Count: > 0 } ? 400 : 200);
        });
    }

    static IResult NotFound(Me me) =>
        WorkbenchPages.Page<Workbench.Pages.MessagePage>(new { Me = me, Title = "逾期与预警", Error = "该单位不存在或不在本单位管辖范围内。" }, 404);
}
