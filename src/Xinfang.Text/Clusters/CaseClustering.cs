using Xinfang.Text.Shingling;

namespace Xinfang.Text.Clusters;

/// <summary>
/// Groups petitions about one cause. Each petition gets a profile — its most distinctive terms by TF-IDF against the
/// batch — and two petitions are linked when their profiles' cosine passes a threshold; clusters are the linked groups
/// (single linkage, found with union–find). Candidate pairs come from an inverted index over profile terms, so the work
/// follows the number of petitions sharing a term, not the square of the batch.
/// </summary>
public static class CaseClustering
{
    public static IReadOnlyList<CaseCluster> Cluster(IReadOnlyList<PetitionText> petitions, ClusterOptions? options = null)
    {
        options ??= ClusterOptions.Default;
        var names = new Dictionary<ulong, string>();
        var terms = petitions.Select(p => KeyTerms.Of(p, options.NameWeight, names)).ToList();
        var df = new Dictionary<ulong, int>();
        foreach (var t in terms)
            foreach (var key in t.Distinct()) df[key] = df.GetValueOrDefault(key) + 1;
        var n = petitions.Count;
        var maxDf = Math.Max(2, (int)(options.MaxDocumentShare * n));

        // Profiles: top terms by sublinear TF-IDF, shared with at least one other petition, not too common; unit length.
        var profiles = new Dictionary<ulong, double>[n];
        for (var i = 0; i < n; i++)
        {
            var tf = new Dictionary<ulong, int>();
            foreach (var key in terms[i]) tf[key] = tf.GetValueOrDefault(key) + 1;
            var top = tf.Where(kv => df[kv.Key] >= 2 && df[kv.Key] <= maxDf)
                .Select(kv => (kv.Key, W: (1 + Math.Log(kv.Value)) * Math.Log((double)n / df[kv.Key])))
                .OrderByDescending(x => x.W).ThenBy(x => x.Key).Take(options.TermsPerPetition).ToList();
            var norm = Math.Sqrt(top.Sum(x => x.W * x.W));
            profiles[i] = top.ToDictionary(x => x.Key, x => norm == 0 ? 0 : x.W / norm);
        }

        var postings = new Dictionary<ulong, List<int>>();
        for (var i = 0; i < n; i++)
            foreach (var key in profiles[i].Keys)
            {
                if (!postings.TryGetValue(key, out var list)) postings[key] = list = [];
                list.Add(i);
            }

        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        var dot = new Dictionary<int, double>();
        for (var i = 0; i < n; i++)
        {
            dot.Clear();
            foreach (var (key, w) in profiles[i])
                foreach (var j in postings[key])
                    if (j > i) dot[j] = dot.GetValueOrDefault(j) + w * profiles[j][key];
            foreach (var (j, cosine) in dot)
                if (cosine >= options.MinSimilarity) parent[Find(i)] = Find(j);
        }

        var groups = Enumerable.Range(0, n).GroupBy(Find).Select(g => g.ToList()).ToList();
        var clusters = groups.Where(g => g.Count >= options.MinClusterSize)
            .Concat(groups.Where(g => g.Count < options.MinClusterSize).SelectMany(g => g.Select(i => new List<int> { i })))
            .OrderByDescending(g => g.Count).ThenBy(g => petitions[g[0]].Id)
            .ToList();
        return clusters.Select((g, k) => new CaseCluster(k + 1, g.Select(i => petitions[i].Id).ToList(), TopTerms(g, terms, df, n, names))).ToList();
    }

    /// <summary>
    /// The cluster's most distinctive terms: share of members using the term times its inverse document frequency in the
    /// batch, names counted 1.5 times (a cluster is best named by its place or body); n-grams inside a chosen term are skipped.
    /// </summary>
    static IReadOnlyList<string> TopTerms(List<int> members, List<List<ulong>> terms, Dictionary<ulong, int> df, int n, Dictionary<ulong, string> names)
    {
        var used = new Dictionary<ulong, int>();
        foreach (var i in members)
            foreach (var key in terms[i].Distinct()) used[key] = used.GetValueOrDefault(key) + 1;
        var chosen = new List<string>();
        var ranked = used.Select(kv => (kv.Key, W: (double)kv.Value / members.Count * Math.Log((double)n / df[kv.Key]) * (KeyTerms.IsName(kv.Key) ? 1.5 : 1)))
            .OrderByDescending(x => x.W).ThenBy(x => x.Key).Select(x => x.Key);
        foreach (var key in ranked)
        {
            var text = KeyTerms.IsName(key) ? names[key] : CharacterNGrams.Text(key);
            if (chosen.Any(c => c.Contains(text, StringComparison.Ordinal))) continue;
            chosen.RemoveAll(c => text.Contains(c, StringComparison.Ordinal));
            chosen.Add(text);
            if (chosen.Count == 5) break;
        }
        return chosen;
    }
}
