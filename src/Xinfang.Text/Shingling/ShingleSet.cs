namespace Xinfang.Text.Shingling;

/// <summary>
/// The distinct character n-grams of one text as a sorted array of 32-bit hashes: small enough to keep per petition in
/// memory, and two sets are compared by one merge pass. (Two different n-grams sharing a 32-bit hash inside one pair of
/// texts is rare enough — about one in ten thousand for two 500-character texts — not to move a score.)
/// </summary>
public sealed class ShingleSet
{
    readonly uint[] hashes;

    ShingleSet(uint[] hashes) => this.hashes = hashes;

    /// <summary>The empty set (a text with fewer than n characters).</summary>
    public static readonly ShingleSet Empty = new([]);

    /// <summary>How many distinct n-grams.</summary>
    public int Count => hashes.Length;

    /// <summary>The sorted hashes, for signatures.</summary>
    public ReadOnlySpan<uint> Hashes => hashes;

    /// <summary>The set of distinct <paramref name="n"/>-grams of an already normalised text.</summary>
    public static ShingleSet Of(string normalised, int n)
    {
        if (normalised.Length < n) return Empty;
        var all = new uint[normalised.Length - n + 1];
        for (var i = 0; i < all.Length; i++) all[i] = (uint)Hashing.Mix(CharacterNGrams.Key(normalised, i, n));
        Array.Sort(all);
        var distinct = 0;
        for (var i = 0; i < all.Length; i++)
            if (i == 0 || all[i] != all[distinct - 1]) all[distinct++] = all[i];
        Array.Resize(ref all, distinct);
        return new ShingleSet(all);
    }

    /// <summary>How many n-grams the two sets share.</summary>
    public int Shared(ShingleSet other) => Shared(hashes, other.hashes);

    /// <summary>How many values two ascending, repeat-free hash arrays share: one merge pass.</summary>
    public static int Shared(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { shared++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return shared;
    }

    /// <summary>
    /// The set as stored beside a petition (4 bytes a shingle, little-endian, ascending), so a store re-ranks candidates
    /// without reading, normalising and hashing their texts again.
    /// </summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[4 * hashes.Length];
        for (var i = 0; i < hashes.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), hashes[i]);
        return bytes;
    }

    /// <summary>Reads <see cref="ToBytes"/>; bytes that are not an ascending set of 32-bit hashes are a <see cref="FormatException"/>.</summary>
    public static ShingleSet FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0) throw new FormatException("A shingle set is a whole number of 32-bit hashes.");
        var read = new uint[bytes.Length / 4];
        for (var i = 0; i < read.Length; i++)
        {
            read[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * i)..]);
            if (i > 0 && read[i] <= read[i - 1]) throw new FormatException("A shingle set's hashes ascend without repeats.");
        }
        return read.Length == 0 ? Empty : new ShingleSet(read);
    }

    /// <summary>Approximate bytes held: for the index's memory figure.</summary>
    public long Bytes => 24 + 16 + 4L * hashes.Length;
}
