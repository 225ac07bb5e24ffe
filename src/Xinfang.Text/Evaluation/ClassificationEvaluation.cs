using System.Diagnostics;
using Xinfang.Text.Classification;

namespace Xinfang.Text.Evaluation;

/// <summary>k-fold cross-validation of the category classifier, with the time per classification.</summary>
public static class ClassificationEvaluation
{
    public sealed record Outcome(ClassificationMetrics Metrics, double MillisecondsPerClassification, int Features);

    /// <summary>
    /// Stratified k-fold: examples of each category are dealt round-robin into folds after a seeded shuffle, so every
    /// fold has each category in proportion. Every example is classified once, by a model that never saw it.
    /// </summary>
    /// <param name="taxonomy">When given, each fold's training set also gets the <see cref="CategorySeeds"/> of its categories.</param>
    public static Outcome CrossValidate(IReadOnlyList<LabelledText> examples, int folds, int seed, ClassifierOptions? options = null,
        IReadOnlyList<TaxonomyNode>? taxonomy = null)
    {
        var random = new Random(seed);
        var foldOf = new int[examples.Count];
        foreach (var group in Enumerable.Range(0, examples.Count).GroupBy(i => examples[i].Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ids = group.ToArray();
            random.Shuffle(ids);
            for (var k = 0; k < ids.Length; k++) foldOf[ids[k]] = k % folds;
        }
        var outcomes = new (string, IReadOnlyList<string>)[examples.Count];
        var elapsed = TimeSpan.Zero;
        var features = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var training = examples.Where((_, i) => foldOf[i] != fold).ToList();
            if (taxonomy is { Count: > 0 }) training.AddRange(CategorySeeds.From(taxonomy, training.Select(e => e.Category).ToHashSet()));
            var model = CategoryClassifier.Train(training, options);
            features += model.FeatureCount;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < examples.Count; i++)
                if (foldOf[i] == fold)
                    outcomes[i] = (examples[i].Category, model.Top(examples[i].Title, examples[i].Detail).Select(s => s.Category).ToList());
            elapsed += watch.Elapsed;
        }
        return new Outcome(ClassificationMetrics.Of(outcomes), elapsed.TotalMilliseconds / examples.Count, features / folds);
    }
}
