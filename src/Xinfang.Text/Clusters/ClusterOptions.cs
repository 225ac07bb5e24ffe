namespace Xinfang.Text.Clusters;

/// <summary>How case clusters are formed.</summary>
/// <param name="TermsPerPetition">Highest TF-IDF terms kept per petition: its profile.</param>
/// <param name="MinSimilarity">Cosine of two profiles above which the petitions are linked.</param>
/// <param name="MaxDocumentShare">Terms in more than this share of petitions are too common to characterise a cause.</param>
/// <param name="NameWeight">How many occurrences a place or body name counts for.</param>
/// <param name="MinClusterSize">Smaller groups are reported as singletons (their own cluster each).</param>
public sealed record ClusterOptions(int TermsPerPetition = 30, double MinSimilarity = 0.22, double MaxDocumentShare = 0.05, int NameWeight = 3, int MinClusterSize = 2)
{
    public static readonly ClusterOptions Default = new();
}
