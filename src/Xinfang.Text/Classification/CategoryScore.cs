namespace Xinfang.Text.Classification;

/// <summary>A category and the classifier's probability for it (0–1; the scores of all categories sum to 1).</summary>
public readonly record struct CategoryScore(string Category, double Score);
