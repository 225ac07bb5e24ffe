namespace Xinfang.Text.Duplicates;

/// <summary>How much two texts' shingle sets overlap: the exact re-ranking of index candidates.</summary>
/// <param name="Shared">Shingles in both.</param>
/// <param name="CountA">Distinct shingles of the first text.</param>
/// <param name="CountB">Distinct shingles of the second text.</param>
/// <param name="DifferentNames">Both texts name places or bodies (XX小区, XX公司, …) and none of the names is shared: one
/// campaign text filed for two estates, two matters however alike the words.</param>
public readonly record struct Resemblance(int Shared, int CountA, int CountB, bool DifferentNames = false)
{
    /// <summary>|A∩B| / |A∪B|: 1 for the same text.</summary>
    public double Jaccard => CountA + CountB - Shared == 0 ? 0 : (double)Shared / (CountA + CountB - Shared);

    /// <summary>|A∩B| / min(|A|,|B|): 1 when one text is inside the other (a truncated resubmission).</summary>
    public double Containment => Math.Min(CountA, CountB) == 0 ? 0 : (double)Shared / Math.Min(CountA, CountB);

    /// <summary>One figure to sort by: the mean of containment and Jaccard.</summary>
    public double Score => (Containment + Jaccard) / 2;

    /// <summary>Whether the two texts are judged the same matter under <paramref name="options"/>.</summary>
    public bool IsSameMatter(NearDuplicateOptions options) =>
        !DifferentNames && (Math.Min(CountA, CountB) < options.ShortText
            ? Math.Min(CountA, CountB) > 0 && Jaccard >= options.MinJaccardShort
            : Containment >= options.MinContainment && Jaccard >= options.MinJaccard);
}
