using Xinfang.Web.Analysis;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>The case-cluster pages (类案): /staff/clusters over ListClusters, /staff/clusters/{key} over GetCluster.</summary>
public static class ClusterPages
{
    public static void MapClusterPages(RouteGroupBuilder g)
    {
        g.MapGet("/clusters", async ([AsParameters] ClusterCriteria criteria, HttpContext http, ListClusters use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            var result = await use.HandleAsync(me.Staff, criteria, ct);
            if (result.Forbidden) return WorkbenchPages.Forbidden(me);
            return WorkbenchPages.Page<ClustersPage>(new { Me = me, C = criteria, Result = result }, result.Errors is { Count: > 0 } ? 400 : 200);
        });

        g.MapGet("/clusters/{key}", async (string key, HttpContext http, GetCluster use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            if (await use.HandleAsync(me.Staff, key, ct) is not { } cluster)
                return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "类案", Error = "该类案不存在，或其事项已有变化。请回到类案列表重新查看。" }, 404);
            return WorkbenchPages.Page<ClusterPage>(new { Me = me, Cluster = cluster });
        });
    }
}
