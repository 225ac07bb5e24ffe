namespace Xinfang.Text.Classification;

/// <summary>The fitting of the linear models over sparse unit-length vectors.</summary>
static class LinearModels
{
    /// <summary>
    /// Multinomial logistic regression by plain SGD with weight decay applied lazily through a shared scale
    /// (Bottou, "Stochastic Gradient Descent Tricks", 2012), so each step costs the example's non-zeros, not the vocabulary.
    /// </summary>
    public static (float[] W, float[] B) Softmax((int[] F, float[] V)[] x, int[] y, int classes, int features, ClassifierOptions o)
    {
        var w = new double[classes * features];
        var b = new double[classes];
        var scale = 1.0;
        var order = Enumerable.Range(0, x.Length).ToArray();
        var random = new Random(o.Seed);
        var p = new double[classes];
        long t = 0;
        for (var epoch = 0; epoch < o.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var eta = o.LearningRate / (1 + (double)t++ / x.Length);
                var (f, v) = x[i];
                var max = double.MinValue;
                for (var c = 0; c < classes; c++)
                {
                    var s = 0.0;
                    var row = c * features;
                    for (var k = 0; k < f.Length; k++) s += w[row + f[k]] * v[k];
                    p[c] = s * scale + b[c];
                    max = Math.Max(max, p[c]);
                }
                var sum = 0.0;
                for (var c = 0; c < classes; c++) sum += p[c] = Math.Exp(p[c] - max);
                scale *= 1 - eta * o.L2;
                for (var c = 0; c < classes; c++)
                {
                    var g = p[c] / sum - (c == y[i] ? 1 : 0);
                    if (g == 0) continue;
                    var row = c * features;
                    for (var k = 0; k < f.Length; k++) w[row + f[k]] -= eta * g * v[k] / scale;
                    b[c] -= eta * g * 0.1;
                }
                if (scale < 1e-6)
                {
                    for (var j = 0; j < w.Length; j++) w[j] *= scale;
                    scale = 1;
                }
            }
        }
        return (w.Select(v => (float)(v * scale)).ToArray(), b.Select(v => (float)v).ToArray());
    }

    /// <summary>
    /// Complement naive Bayes with weight normalisation (Rennie, Shih, Teevan, Karger, "Tackling the Poor Assumptions of
    /// Naive Bayes Text Classifiers", ICML 2003): each class is scored against the counts of all the other classes.
    /// </summary>
    public static (float[] W, float[] B) ComplementNaiveBayes((int[] F, float[] V)[] x, int[] y, int classes, int features, ClassifierOptions o)
    {
        var perClass = new double[classes * features];
        var total = new double[features];
        for (var i = 0; i < x.Length; i++)
        {
            var (f, v) = x[i];
            for (var k = 0; k < f.Length; k++)
            {
                perClass[y[i] * features + f[k]] += v[k];
                total[f[k]] += v[k];
            }
        }
        var grand = total.Sum();
        var w = new float[classes * features];
        for (var c = 0; c < classes; c++)
        {
            var row = c * features;
            var classSum = 0.0;
            for (var j = 0; j < features; j++) classSum += perClass[row + j];
            var complementSum = grand - classSum + o.Smoothing * features;
            var logs = new double[features];
            var norm = 0.0;
            for (var j = 0; j < features; j++)
            {
                logs[j] = Math.Log((total[j] - perClass[row + j] + o.Smoothing) / complementSum);
                norm += Math.Abs(logs[j]);
            }
            // Negated: a feature common in the complement speaks against the class. Scaled so softmax scores are not flat.
            for (var j = 0; j < features; j++) w[row + j] = (float)(-logs[j] / norm * features / 10);
        }
        return (w, new float[classes]);
    }

    /// <summary>
    /// NBSVM (Wang and Manning, "Baselines and Bigrams: Simple, Good Sentiment and Topic Classification", ACL 2012), one
    /// class against the rest: each feature is scaled by its naive Bayes log-count ratio r = log((p/|p|)/(q/|q|)), p and q
    /// the smoothed counts of texts of the class and of the others having it; then an L2-regularised squared-hinge SVM is
    /// fitted by dual coordinate descent (Hsieh, Chang, Lin, Keerthi, Sundararajan, ICML 2008), the bias as a constant
    /// feature. The weights returned are w ∘ r, so scoring is the same dot product as every other model. Margins are
    /// multiplied by <see cref="MarginScale"/> so the softmax over them gives readable scores.
    /// </summary>
    public static (float[] W, float[] B) NaiveBayesSvm((int[] F, float[] V)[] x, int[] y, int classes, int features, ClassifierOptions o)
    {
        var w = new float[classes * features];
        var b = new float[classes];
        var ratio = new double[features];
        var scaled = new float[x.Length][];
        var squaredNorm = new double[x.Length];
        var order = new int[x.Length];
        var alpha = new double[x.Length];
        var diagonal = 1 / (2 * o.C);
        for (var c = 0; c < classes; c++)
        {
            var p = new double[features];
            var q = new double[features];
            var positives = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var counts = y[i] == c ? p : q;
                if (y[i] == c) positives++;
                foreach (var f in x[i].F) counts[f] += 1;
            }
            double pSum = 0, qSum = 0;
            for (var j = 0; j < features; j++)
            {
                p[j] += o.NbSmoothing;
                q[j] += o.NbSmoothing;
                pSum += p[j];
                qSum += q[j];
            }
            for (var j = 0; j < features; j++) ratio[j] = Math.Log(p[j] / pSum / (q[j] / qSum));
            for (var i = 0; i < x.Length; i++)
            {
                var (f, v) = x[i];
                var values = scaled[i] ??= new float[f.Length];
                var norm = 1.0 + diagonal; // the constant bias feature and the squared hinge's diagonal
                for (var k = 0; k < f.Length; k++)
                {
                    values[k] = (float)(v[k] * ratio[f[k]]);
                    norm += values[k] * (double)values[k];
                }
                squaredNorm[i] = norm;
            }
            var weights = new double[features + 1];
            Array.Clear(alpha);
            for (var i = 0; i < order.Length; i++) order[i] = i;
            var random = new Random(o.Seed + c);
            for (var pass = 0; pass < 100; pass++)
            {
                random.Shuffle(order);
                var largestStep = 0.0;
                foreach (var i in order)
                {
                    var sign = y[i] == c ? 1.0 : -1.0;
                    var f = x[i].F;
                    var values = scaled[i];
                    var dot = weights[features];
                    for (var k = 0; k < f.Length; k++) dot += weights[f[k]] * values[k];
                    var gradient = sign * dot - 1 + diagonal * alpha[i];
                    var projected = alpha[i] == 0 ? Math.Min(gradient, 0) : gradient;
                    largestStep = Math.Max(largestStep, Math.Abs(projected));
                    if (projected == 0) continue;
                    var old = alpha[i];
                    alpha[i] = Math.Max(old - gradient / squaredNorm[i], 0);
                    var delta = (alpha[i] - old) * sign;
                    for (var k = 0; k < f.Length; k++) weights[f[k]] += delta * values[k];
                    weights[features] += delta;
                }
                if (largestStep < 1e-3) break;
            }
            for (var j = 0; j < features; j++) w[c * features + j] = (float)(weights[j] * ratio[j] * MarginScale);
            b[c] = (float)(weights[features] * MarginScale);
        }
        return (w, b);
    }

    /// <summary>SVM margins are about ±1; scaled so a clear margin gives a clear softmax score.</summary>
    const double MarginScale = 4;
}
