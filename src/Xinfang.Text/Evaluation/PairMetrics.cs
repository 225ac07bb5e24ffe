namespace Xinfang.Text.Evaluation;

/// <summary>Precision and recall of predicted "same matter" pairs against groups known to be the same matter.</summary>
public readonly record struct PairMetrics(int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>
    /// Compares predicted pairs with the pairs inside each truth group. Ids in no group belong to a group of their own,
    /// so a predicted pair between two of them is a false positive.
    /// </summary>
    public static PairMetrics Of(IEnumerable<(long A, long B)> predicted, IReadOnlyDictionary<long, string> groupOf)
    {
        var truth = new HashSet<(long, long)>();
        foreach (var group in groupOf.GroupBy(kv => kv.Value))
        {
            var ids = group.Select(kv => kv.Key).Order().ToArray();
            for (var i = 0; i < ids.Length; i++)
                for (var j = i + 1; j < ids.Length; j++) truth.Add((ids[i], ids[j]));
        }
        var found = predicted.Select(p => p.A < p.B ? (p.A, p.B) : (p.B, p.A)).ToHashSet();
        var tp = found.Count(truth.Contains);
        return new PairMetrics(tp, found.Count - tp, truth.Count - tp);
    }
}
