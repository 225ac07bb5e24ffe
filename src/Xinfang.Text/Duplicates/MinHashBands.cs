using System.Collections.Concurrent;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Duplicates;

/// <summary>
/// MinHash locality-sensitive hashing (Broder 1997; bands as in Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets"
/// ch. 3): Bands × RowsPerBand seeded hash functions; each band's minima are hashed into one key. Two texts with shingle
/// Jaccard s share at least one key with probability 1 − (1 − s^r)^b: with 24 bands of 3 rows, s = 0.5 → 0.96,
/// s = 0.3 → 0.48, s = 0.1 → 0.02.
/// </summary>
public static class MinHashBands
{
    static readonly ConcurrentDictionary<(ulong Seed, int Count), (ulong[] A, ulong[] B)> Functions = new();

    /// <summary>The band keys of a shingle set (none for an empty set: an empty text is nobody's duplicate).</summary>
    public static BandKey[] Keys(ShingleSet shingles, NearDuplicateOptions options)
    {
        if (shingles.Count == 0) return [];
        var count = options.Bands * options.RowsPerBand;
        var (a, b) = Functions.GetOrAdd((options.Seed, count), static k => MakeFunctions(k.Seed, k.Count));
        Span<uint> minima = count <= 512 ? stackalloc uint[count] : new uint[count];
        minima.Fill(uint.MaxValue);
        foreach (var h in shingles.Hashes)
        {
            var x = Hashing.Mix(h);
            // Multiply-add-shift hashing: one multiplication per function and shingle keeps signatures cheap.
            for (var i = 0; i < count; i++)
            {
                var v = (uint)((a[i] * x + b[i]) >> 32);
                if (v < minima[i]) minima[i] = v;
            }
        }
        var keys = new BandKey[options.Bands];
        for (var band = 0; band < options.Bands; band++)
        {
            var h = Hashing.Combine(options.Seed, (ulong)band);
            for (var r = 0; r < options.RowsPerBand; r++) h = Hashing.Combine(h, minima[band * options.RowsPerBand + r]);
            keys[band] = new BandKey((long)h);
        }
        return keys;
    }

    static (ulong[] A, ulong[] B) MakeFunctions(ulong seed, int count)
    {
        var a = new ulong[count];
        var b = new ulong[count];
        var state = seed;
        for (var i = 0; i < count; i++)
        {
            a[i] = Hashing.Mix(state += 0x9E3779B97F4A7C15UL) | 1UL;
            b[i] = Hashing.Mix(state += 0x9E3779B97F4A7C15UL);
        }
        return (a, b);
    }
}
