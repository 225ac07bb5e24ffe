namespace Xinfang.Text.Evaluation;

/// <summary>Accuracy, macro-averaged F1 and top-k accuracy of category predictions.</summary>
public sealed record ClassificationMetrics(int Count, double Accuracy, double MacroF1, double Top3Accuracy, IReadOnlyDictionary<string, double> F1ByLabel)
{
    /// <param name="outcomes">Each example's true label and the predicted labels, best first.</param>
    public static ClassificationMetrics Of(IReadOnlyList<(string Actual, IReadOnlyList<string> Ranked)> outcomes)
    {
        var labels = outcomes.Select(o => o.Actual).Concat(outcomes.Where(o => o.Ranked.Count > 0).Select(o => o.Ranked[0])).Distinct().Order(StringComparer.Ordinal).ToList();
        var f1 = new Dictionary<string, double>();
        foreach (var label in labels)
        {
            var tp = outcomes.Count(o => o.Actual == label && o.Ranked.Count > 0 && o.Ranked[0] == label);
            var predicted = outcomes.Count(o => o.Ranked.Count > 0 && o.Ranked[0] == label);
            var actual = outcomes.Count(o => o.Actual == label);
            f1[label] = tp == 0 ? 0 : 2.0 * tp / (predicted + actual);
        }
        var n = outcomes.Count;
        return new ClassificationMetrics(
            n,
            n == 0 ? 0 : (double)outcomes.Count(o => o.Ranked.Count > 0 && o.Ranked[0] == o.Actual) / n,
            f1.Count == 0 ? 0 : f1.Values.Average(),
            n == 0 ? 0 : (double)outcomes.Count(o => o.Ranked.Take(3).Contains(o.Actual)) / n,
            f1);
    }
}
