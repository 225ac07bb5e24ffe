using Xinfang.Text.Duplicates;

namespace Xinfang.Text.Evaluation;

/// <summary>Near-duplicate detection measured on labelled duplicate groups and on generated resubmissions.</summary>
public static class DuplicateEvaluation
{
    /// <summary>Ids of generated resubmissions start here, above any message id of the corpus.</summary>
    public const long VariantIdBase = 1_000_000_000_000;

    /// <summary>Every pair of messages the engine judges the same matter, against the labelled groups.</summary>
    public static PairMetrics OnLabelledGroups(IReadOnlyList<PetitionText> messages, IReadOnlyDictionary<long, string> groupOf, NearDuplicateOptions? options = null)
    {
        var pairs = DuplicatePairs.Find(messages.Select(m => (m.Id, m.Body)), options);
        return PairMetrics.Of(pairs.Select(p => (p.A, p.B)), groupOf);
    }

    /// <summary>
    /// The labelled messages alone (those in <paramref name="groupOf"/>), every pair among them judged: the labels say
    /// nothing of the rest of the corpus, so this is where they can judge both precision and recall.
    /// </summary>
    public static PairMetrics AmongLabelledMessages(IReadOnlyList<PetitionText> messages, IReadOnlyDictionary<long, string> groupOf, NearDuplicateOptions? options = null) =>
        OnLabelledGroups(messages.Where(m => groupOf.ContainsKey(m.Id)).ToList(), groupOf, options);

    /// <summary>The outcome of the generated-resubmission evaluation: overall pair metrics and recall per kind of change.</summary>
    /// <param name="Unknown">Pairs left out of the metrics: their two originals are different messages that are themselves
    /// near-duplicates the labels do not record, so whether the pair is right cannot be told.</param>
    public sealed record GeneratedOutcome(int Originals, int Variants, PairMetrics Overall, int Unknown, IReadOnlyDictionary<ResubmissionKind, double> RecallByKind, IReadOnlyList<DuplicatePair> FalsePositives);

    /// <summary>
    /// Takes <paramref name="sample"/> messages, makes one resubmission of each kind from each, indexes them together
    /// with the whole corpus, and checks that each resubmission is found as the same matter as its original — and that
    /// nothing else is, beyond the labelled groups.
    /// </summary>
    public static GeneratedOutcome OnGeneratedResubmissions(IReadOnlyList<PetitionText> messages, IReadOnlyDictionary<long, string> groupOf, int sample, int seed, NearDuplicateOptions? options = null)
    {
        var random = new Random(seed);
        var originals = messages.OrderBy(_ => random.Next()).Take(sample).ToList();
        var kinds = Enum.GetValues<ResubmissionKind>();
        var texts = messages.Select(m => (m.Id, m.Body)).ToList();
        var family = messages.ToDictionary(m => m.Id, m => groupOf.TryGetValue(m.Id, out var g) ? "g" + g : "m" + m.Id);
        var variantOf = new Dictionary<long, (long Original, ResubmissionKind Kind)>();
        var next = VariantIdBase;
        foreach (var original in originals)
            foreach (var kind in kinds)
            {
                var id = next++;
                texts.Add((id, Resubmission.Make(original.Body, kind, seed ^ (int)id)));
                family[id] = family[original.Id];
                variantOf[id] = (original.Id, kind);
            }
        // Registration order mixed, as resubmissions arrive among other petitions.
        texts = texts.OrderBy(_ => random.Next()).ToList();
        var found0 = DuplicatePairs.Find(texts, options);
        var textOf = messages.ToDictionary(m => m.Id, m => m.Body);
        long OriginalOf(long id) => variantOf.TryGetValue(id, out var v) ? v.Original : id;
        bool UnlabelledRelatives(DuplicatePair p) =>
            family[p.A] != family[p.B] && (variantOf.ContainsKey(p.A) || variantOf.ContainsKey(p.B))
            && NearDuplicates.IsSameMatter(textOf[OriginalOf(p.A)], textOf[OriginalOf(p.B)], options);
        var pairs = found0.Where(p => !UnlabelledRelatives(p)).ToList();
        var unknown = found0.Count - pairs.Count;
        var overall = PairMetrics.Of(pairs.Select(p => (p.A, p.B)), family);
        var found = pairs.Select(p => p.A < p.B ? (p.A, p.B) : (p.B, p.A)).ToHashSet();
        var recall = kinds.ToDictionary(k => k, k =>
        {
            var ofKind = variantOf.Where(v => v.Value.Kind == k).ToList();
            return (double)ofKind.Count(v => found.Contains((v.Value.Original, v.Key))) / ofKind.Count;
        });
        var falsePositives = pairs.Where(p => family[p.A] != family[p.B]).ToList();
        return new GeneratedOutcome(originals.Count, variantOf.Count, overall, unknown, recall, falsePositives);
    }
}
