using System.Text;

namespace Xinfang.Text.Classification;

/// <summary>
/// Suggests a petition's category from its title and detail: a linear model over character 1–3-gram TF-IDF features,
/// trained from examples people confirmed. Immutable once trained, safe to share between threads; saved to and loaded
/// from a stream so the web application can train on its own confirmed petitions and keep the model in its store.
/// </summary>
public sealed class CategoryClassifier
{
    const string Magic = "XFCLS";
    // 2 added the title-only features and the detail prefix, 3 the weight of the detail beyond it; older models still load.
    const int FormatVersion = 3;

    readonly FeatureSpace features;
    readonly string[] categories;
    // weights[c * features + f]; bias per category. Naive Bayes models are stored in the same linear form.
    readonly float[] weights;
    readonly float[] bias;

    public ClassifierAlgorithm Algorithm { get; }
    public IReadOnlyList<string> Categories => categories;
    public int FeatureCount => features.Count;

    CategoryClassifier(ClassifierAlgorithm algorithm, FeatureSpace features, string[] categories, float[] weights, float[] bias)
    {
        Algorithm = algorithm;
        this.features = features;
        this.categories = categories;
        this.weights = weights;
        this.bias = bias;
    }

    /// <summary>Trains on <paramref name="examples"/> (at least two categories). Deterministic for the same examples and options.</summary>
    public static CategoryClassifier Train(IReadOnlyList<LabelledText> examples, ClassifierOptions? options = null)
    {
        options ??= ClassifierOptions.Default;
        var categories = examples.Select(e => e.Category).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (categories.Length < 2) throw new ArgumentException("Training needs examples of at least two categories.", nameof(examples));
        var grams = examples.Select(e => FeatureSpace.NGrams(e.Title, e.Detail, options.MinN, options.MaxN, options.TitleWeight, options.TitleFeatures, options.DetailPrefix, options.RestWeight > 0)).ToList();
        var space = FeatureSpace.Build(grams, options);
        var vectors = grams.Select(space.Vector).ToArray();
        var labels = examples.Select(e => Array.IndexOf(categories, e.Category)).ToArray();
        var (w, b) = options.Algorithm switch
        {
            ClassifierAlgorithm.ComplementNaiveBayes => LinearModels.ComplementNaiveBayes(vectors, labels, categories.Length, space.Count, options),
            ClassifierAlgorithm.NaiveBayesSvm => LinearModels.NaiveBayesSvm(vectors, labels, categories.Length, space.Count, options),
            _ => LinearModels.Softmax(vectors, labels, categories.Length, space.Count, options),
        };
        return new CategoryClassifier(options.Algorithm, space, categories, w, b);
    }

    /// <summary>Every category with its score, best first.</summary>
    public IReadOnlyList<CategoryScore> Classify(string title, string detail)
    {
        var (f, v) = features.Vector(title, detail);
        var scores = new double[categories.Length];
        var n = features.Count;
        for (var c = 0; c < categories.Length; c++)
        {
            double s = bias[c];
            var row = c * n;
            for (var i = 0; i < f.Length; i++) s += weights[row + f[i]] * v[i];
            scores[c] = s;
        }
        var max = scores.Max();
        var sum = 0.0;
        for (var c = 0; c < scores.Length; c++) sum += scores[c] = Math.Exp(scores[c] - max);
        return scores.Select((s, c) => new CategoryScore(categories[c], s / sum))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Category, StringComparer.Ordinal).ToList();
    }

    /// <summary>The best <paramref name="count"/> categories, best first.</summary>
    public IReadOnlyList<CategoryScore> Top(string title, string detail, int count = 3) => Classify(title, detail).Take(count).ToList();

    /// <summary>Writes the model (binary, versioned, little-endian).</summary>
    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write((int)Algorithm);
        w.Write(features.MinN);
        w.Write(features.MaxN);
        w.Write(features.TitleWeight);
        w.Write(features.TitleFeatures);
        w.Write(features.DetailPrefix);
        w.Write(features.RestWeight);
        w.Write(categories.Length);
        foreach (var c in categories) w.Write(c);
        w.Write(features.Count);
        foreach (var (key, idf) in features.Entries)
        {
            w.Write(key);
            w.Write(idf);
        }
        foreach (var x in bias) w.Write(x);
        foreach (var x in weights) w.Write(x);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; a stream that is not one is a <see cref="FormatException"/>.</summary>
    public static CategoryClassifier Load(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadString() != Magic) throw new FormatException("Not a Xinfang category model.");
            var version = r.ReadInt32();
            if (version is < 1 or > FormatVersion) throw new FormatException($"Category model format {version} is not supported (expected 1 to {FormatVersion}).");
            var algorithm = (ClassifierAlgorithm)r.ReadInt32();
            int minN = r.ReadInt32(), maxN = r.ReadInt32(), titleWeight = r.ReadInt32();
            var (titleFeatures, detailPrefix) = version >= 2 ? (r.ReadBoolean(), r.ReadInt32()) : (false, 0);
            var restWeight = version >= 3 ? r.ReadDouble() : 0;
            var categories = new string[r.ReadInt32()];
            for (var i = 0; i < categories.Length; i++) categories[i] = r.ReadString();
            var count = r.ReadInt32();
            var keys = new ulong[count];
            var idf = new float[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = r.ReadUInt64();
                idf[i] = r.ReadSingle();
            }
            var bias = new float[categories.Length];
            for (var i = 0; i < bias.Length; i++) bias[i] = r.ReadSingle();
            var weights = new float[categories.Length * count];
            for (var i = 0; i < weights.Length; i++) weights[i] = r.ReadSingle();
            return new CategoryClassifier(algorithm, new FeatureSpace(minN, maxN, titleWeight, titleFeatures, detailPrefix, restWeight, keys, idf), categories, weights, bias);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("Category model is truncated.", e);
        }
    }
}
