using System.Text;
using System.Text.RegularExpressions;

namespace Xinfang.Text.Normalisation;

/// <summary>What normalisation does with digits.</summary>
public enum DigitHandling
{
    /// <summary>Digits stay as they are (classification: "12345" hotline numbers, years and amounts carry meaning).</summary>
    Keep,
    /// <summary>Every run of digits becomes one '0': a resubmission with a new date, phone number or amount still matches.</summary>
    Fold,
    /// <summary>Digits are removed.</summary>
    Drop,
}

/// <summary>How <see cref="TextNormaliser.Normalise"/> treats a text.</summary>
/// <param name="StripGreetings">Removes salutations and closings (您好, 尊敬的领导, 此致敬礼, 谢谢…): they say nothing about the matter
/// and petitioners add or drop them when they resubmit.</param>
/// <param name="Digits">What to do with digits.</param>
public sealed record NormaliseOptions(bool StripGreetings = true, DigitHandling Digits = DigitHandling.Keep)
{
    /// <summary>For near-duplicate detection: greetings stripped, digit runs folded.</summary>
    public static readonly NormaliseOptions ForDuplicates = new(StripGreetings: true, Digits: DigitHandling.Fold);
    /// <summary>For classification and clustering: greetings stripped, digits kept.</summary>
    public static readonly NormaliseOptions ForContent = new(StripGreetings: true, Digits: DigitHandling.Keep);
}

/// <summary>
/// Brings a petition text to the form the engine compares: compatibility folding (full-width letters, digits and
/// punctuation become half-width, NFKC), lower case, no whitespace or punctuation, optionally no greetings and no digits.
/// Chinese has no spaces between words, so what remains is a plain run of characters to cut into n-grams.
/// </summary>
public static partial class TextNormaliser
{
    /// <summary>Salutations and closings petitioners write around the matter itself. Matched after NFKC folding, anywhere.</summary>
    [GeneratedRegex(
        @"尊敬的[\p{IsCJKUnifiedIdeographs}A-Za-z0-9]{0,12}?(领导|书记|市长|区长|县长|省长|主任|局长|同志|工作人员|政府)(们)?(您好|你们好|好)?" +
        @"|(各位|亲爱的)?(领导|书记|市长|主任|局长)(们)?(您好|你们好|好)" +
        @"|您们好|您好|你们好|你好" +
        @"|此致[\s,，。.:：]*敬礼|谢谢(您|你们|领导)?|感谢(您|你们|领导|政府)?|万分感谢|麻烦(您|你们|领导)?了" +
        @"|(恳请|望|盼|期待|请|希望)?(尽快|早日)?(给予|给个)?(回复|答复|盼复)(为盼|!|！)?",
        RegexOptions.CultureInvariant)]
    private static partial Regex Greetings();

    /// <summary>The comparable form of <paramref name="text"/>: letters and digits only, folded as <paramref name="options"/> says.</summary>
    public static string Normalise(string? text, NormaliseOptions? options = null)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        options ??= NormaliseOptions.ForContent;
        var folded = text.Normalize(NormalizationForm.FormKC);
        if (options.StripGreetings) folded = Greetings().Replace(folded, " ");
        var sb = new StringBuilder(folded.Length);
        var inDigits = false;
        foreach (var c in folded)
        {
            if (char.IsDigit(c))
            {
                switch (options.Digits)
                {
                    case DigitHandling.Keep: sb.Append(c); break;
                    case DigitHandling.Fold when !inDigits: sb.Append('0'); break;
                }
                inDigits = true;
                continue;
            }
            inDigits = false;
            if (char.IsLetter(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
