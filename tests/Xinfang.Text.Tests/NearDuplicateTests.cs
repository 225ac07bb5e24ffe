using Xinfang.Text.Duplicates;
using Xinfang.Text.Evaluation;

namespace Xinfang.Text.Tests;

public class NearDuplicateTests
{
    const string Original =
        "尊敬的领导：我们是丽景花园小区5栋的业主。小区东侧2019年新建了一座搅拌站，每天晚上10点到凌晨3点施工。" +
        "大型渣土车昼夜进出，噪音和粉尘严重影响居民休息。我们多次拨打12345热线，至今没有处理结果。" +
        "请环保部门和城管部门尽快依法查处，还居民一个安静的环境。谢谢！";

    public static TheoryData<string, string> Resubmissions => new()
    {
        { "dropped sentence", Original.Replace("我们多次拨打12345热线，至今没有处理结果。", "") },
        { "reordered", "大型渣土车昼夜进出，噪音和粉尘严重影响居民休息。我们是丽景花园小区5栋的业主。小区东侧2019年新建了一座搅拌站，每天晚上10点到凌晨3点施工。我们多次拨打12345热线，至今没有处理结果。请环保部门和城管部门尽快依法查处，还居民一个安静的环境。" },
        { "greeting added", "各位领导你们好！" + Original + "望尽快回复！" },
        { "digits changed", Original.Replace("5栋", "7栋").Replace("2019", "2020").Replace("12345", "12369") },
        { "width changed", Original.Replace("，", ",").Replace("。", ".").Replace("：", ":").Replace("5", "５").Replace("！", "!") },
        { "truncated", Original[..(Original.Length * 7 / 10)] },
    };

    [Theory]
    [MemberData(nameof(Resubmissions))]
    public void IsSameMatter_when_text_is_a_resubmission_is_true(string change, string resubmission)
    {
        NearDuplicates.IsSameMatter(Original, resubmission).ShouldBeTrue(change);
        NearDuplicates.KeysOf(Original).Intersect(NearDuplicates.KeysOf(resubmission)).ShouldNotBeEmpty(change);
    }

    [Theory]
    [InlineData("我们是丽景花园小区的业主。小区物业费年年上涨，物业公司却不提供服务，电梯经常坏，垃圾没人清运，请住建部门督促物业整改。")]  // same place, other matter
    [InlineData("宏达建材公司拖欠我们二十多名工人半年工资共计三十多万元，老板拒不支付，劳动监察大队不作为，请求帮助讨薪。")]             // other matter entirely
    [InlineData("搅拌站")]                                                                                                        // a word of it, too short
    public void IsSameMatter_when_text_is_a_different_petition_is_false(string other) =>
        NearDuplicates.IsSameMatter(Original, other).ShouldBeFalse();

    [Fact]
    public void KeysOf_same_text_twice_gives_the_same_keys_and_empty_text_gives_none()
    {
        NearDuplicates.KeysOf(Original).ShouldBe(NearDuplicates.KeysOf(Original));
        NearDuplicates.KeysOf(Original).Count.ShouldBe(NearDuplicateOptions.Default.Bands);
        NearDuplicates.KeysOf("，。").ShouldBeEmpty();
    }

    [Fact]
    public void KeysOf_with_another_seed_gives_other_keys() =>
        NearDuplicates.KeysOf(Original, NearDuplicateOptions.Default with { Seed = 1 }).Intersect(NearDuplicates.KeysOf(Original)).ShouldBeEmpty();

    [Fact]
    public void Score_of_text_inside_another_has_full_containment_and_partial_jaccard()
    {
        var half = Original[..(Original.Length / 2)];
        var r = NearDuplicates.Score(Original, half);
        r.Containment.ShouldBeGreaterThan(0.95);
        r.Jaccard.ShouldBeInRange(0.3, 0.7);
        NearDuplicates.Score(Original, Original).Jaccard.ShouldBe(1);
    }

