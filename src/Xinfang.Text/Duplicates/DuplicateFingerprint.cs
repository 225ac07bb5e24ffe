using Xinfang.Text.Normalisation;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Duplicates;

/// <summary>
/// What near-duplicate detection keeps of one text: its shingle set (for exact re-ranking) and its band keys (for
/// candidate retrieval). Computed once per petition at registration.
/// </summary>
public sealed class DuplicateFingerprint
{
    public ShingleSet Shingles { get; }
    public IReadOnlyList<BandKey> Keys { get; }

    DuplicateFingerprint(ShingleSet shingles, BandKey[] keys)
    {
        Shingles = shingles;
        Keys = keys;
    }

    /// <summary>Normalises (greetings stripped, digits folded), shingles, and computes the MinHash band keys.</summary>
    public static DuplicateFingerprint Of(string? text, NearDuplicateOptions? options = null)
    {
        options ??= NearDuplicateOptions.Default;
        var shingles = ShingleSet.Of(TextNormaliser.Normalise(text, NormaliseOptions.ForDuplicates), options.ShingleLength);
        return new DuplicateFingerprint(shingles, MinHashBands.Keys(shingles, options));
    }

    /// <summary>The exact overlap with another fingerprint.</summary>
    public Resemblance Compare(DuplicateFingerprint other) => new(Shingles.Shared(other.Shingles), Shingles.Count, other.Shingles.Count);
}
