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

        // With its resolution (类案化解): the lead unit sees the page from the stored snapshot (ClusterResolution/).
        g.MapGet("/clusters/{key}", (string key, string? m, HttpContext http, GetCluster use, ClusterResolution.TrackClusterResolution track, CancellationToken ct) =>
            ClusterResolution.ClusterResolutionPages.ShowAsync(http, key, use, track, ct, message: ClusterResolution.ClusterResolutionPages.Flash(m)));
    }
}