    [Fact]
    public void Index_find_when_generated_resubmissions_are_looked_up_returns_their_original_and_no_other_petition()
    {
        var random = new Random(3);
        var index = new NearDuplicateIndex();
        var originals = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            originals.Add(DistinctPetition(random));
            index.Add(i, originals[i]);
        }
        index.Count.ShouldBe(300);
        var missed = new List<string>();
        var wrong = 0;
        foreach (var kind in Enum.GetValues<ResubmissionKind>())
            for (var i = 0; i < 300; i += 7)
            {
                var found = index.Find(Resubmission.Make(originals[i], kind, i));
                if (!found.Any(m => m.Id == i)) missed.Add($"{kind} {i}");
                wrong += found.Count(m => m.Id != i);
            }
        missed.ShouldBeEmpty();
        wrong.ShouldBe(0);
    }

    /// <summary>Six sentences of random common characters with a date, between a shared opening and closing.</summary>
    static string DistinctPetition(Random random)
    {
        const string Pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质";
        var sentences = new List<string> { "尊敬的领导您好" };
        for (var s = 0; s < 6; s++)
            sentences.Add(new string(Enumerable.Range(0, 14).Select(_ => Pool[random.Next(Pool.Length)]).ToArray()));
        sentences.Insert(3, $"{2018 + random.Next(3)}年{1 + random.Next(12)}月{1 + random.Next(28)}日");
        sentences.Add("请尽快处理");
        return string.Join("。", sentences) + "。";
    }

    [Fact]
    public void DuplicatePairs_over_a_batch_pairs_each_copy_with_what_came_before()
    {
        var other = "宏达建材公司拖欠我们二十多名工人半年工资共计三十多万元，老板拒不支付，劳动监察大队不作为，请求帮助讨薪。";
        var pairs = DuplicatePairs.Find([(1, Original), (2, other), (3, "您好！" + Original)]);
        pairs.Select(p => (p.A, p.B)).ShouldBe([(1L, 3L)]);
    }

    [Fact]
    public void Shingle_set_stored_as_bytes_reads_back_to_the_same_comparison_and_garbage_is_refused()
    {
        var original = DuplicateFingerprint.Of(Original);
        var resubmission = DuplicateFingerprint.Of("您好！" + Original[..(Original.Length * 3 / 4)]);
        var stored = Shingling.ShingleSet.FromBytes(original.Shingles.ToBytes());

        stored.Count.ShouldBe(original.Shingles.Count);
        resubmission.Shingles.Shared(stored).ShouldBe(resubmission.Shingles.Shared(original.Shingles));
        Shingling.ShingleSet.FromBytes([]).Count.ShouldBe(0);
        Should.Throw<FormatException>(() => Shingling.ShingleSet.FromBytes([1, 2, 3]));
        // Two equal hashes: not a set.
        Should.Throw<FormatException>(() => Shingling.ShingleSet.FromBytes([1, 0, 0, 0, 1, 0, 0, 0]));

        var summary = DuplicateSummary.FromBytes(original.Summary.ToBytes());
        resubmission.Compare(summary).ShouldBe(resubmission.Compare(original));
        Should.Throw<FormatException>(() => DuplicateSummary.FromBytes([9, 0, 0, 0, 1, 0, 0, 0]));
    }

    [Fact]
    public void One_campaign_text_filed_for_two_estates_is_two_matters_but_a_resubmission_naming_its_estate_again_is_one()
    {
        const string template = "我们是{0}小区居民，小区朝北大门两侧的楼栋下面一楼，本来应是架空层，现搞成商业门面，噪声严重扰民，有很大的油烟味往楼上窜，没办法居住，影响我们的晚年生活。请相关部门依法处理。";
        var a = string.Format(template, "英祥春天");
        var b = string.Format(template, "魅力之城");

        var r = NearDuplicates.Score(a, b);
        r.Jaccard.ShouldBeGreaterThan(0.8); // alike in words …
        r.DifferentNames.ShouldBeTrue();
        r.IsSameMatter(NearDuplicateOptions.Default).ShouldBeFalse(); // … but two estates, two matters
        NearDuplicates.IsSameMatter(a, "您好！" + a.Replace("依法处理", "尽快依法处理")).ShouldBeTrue();
        // A text naming no place at all is judged on its words alone.
        NearDuplicates.IsSameMatter(a, a.Replace("我们是英祥春天小区居民，", "")).ShouldBeTrue();
    }
}
