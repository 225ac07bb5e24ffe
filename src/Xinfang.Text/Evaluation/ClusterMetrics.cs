namespace Xinfang.Text.Evaluation;

/// <summary>
/// Predicted clusters against reference issues, over the messages the reference labels. Purity: the share of those
/// messages whose predicted cluster's majority issue is their own. Pair recall: the share of same-issue pairs put in one
/// cluster. Coverage: per issue, the largest share of its messages in one cluster, averaged. Spill: how many messages
/// outside the reference share clusters with it — a reference of high precision but unknown recall cannot say whether
/// they are errors, so it is reported, not scored.
/// </summary>
public sealed record ClusterMetrics(int Labelled, double Purity, double PairRecall, double Coverage, double MeanClusterSize, int Spill)
{
    public static ClusterMetrics Of(IReadOnlyDictionary<long, string> issueOf, IReadOnlyDictionary<long, int> clusterOf)
    {
        var labelled = issueOf.Keys.Where(clusterOf.ContainsKey).ToList();
        if (labelled.Count == 0) return new ClusterMetrics(0, 0, 0, 0, 0, 0);
        var byCluster = labelled.GroupBy(id => clusterOf[id]).ToList();
        var purity = (double)byCluster.Sum(g => g.GroupBy(id => issueOf[id]).Max(x => x.Count())) / labelled.Count;
        long pairs = 0, together = 0;
        foreach (var issue in labelled.GroupBy(id => issueOf[id]))
        {
            var ids = issue.ToArray();
            for (var i = 0; i < ids.Length; i++)
                for (var j = i + 1; j < ids.Length; j++)
                {
                    pairs++;
                    if (clusterOf[ids[i]] == clusterOf[ids[j]]) together++;
                }
        }
        var coverage = labelled.GroupBy(id => issueOf[id]).Average(g => (double)g.GroupBy(id => clusterOf[id]).Max(x => x.Count()) / g.Count());
        var touched = byCluster.Select(g => g.Key).ToHashSet();
        var sizes = clusterOf.Values.Where(touched.Contains).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var spill = sizes.Values.Sum() - labelled.Count;
        return new ClusterMetrics(labelled.Count, purity, pairs == 0 ? 1 : (double)together / pairs, coverage, sizes.Values.Average(), spill);
    }
}
