using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Data;
using Xinfang.Web.Search;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>The search page (查询): a GET form over the same SearchPetitions use case as GET /api/v1/petitions/search.</summary>
public static class SearchPages
{
    public static void MapSearchPages(RouteGroupBuilder g) =>
        g.MapGet("/search", async ([AsParameters] SearchCriteria criteria, HttpContext http, SearchPetitions use, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct);
            var asked = http.Request.Query.Keys.Any(k => k != "cursor" && !string.IsNullOrWhiteSpace(http.Request.Query[k]));
            SearchResult? result = asked ? await use.HandleAsync(me.Staff, criteria with { Limit = 50 }, ct) : null;
            if (result?.Refusal is { } refusal)
                return refusal == SearchRefusal.Forbidden ? WorkbenchPages.Forbidden(me) : WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "查询", Error = "单位不存在或不在本单位管辖范围内。" }, 404);
            return WorkbenchPages.Page<SearchPage>(new
            {
                Me = me, C = criteria, Result = result, Categories = (IReadOnlyList<Intake.Category>)categories,
                Today = ChinaTime.DateOf(time.GetUtcNow()), Query = http.Request.QueryString.Value ?? "",
            }, result?.Errors is { Count: > 0 } ? 400 : 200);
        });
}
