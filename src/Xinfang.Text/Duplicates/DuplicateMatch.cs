namespace Xinfang.Text.Duplicates;

/// <summary>An indexed text found to resemble the one looked up.</summary>
public readonly record struct DuplicateMatch(long Id, Resemblance Resemblance);
