namespace Xinfang.Text.Classification;

/// <summary>Which model <see cref="CategoryClassifier.Train"/> fits.</summary>
public enum ClassifierAlgorithm
{
    /// <summary>
    /// One-vs-rest linear SVM over features scaled by naive Bayes log-count ratios (NBSVM: Wang and Manning, "Baselines
    /// and Bigrams", ACL 2012), fitted by dual coordinate descent (Hsieh et al., ICML 2008). Strongest on small sets.
    /// </summary>
    NaiveBayesSvm,
    /// <summary>Multinomial logistic regression (softmax) by stochastic gradient descent: calibrated-ish probabilities.</summary>
    LogisticRegression,
    /// <summary>Complement naive Bayes (Rennie et al. 2003): one counting pass, robust when classes are unbalanced.</summary>
    ComplementNaiveBayes,
}

/// <summary>How a category classifier is trained. The defaults are the ones measured in docs/text-engine.md.</summary>
/// <param name="Algorithm">The model fitted.</param>
/// <param name="MinN">Shortest character n-gram used as a feature.</param>
/// <param name="MaxN">Longest (at most 3).</param>
/// <param name="MinDocumentFrequency">An n-gram seen in fewer training texts is dropped: it cannot generalise and only grows the model.</param>
/// <param name="TitleWeight">How many times the title counts: it names the matter most densely.</param>
/// <param name="TitleFeatures">The title's n-grams are also features of their own, apart from the same n-grams in the detail.</param>
/// <param name="DetailPrefix">Characters of the normalised detail used (0: all): a letter names its matter first, the rest is narrative.</param>
/// <param name="RestWeight">The detail beyond the prefix as features of its own (apart from the same n-grams in the prefix), their values scaled by this (0: left out).</param>
/// <param name="C">Cost of a margin violation (NBSVM): lower regularises more.</param>
/// <param name="NbSmoothing">Additive smoothing of the naive Bayes ratios (NBSVM).</param>
/// <param name="Epochs">Passes over the training set (logistic regression).</param>
/// <param name="L2">Weight decay per example (logistic regression).</param>
/// <param name="LearningRate">Initial step (logistic regression; decays as 1/(1 + t/n)).</param>
/// <param name="Smoothing">Additive smoothing (complement naive Bayes).</param>
/// <param name="Seed">Seed of the example order: training is deterministic.</param>
public sealed record ClassifierOptions(
    ClassifierAlgorithm Algorithm = ClassifierAlgorithm.NaiveBayesSvm,
    int MinN = 1,
    int MaxN = 3,
    int MinDocumentFrequency = 2,
    int TitleWeight = 2,
    bool TitleFeatures = true,
    int DetailPrefix = 150,
    double RestWeight = 0.5,
    double C = 1,
    double NbSmoothing = 1,
    int Epochs = 30,
    double L2 = 1e-5,
    double LearningRate = 10,
    double Smoothing = 0.05,
    int Seed = 17)
{
    public static readonly ClassifierOptions Default = new();
}
