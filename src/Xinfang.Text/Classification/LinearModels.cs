namespace Xinfang.Text.Classification;

/// <summary>The fitting of the two linear models over sparse unit-length vectors.</summary>
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
}
