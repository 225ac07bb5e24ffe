namespace Xinfang.Web.Analysis;

/// <summary>GET /api/v1/clusters/{key} and /staff/clusters/{key}: one case cluster with all its members; null is a 404.</summary>
public sealed class GetCluster(CaseClusters clusters)
{
    public Task<ClusterView?> HandleAsync(Identity.Staff staff, string key, CancellationToken ct) => clusters.GetAsync(staff, key, ct);
}
