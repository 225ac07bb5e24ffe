using System.Text;
using System.Text.RegularExpressions;

namespace Xinfang.Text.Evaluation;

/// <summary>The ways petitioners change a petition when they submit it again.</summary>
public enum ResubmissionKind
{
    DropSentence,
    ReorderSentences,
    AddGreeting,
    ChangeDigits,
    Truncate,
    WidthChange,
    /// <summary>A greeting added, one sentence dropped, digits changed and punctuation width flipped, all at once.</summary>
    Combined,
}

/// <summary>
/// Makes resubmissions of a text for evaluating and testing near-duplicate detection. Seeded: the same text, kind and
/// seed give the same variant.
/// </summary>
public static partial class Resubmission
{
    static readonly string[] Greetings = ["尊敬的领导：您好！", "您好，", "尊敬的市长您好：", "领导好！", "各位领导你们好，"];
    static readonly string[] Closings = ["谢谢！", "望尽快回复！", "此致敬礼！", "恳请领导尽快给予答复。", "万分感谢"];

    [GeneratedRegex(@"(?<=[。！？!?；;\n])")]
    private static partial Regex SentenceEnd();

    /// <summary>The sentences of a text, each with its closing punctuation.</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        SentenceEnd().Split(text).Where(s => s.Trim().Length > 0).ToList();

    public static string Make(string text, ResubmissionKind kind, int seed)
    {
        var random = new Random(seed);
        return kind switch
        {
            ResubmissionKind.DropSentence => DropSentence(text, random),
            ResubmissionKind.ReorderSentences => Reorder(text, random),
            ResubmissionKind.AddGreeting => AddGreeting(text, random),
            ResubmissionKind.ChangeDigits => ChangeDigits(text, random),
            ResubmissionKind.Truncate => Truncate(text, random),
            ResubmissionKind.WidthChange => FlipWidth(text),
            ResubmissionKind.Combined => FlipWidth(ChangeDigits(DropSentence(AddGreeting(text, random), random), random)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Drops one sentence other than the first (the first usually states the matter); a one-sentence text loses its last quarter.</summary>
    static string DropSentence(string text, Random random)
    {
        var sentences = Sentences(text).ToList();
        if (sentences.Count < 3) return text[..Math.Max(1, text.Length * 3 / 4)];
        sentences.RemoveAt(1 + random.Next(sentences.Count - 1));
        return string.Concat(sentences);
    }

    /// <summary>Swaps two sentences; a text of one sentence is returned as it is.</summary>
    static string Reorder(string text, Random random)
    {
        var sentences = Sentences(text).ToList();
        if (sentences.Count < 2) return text;
        var i = random.Next(sentences.Count);
        var j = (i + 1 + random.Next(sentences.Count - 1)) % sentences.Count;
        (sentences[i], sentences[j]) = (sentences[j], sentences[i]);
        return string.Concat(sentences);
    }

    static string AddGreeting(string text, Random random) =>
        Greetings[random.Next(Greetings.Length)] + text + Closings[random.Next(Closings.Length)];

    /// <summary>Every digit replaced by another: a new date, phone number, amount or building number.</summary>
    static string ChangeDigits(string text, Random random)
    {
        var sb = new StringBuilder(text);
        for (var i = 0; i < sb.Length; i++)
            if (sb[i] is >= '0' and <= '9') sb[i] = (char)('0' + (sb[i] - '0' + 1 + random.Next(9)) % 10);
        return sb.ToString();
    }

    /// <summary>Keeps the first 60–85 %: a petitioner retyping the beginning and stopping.</summary>
    static string Truncate(string text, Random random) => text[..Math.Max(1, (int)(text.Length * (0.6 + 0.25 * random.NextDouble())))];

    /// <summary>ASCII punctuation, letters and digits to full width and full-width to ASCII; Chinese 。、 to ASCII . ,</summary>
    static string FlipWidth(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                >= '!' and <= '~' => (char)(c + 0xFEE0),
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '。' => '.',
                '、' => ',',
                '\u3000' => ' ',
                ' ' => '\u3000',
                _ => c,
            });
        return sb.ToString();
    }
}
