namespace Xinfang.Text.Shingling;

/// <summary>
/// Character n-grams of a normalised text, as 64-bit keys. For n ≤ 3 the key is exact: the n UTF-16 units packed into
/// 48 bits with n above them, so no two different n-grams share a key and nothing is allocated per n-gram.
/// </summary>
public static class CharacterNGrams
{
    /// <summary>The longest n-gram a key holds exactly.</summary>
    public const int MaxN = 3;

    /// <summary>The key of <paramref name="text"/>[<paramref name="start"/>..+<paramref name="n"/>].</summary>
    public static ulong Key(ReadOnlySpan<char> text, int start, int n)
    {
        if (n is < 1 or > MaxN) throw new ArgumentOutOfRangeException(nameof(n), n, "1 to 3 characters");
        ulong key = (ulong)n << 48;
        for (var i = 0; i < n; i++) key |= (ulong)text[start + i] << (16 * (n - 1 - i));
        return key;
    }

    /// <summary>The n-gram a key stands for (for key terms shown to people, and for tests).</summary>
    public static string Text(ulong key)
    {
        var n = (int)(key >> 48);
        var chars = new char[n];
        for (var i = 0; i < n; i++) chars[i] = (char)(key >> (16 * (n - 1 - i)));
        return new string(chars);
    }

    /// <summary>Every n-gram of length <paramref name="n"/>, in order, repeats included. A text shorter than n gives none.</summary>
    public static IEnumerable<ulong> Of(string normalised, int n)
    {
        for (var i = 0; i + n <= normalised.Length; i++) yield return Key(normalised, i, n);
    }

    /// <summary>Appends the keys of every n-gram with length <paramref name="minN"/> to <paramref name="maxN"/> to <paramref name="into"/>.</summary>
    public static void AppendRange(ReadOnlySpan<char> normalised, int minN, int maxN, List<ulong> into)
    {
        for (var n = minN; n <= maxN; n++)
            for (var i = 0; i + n <= normalised.Length; i++) into.Add(Key(normalised, i, n));
    }
}
