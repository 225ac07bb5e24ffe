namespace Xinfang.Text.Shingling;

/// <summary>
/// The fixed, seeded 64-bit mixing the engine hashes with. Fixed so that keys written to a store today are found by
/// the same text tomorrow, on any machine and any .NET version (string.GetHashCode is randomised per process).
/// </summary>
public static class Hashing
{
    /// <summary>SplitMix64's finaliser: a bijection on 64 bits with full avalanche.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    /// <summary>Combines a running hash with one more value (order matters).</summary>
    public static ulong Combine(ulong seed, ulong value) => Mix(seed ^ (value + 0x9E3779B97F4A7C15UL + (seed << 6) + (seed >> 2)));
}
