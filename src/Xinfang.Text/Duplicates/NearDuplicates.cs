namespace Xinfang.Text.Duplicates;

/// <summary>The near-duplicate engine for a caller that keeps its own rows (the store): keys to index a text under, and the exact score.</summary>
public static class NearDuplicates
{
    /// <summary>The band keys to store for <paramref name="text"/> and to look candidates up by.</summary>
    public static IReadOnlyList<BandKey> KeysOf(string? text, NearDuplicateOptions? options = null) => DuplicateFingerprint.Of(text, options).Keys;

    /// <summary>The exact resemblance of two texts (character shingles after normalisation).</summary>
    public static Resemblance Score(string? a, string? b, NearDuplicateOptions? options = null) =>
        DuplicateFingerprint.Of(a, options).Compare(DuplicateFingerprint.Of(b, options));

    /// <summary>Whether two texts are the same matter resubmitted.</summary>
    public static bool IsSameMatter(string? a, string? b, NearDuplicateOptions? options = null) =>
        Score(a, b, options).IsSameMatter(options ?? NearDuplicateOptions.Default);
}
