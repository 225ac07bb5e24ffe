namespace Xinfang.Web.Analysis;

/// <summary>GET /api/v1/clusters and /staff/clusters: the case clusters of a region and period (see <see cref="CaseClusters"/>).</summary>
public sealed class ListClusters(CaseClusters clusters)
{
    public Task<ClustersResult> HandleAsync(Identity.Staff staff, ClusterCriteria criteria, CancellationToken ct) => clusters.ListAsync(staff, criteria, ct);
}
