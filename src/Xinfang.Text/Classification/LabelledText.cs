namespace Xinfang.Text.Classification;

/// <summary>A training example: a petition's title and detail with the category a person confirmed.</summary>
public sealed record LabelledText(string Title, string Detail, string Category);
