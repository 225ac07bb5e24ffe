using System.Text.RegularExpressions;
using Xinfang.Text.Normalisation;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Clusters;

/// <summary>
/// The terms a petition can be grouped by: its character 2- and 3-grams, plus names of the places and bodies a cause is
/// usually tied to — an estate (XX小区, XX花园), an employer (XX公司), a school, a market, a platform. Names are found
/// by their suffix alone (no segmenter): the up-to-four characters before the suffix, with the suffix.
/// </summary>
public static partial class KeyTerms
{
    // Name keys live above the 51 bits n-gram keys use, so they never collide with one.
    const ulong NameFlag = 1UL << 63;

    [GeneratedRegex(@"(?<=\p{IsCJKUnifiedIdeographs}{2})(?:小区|花园|家园|新城|公馆|公寓|大厦|广场|国际城|国际|公司|集团|学校|小学|中学|学院|医院|市场|驾校|搅拌站|平台|物业|楼盘|村|社区)", RegexOptions.CultureInvariant)]
    private static partial Regex Names();

    /// <summary>
    /// Place and body names in a text (e.g. 丽发新城, 魅力之城小区, 聚美龙楚公司). Without a segmenter the start of a name is
    /// unknown, so each suffix gives the names of 2, 3 and 4 characters before it ("在丽发新城" gives 发新城, 丽发新城
    /// and 在丽发新城); document frequency later keeps the ones petitions share.
    /// </summary>
    public static IEnumerable<string> NamesIn(string text)
    {
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Names().Matches(folded))
            for (var length = 2; length <= 4 && m.Index - length >= 0; length++)
            {
                var start = m.Index - length;
                if (!IsHan(folded[start])) break;
                found.Add(folded.Substring(start, length + m.Length));
            }
        return found;
    }

    static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    /// <summary>The key of a name term.</summary>
    public static ulong NameKey(string name)
    {
        var h = 0x4E616D65UL;
        foreach (var c in name) h = Hashing.Combine(h, c);
        return h | NameFlag;
    }

    public static bool IsName(ulong key) => (key & NameFlag) != 0;

    /// <summary>Every term occurrence of a petition (title counted twice), names included with <paramref name="nameWeight"/> occurrences each.</summary>
    public static List<ulong> Of(PetitionText petition, int nameWeight, Dictionary<ulong, string> names)
    {
        var keys = new List<ulong>();
        var title = TextNormaliser.Normalise(petition.Title, NormaliseOptions.ForDuplicates);
        var detail = TextNormaliser.Normalise(petition.Detail, NormaliseOptions.ForDuplicates);
        for (var i = 0; i < 2; i++) CharacterNGrams.AppendRange(title, 2, 3, keys);
        CharacterNGrams.AppendRange(detail, 2, 3, keys);
        foreach (var name in NamesIn(petition.Title + "\n" + petition.Detail))
        {
            var key = NameKey(name);
            names.TryAdd(key, name);
            for (var i = 0; i < nameWeight; i++) keys.Add(key);
        }
        return keys;
    }
}
