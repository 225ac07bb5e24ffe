namespace Xinfang.Text.Clusters;

/// <summary>A case cluster (类案): petitions about one cause, with the terms that characterise it, most distinctive first.</summary>
public sealed record CaseCluster(int Number, IReadOnlyList<long> Members, IReadOnlyList<string> TopTerms);
