using System.Globalization;
using Xinfang.Text.Classification;

namespace Xinfang.Text.Evaluation;

/// <summary>Runs every evaluation the data allows and writes the figures as Markdown tables (what `xinfang text evaluate` prints).</summary>
public static class TextEvaluation
{
    public static void Run(EvaluationData data, TextWriter output)
    {
        static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
        if (data.Labelled.Count > 0)
        {
            var examples = data.Labelled.Select(l => new LabelledText(l.Text.Title, l.Text.Detail, l.Label)).ToList();
            output.WriteLine($"## Classification (5-fold stratified cross-validation, {examples.Count} labelled messages)");
            output.WriteLine();
            output.WriteLine("| model | accuracy | macro-F1 | top-3 accuracy | ms per petition | features |");
            output.WriteLine("|---|---|---|---|---|---|");
            var seeded = data.Taxonomy.Count > 0;
            foreach (var algorithm in Enum.GetValues<ClassifierAlgorithm>())
            {
                var isDefault = algorithm == ClassifierOptions.Default.Algorithm;
                var options = ClassifierOptions.Default with { Algorithm = algorithm };
                var r = ClassificationEvaluation.CrossValidate(examples, 5, 1, options, data.Taxonomy);
                output.WriteLine($"| {algorithm}{(isDefault ? " (default)" : "")}{(seeded ? ", taxonomy seeds" : "")} | {F(r.Metrics.Accuracy)} | {F(r.Metrics.MacroF1)} | {F(r.Metrics.Top3Accuracy)} | {r.MillisecondsPerClassification:0.000} | {r.Features:N0} |");
                if (isDefault && seeded)
                {
                    var bare = ClassificationEvaluation.CrossValidate(examples, 5, 1, options);
                    output.WriteLine($"| {algorithm}, no taxonomy seeds | {F(bare.Metrics.Accuracy)} | {F(bare.Metrics.MacroF1)} | {F(bare.Metrics.Top3Accuracy)} | {bare.MillisecondsPerClassification:0.000} | {bare.Features:N0} |");
                }
            }
            output.WriteLine();
            // One fold split can flatter or wrong a model by a point or two on 919 messages: the default is also
            // cross-validated over ten seeded splits (5-fold CV repeated ten times), and the spread is printed.
            var splits = Enumerable.Range(1, 10).Select(seed => ClassificationEvaluation.CrossValidate(examples, 5, seed, null, data.Taxonomy).Metrics).ToList();
            output.WriteLine($"Default model over 10 different fold splits (seeds 1–10): macro-F1 {string.Join(" / ", splits.Select(m => F(m.MacroF1)))}; " +
                $"mean {F(splits.Average(m => m.MacroF1))} (seeds 1–5 {F(splits.Take(5).Average(m => m.MacroF1))}, 6–10 {F(splits.Skip(5).Average(m => m.MacroF1))}); " +
                $"top-3 mean {F(splits.Average(m => m.Top3Accuracy))}.");
            output.WriteLine();
        }
        if (data.Messages.Count > 0)
        {
            output.WriteLine($"## Near-duplicates ({data.Messages.Count} messages)");
            output.WriteLine();
            output.WriteLine("| truth | precision | recall | pairs found (true / false) |");
            output.WriteLine("|---|---|---|---|");
            if (data.DuplicateGroupOf.Count > 0)
            {
                var l = DuplicateEvaluation.OnLabelledGroups(data.Messages, data.DuplicateGroupOf);
                var among = DuplicateEvaluation.AmongLabelledMessages(data.Messages, data.DuplicateGroupOf);
                output.WriteLine($"| duplicate_groups.csv, every pair among its {data.DuplicateGroupOf.Count} labelled messages | {F(among.Precision)} | {F(among.Recall)} | {among.TruePositives} / {among.FalsePositives} |");
                output.WriteLine($"| duplicate_groups.csv over the whole corpus (same text; unlabelled near-duplicates count as false) | {F(l.Precision)} | {F(l.Recall)} | {l.TruePositives} / {l.FalsePositives} |");
            }
            var g = DuplicateEvaluation.OnGeneratedResubmissions(data.Messages, data.DuplicateGroupOf, 600, 7);
            output.WriteLine($"| {g.Variants} generated resubmissions of {g.Originals} messages, indexed with the corpus ({g.Unknown} pairs left out: their originals are unlabelled near-duplicates of each other) | {F(g.Overall.Precision)} | {F(g.Overall.Recall)} | {g.Overall.TruePositives} / {g.Overall.FalsePositives} |");
            output.WriteLine();
            output.WriteLine("| resubmission | recall (found as the same matter as its original) |");
            output.WriteLine("|---|---|");
            foreach (var (kind, recall) in g.RecallByKind) output.WriteLine($"| {kind} | {F(recall)} |");
            output.WriteLine();
            if (data.SilverIssueOf.Count > 0 || data.ExampleIssueOf.Count > 0)
            {
                var c = ClusterEvaluation.Run(data.Messages, data.SilverIssueOf, data.ExampleIssueOf);
                output.WriteLine($"## Case clusters ({c.NonSingletonClusters} clusters of 2 or more, largest {c.LargestCluster}; {c.Clusters - c.NonSingletonClusters} singletons)");
                output.WriteLine();
                output.WriteLine("| reference | messages | purity | pair recall | coverage | mean size of their clusters | others in their clusters |");
                output.WriteLine("|---|---|---|---|---|---|---|");
                foreach (var (name, m) in new[] { ("clusters_silver.csv", c.Silver), ("clusters_example.csv", c.Example) })
                    output.WriteLine($"| {name} | {m.Labelled} | {F(m.Purity)} | {F(m.PairRecall)} | {F(m.Coverage)} | {m.MeanClusterSize:0.0} | {m.Spill} |");
                output.WriteLine();
            }
        }
    }
}
