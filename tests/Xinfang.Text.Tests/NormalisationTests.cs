using Xinfang.Text.Normalisation;
using Xinfang.Text.Shingling;

namespace Xinfang.Text.Tests;

public class NormalisationTests
{
    [Theory]
    [InlineData("小区，噪音！", "小区噪音")]                          // Chinese punctuation dropped
    [InlineData("ＡＢＣ　１２３", "abc123")]                           // full-width letters, digits and space folded
    [InlineData("A市 A1区\t\n公交", "a市a1区公交")]                     // whitespace of every kind dropped, case folded
    [InlineData("尊敬的领导：您好！搅拌站扰民。谢谢！", "搅拌站扰民")]     // greeting and closing stripped
    [InlineData("尊敬的胡书记您好，小区停车难，望尽快回复！", "小区停车难")]
    [InlineData("", "")]
    [InlineData("，。！？", "")]
    public void Normalise_with_content_options_keeps_only_the_matter(string text, string expected) =>
        TextNormaliser.Normalise(text).ShouldBe(expected);

    [Theory]
    [InlineData(DigitHandling.Keep, "3号楼2019年", "3号楼2019年")]
    [InlineData(DigitHandling.Fold, "3号楼2019年", "0号楼0年")]
    [InlineData(DigitHandling.Drop, "3号楼2019年", "号楼年")]
    [InlineData(DigitHandling.Fold, "３号楼", "0号楼")]                // full-width digits fold like ASCII ones
    public void Normalise_with_digit_handling_treats_digit_runs_as_asked(DigitHandling digits, string text, string expected) =>
        TextNormaliser.Normalise(text, new NormaliseOptions(StripGreetings: false, Digits: digits)).ShouldBe(expected);

    [Fact]
    public void Normalise_without_greeting_stripping_keeps_the_greeting() =>
        TextNormaliser.Normalise("您好，投诉", new NormaliseOptions(StripGreetings: false)).ShouldBe("您好投诉");

    [Theory]
    [InlineData("搅拌站", 1, new[] { "搅", "拌", "站" })]
    [InlineData("搅拌站", 2, new[] { "搅拌", "拌站" })]
    [InlineData("搅拌站", 3, new[] { "搅拌站" })]
    [InlineData("搅拌", 3, new string[0])]                              // shorter than n: no n-grams
    public void NGrams_of_text_are_every_window_in_order(string text, int n, string[] expected) =>
        CharacterNGrams.Of(text, n).Select(CharacterNGrams.Text).ShouldBe(expected);

    [Fact]
    public void NGram_keys_of_different_grams_differ_and_round_trip()
    {
        var grams = new[] { "a", "ab", "abc", "小", "小区", "小区门", "区门", "\0a" };
        var keys = grams.Select(g => CharacterNGrams.Key(g, 0, g.Length)).ToList();
        keys.Distinct().Count().ShouldBe(grams.Length);
        keys.Select(CharacterNGrams.Text).ShouldBe(grams);
    }

    [Fact]
    public void ShingleSet_of_repeated_text_counts_each_gram_once()
    {
        var set = ShingleSet.Of("噪音噪音噪音", 2);
        set.Count.ShouldBe(2); // 噪音, 音噪
        set.Shared(ShingleSet.Of("噪音", 2)).ShouldBe(1);
    }
}
