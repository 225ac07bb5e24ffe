namespace Xinfang.Text;

/// <summary>
/// Character n-gram similarity for Chinese text, which has no spaces between words: no segmenter needed.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Keeps letters and digits (CJK included), folds width and case, drops punctuation and spaces.</summary>
    public static string Normalise(string text)
    {
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        var chars = new List<char>(folded.Length);
        foreach (var c in folded)
            if (char.IsLetterOrDigit(c)) chars.Add(char.ToLowerInvariant(c));
        return new string(chars.ToArray());
    }

    public static HashSet<string> Shingles(string text, int n = 2)
    {
        var s = Normalise(text);
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (s.Length < n)
        {
            if (s.Length > 0) set.Add(s);
            return set;
        }
        for (var i = 0; i + n <= s.Length; i++) set.Add(s.Substring(i, n));
        return set;
    }

    /// <summary>Jaccard similarity of the character bigram sets, 0 (nothing shared) to 1 (same text).</summary>
    public static double Jaccard(string a, string b)
    {
        var x = Shingles(a);
        var y = Shingles(b);
        if (x.Count == 0 && y.Count == 0) return 0;
        var shared = x.Count(y.Contains);
        return (double)shared / (x.Count + y.Count - shared);
    }
}
