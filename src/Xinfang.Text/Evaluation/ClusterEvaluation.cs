using Xinfang.Text.Clusters;

namespace Xinfang.Text.Evaluation;

/// <summary>Case clustering of the whole corpus, scored against reference issues.</summary>
public static class ClusterEvaluation
{
    public sealed record Outcome(ClusterMetrics Silver, ClusterMetrics Example, int Clusters, int NonSingletonClusters, int LargestCluster, IReadOnlyList<CaseCluster> Result);

    public static Outcome Run(IReadOnlyList<PetitionText> messages, IReadOnlyDictionary<long, string> silver, IReadOnlyDictionary<long, string> example, ClusterOptions? options = null)
    {
        var clusters = CaseClustering.Cluster(messages, options);
        var clusterOf = clusters.SelectMany(c => c.Members.Select(m => (m, c.Number))).ToDictionary(x => x.m, x => x.Number);
        return new Outcome(ClusterMetrics.Of(silver, clusterOf), ClusterMetrics.Of(example, clusterOf),
            clusters.Count, clusters.Count(c => c.Members.Count > 1), clusters.Max(c => c.Members.Count), clusters);
    }
}
