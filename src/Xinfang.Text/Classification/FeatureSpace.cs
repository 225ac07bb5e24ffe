using Xinfang.Text.Normalisation;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Classification;

/// <summary>
/// The vocabulary of character n-grams a classifier knows, with their inverse document frequencies, and the mapping of
/// a text to a sublinear TF-IDF vector of unit length (Manning, Raghavan, Schütze, "Introduction to IR", 6.4).
/// </summary>
public sealed class FeatureSpace
{
    readonly Dictionary<ulong, int> index;
    readonly float[] idf;

    public int MinN { get; }
    public int MaxN { get; }
    public int TitleWeight { get; }
    public bool TitleFeatures { get; }
    public int DetailPrefix { get; }
    public int Count => idf.Length;

    /// <summary>Marks a title n-gram's own feature (n-gram keys use the low 50 bits only).</summary>
    const ulong TitleBit = 1UL << 63;
    /// <summary>Marks an n-gram of the detail beyond the prefix: a feature of its own, its value scaled by <see cref="RestWeight"/>.</summary>
    const ulong RestBit = 1UL << 62;
    // Which features are n-grams of the detail beyond the prefix (null when the rest is left out).
    readonly bool[]? rest;

    public double RestWeight { get; }

    internal FeatureSpace(int minN, int maxN, int titleWeight, bool titleFeatures, int detailPrefix, double restWeight, ulong[] keys, float[] idf)
    {
        RestWeight = restWeight;
        if (restWeight > 0) rest = keys.Select(k => (k & RestBit) != 0).ToArray();
        MinN = minN;
        MaxN = maxN;
        TitleWeight = titleWeight;
        TitleFeatures = titleFeatures;
        DetailPrefix = detailPrefix;
        this.idf = idf;
        index = new Dictionary<ulong, int>(keys.Length);
        for (var i = 0; i < keys.Length; i++) index[keys[i]] = i;
    }

    internal IEnumerable<(ulong Key, float Idf)> Entries => index.OrderBy(kv => kv.Value).Select(kv => (kv.Key, idf[kv.Value]));

    /// <summary>
    /// The n-gram keys of a title and detail: the title's repeated <paramref name="titleWeight"/> times (and once more
    /// as title-only features when <paramref name="titleFeatures"/>), then the detail's first
    /// <paramref name="detailPrefix"/> normalised characters (0: all of it), then, <paramref name="withRest"/>, the
    /// n-grams of the detail beyond the prefix as features of their own.
    /// </summary>
    public static List<ulong> NGrams(string title, string detail, int minN, int maxN, int titleWeight, bool titleFeatures = false, int detailPrefix = 0, bool withRest = false)
    {
        var t = TextNormaliser.Normalise(title, NormaliseOptions.ForDuplicates);
        var d = TextNormaliser.Normalise(detail, NormaliseOptions.ForDuplicates).AsSpan();
        var rest = ReadOnlySpan<char>.Empty;
        if (detailPrefix > 0 && d.Length > detailPrefix)
        {
            // The rest starts maxN − 1 characters before the cut, so the n-grams across it are read too (as the rest's).
            rest = d[Math.Max(0, detailPrefix - maxN + 1)..];
            d = d[..detailPrefix];
        }
        var titleGrams = new List<ulong>(3 * t.Length);
        CharacterNGrams.AppendRange(t, minN, maxN, titleGrams);
        var keys = new List<ulong>(64 + 3 * d.Length + (titleWeight + 1) * titleGrams.Count);
        for (var i = 0; i < titleWeight; i++) keys.AddRange(titleGrams);
        if (titleFeatures)
            foreach (var key in titleGrams) keys.Add(key | TitleBit);
        CharacterNGrams.AppendRange(d, minN, maxN, keys);
        if (withRest && !rest.IsEmpty)
        {
            var start = keys.Count;
            CharacterNGrams.AppendRange(rest, minN, maxN, keys);
            for (var i = start; i < keys.Count; i++) keys[i] |= RestBit;
        }
        return keys;
    }

    /// <summary>The n-gram keys of a text as this space reads it.</summary>
    public List<ulong> NGrams(string title, string detail) => NGrams(title, detail, MinN, MaxN, TitleWeight, TitleFeatures, DetailPrefix, RestWeight > 0);

    /// <summary>Builds the vocabulary from training texts: every n-gram in at least <see cref="ClassifierOptions.MinDocumentFrequency"/> of them.</summary>
    public static FeatureSpace Build(IReadOnlyList<List<ulong>> texts, ClassifierOptions options)
    {
        var (minN, maxN, titleWeight, minDocumentFrequency) = (options.MinN, options.MaxN, options.TitleWeight, options.MinDocumentFrequency);
        var df = new Dictionary<ulong, int>();
        foreach (var keys in texts)
            foreach (var key in keys.Distinct())
                df[key] = df.GetValueOrDefault(key) + 1;
        // Sorted by key so the same training set gives the same feature numbering, whatever the dictionary's order.
        var kept = df.Where(kv => kv.Value >= minDocumentFrequency).OrderBy(kv => kv.Key).ToArray();
        var n = texts.Count;
        return new FeatureSpace(minN, maxN, titleWeight, options.TitleFeatures, options.DetailPrefix, options.RestWeight,
            kept.Select(kv => kv.Key).ToArray(),
            kept.Select(kv => (float)(Math.Log((1.0 + n) / (1.0 + kv.Value)) + 1)).ToArray());
    }

    /// <summary>The unit-length sublinear TF-IDF vector of a text's n-grams, as (feature, value) sorted by feature.</summary>
    public (int[] Features, float[] Values) Vector(List<ulong> keys)
    {
        var tf = new Dictionary<int, int>();
        foreach (var key in keys)
            if (index.TryGetValue(key, out var f)) tf[f] = tf.GetValueOrDefault(f) + 1;
        var features = tf.Keys.Order().ToArray();
        var values = new float[features.Length];
        double norm = 0;
        for (var i = 0; i < features.Length; i++)
        {
            var v = (1 + Math.Log(tf[features[i]])) * idf[features[i]];
            if (rest is not null && rest[features[i]]) v *= RestWeight;
            values[i] = (float)v;
            norm += v * v;
        }
        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < values.Length; i++) values[i] *= scale;
        }
        return (features, values);
    }

    public (int[] Features, float[] Values) Vector(string title, string detail) => Vector(NGrams(title, detail));
}
