using System.Buffers.Binary;
using Xinfang.Text.Clusters;
using Xinfang.Text.Normalisation;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Duplicates;

/// <summary>
/// What near-duplicate detection keeps of one text: its shingle set and the names it mentions (for exact re-ranking:
/// the <see cref="Summary"/>) and its band keys (for candidate retrieval). Computed once per petition at registration.
/// </summary>
public sealed class DuplicateFingerprint
{
    public ShingleSet Shingles => Summary.Shingles;
    public IReadOnlyList<BandKey> Keys { get; }
    public DuplicateSummary Summary { get; }

    DuplicateFingerprint(DuplicateSummary summary, BandKey[] keys)
    {
        Summary = summary;
        Keys = keys;
    }

    /// <summary>Normalises (greetings stripped, digits folded), shingles, finds the names, and computes the MinHash band keys.</summary>
    public static DuplicateFingerprint Of(string? text, NearDuplicateOptions? options = null)
    {
        options ??= NearDuplicateOptions.Default;
        var shingles = ShingleSet.Of(TextNormaliser.Normalise(text, NormaliseOptions.ForDuplicates), options.ShingleLength);
        var names = KeyTerms.NamesIn(text ?? "").Select(n => (uint)Hashing.Mix(KeyTerms.NameKey(n))).Distinct().Order().ToArray();
        return new DuplicateFingerprint(new DuplicateSummary(shingles, names), MinHashBands.Keys(shingles, options));
    }

    /// <summary>The exact overlap with another fingerprint.</summary>
    public Resemblance Compare(DuplicateFingerprint other) => Summary.Compare(other.Summary);

    /// <summary>The exact overlap with a stored summary.</summary>
    public Resemblance Compare(DuplicateSummary other) => Summary.Compare(other);
}

/// <summary>
/// The part of a fingerprint the exact re-rank needs, as a store keeps it beside a petition: the shingle set and the
/// hashes of the place and body names (<see cref="KeyTerms.NamesIn"/>) the text mentions.
/// </summary>
public sealed class DuplicateSummary(ShingleSet shingles, uint[] names)
{
    readonly uint[] names = names;

    public ShingleSet Shingles { get; } = shingles;

    /// <summary>Sorted, distinct 32-bit hashes of the names.</summary>
    public ReadOnlySpan<uint> Names => names;

    public Resemblance Compare(DuplicateSummary other) =>
        new(Shingles.Shared(other.Shingles), Shingles.Count, other.Shingles.Count,
            names.Length > 0 && other.names.Length > 0 && ShingleSet.Shared(names, other.names) == 0);

    /// <summary>
    /// The stored form: the number of names (32-bit), the name hashes, then <see cref="ShingleSet.ToBytes"/>; all
    /// little-endian.
    /// </summary>
    public byte[] ToBytes()
    {
        var set = Shingles.ToBytes();
        var bytes = new byte[4 + 4 * names.Length + set.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, names.Length);
        for (var i = 0; i < names.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 + 4 * i), names[i]);
        set.CopyTo(bytes, 4 + 4 * names.Length);
        return bytes;
    }

    /// <summary>Reads <see cref="ToBytes"/>; anything else is a <see cref="FormatException"/>.</summary>
    public static DuplicateSummary FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4) throw new FormatException("A duplicate summary starts with its number of names.");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (count < 0 || 4 + 4L * count > bytes.Length) throw new FormatException("A duplicate summary's names run past its end.");
        var names = new uint[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 + 4 * i)..]);
            if (i > 0 && names[i] <= names[i - 1]) throw new FormatException("A duplicate summary's names ascend without repeats.");
        }
        return new DuplicateSummary(ShingleSet.FromBytes(bytes[(4 + 4 * count)..]), names);
    }
}
