using Xinfang.Text.Classification;

namespace Xinfang.Text.Tests;

public class CategoryClassifierTests
{
    static List<LabelledText> Examples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var cause = GeneratedCorpus.Causes[random.Next(GeneratedCorpus.Causes.Length)];
            var (title, detail) = GeneratedCorpus.Petition(cause, random);
            return new LabelledText(title, detail, cause.Category);
        }).ToList();
    }

    [Theory]
    [InlineData(ClassifierAlgorithm.NaiveBayesSvm)]
    [InlineData(ClassifierAlgorithm.LogisticRegression)]
    [InlineData(ClassifierAlgorithm.ComplementNaiveBayes)]
    public void Classify_after_training_on_generated_petitions_predicts_unseen_ones(ClassifierAlgorithm algorithm)
    {
        var model = CategoryClassifier.Train(Examples(240, 1), ClassifierOptions.Default with { Algorithm = algorithm });
        var test = Examples(60, 2);
        var correct = test.Count(e => model.Top(e.Title, e.Detail)[0].Category == e.Category);
        correct.ShouldBeGreaterThanOrEqualTo(57);
    }

    [Fact]
    public void Classify_gives_every_category_once_with_scores_summing_to_one_best_first()
    {
        var model = CategoryClassifier.Train(Examples(120, 3));
        var scores = model.Classify("公司拖欠工资", "老板拒不支付劳动报酬");
        scores.Select(s => s.Category).Order().ShouldBe(GeneratedCorpus.Causes.Select(c => c.Category).Order());
        scores.Sum(s => s.Score).ShouldBe(1, 1e-9);
        scores.Select(s => s.Score).ShouldBeInOrder(SortDirection.Descending);
        scores[0].Category.ShouldBe("劳动和社会保障");
        model.Top("公司拖欠工资", "", 3).Count.ShouldBe(3);
    }

    [Fact]
    public void Save_then_load_gives_a_model_with_the_same_scores()
    {
        var model = CategoryClassifier.Train(Examples(150, 4));
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = CategoryClassifier.Load(stream);

        loaded.Categories.ShouldBe(model.Categories);
        loaded.FeatureCount.ShouldBe(model.FeatureCount);
        foreach (var e in Examples(20, 5))
            loaded.Classify(e.Title, e.Detail).ShouldBe(model.Classify(e.Title, e.Detail));
    }

    [Fact]
    public void Train_twice_on_the_same_examples_gives_the_same_model()
    {
        var examples = Examples(100, 6);
        var a = new MemoryStream();
        var b = new MemoryStream();
        CategoryClassifier.Train(examples).Save(a);
        CategoryClassifier.Train(examples).Save(b);
        a.ToArray().ShouldBe(b.ToArray());
    }

    [Fact]
    public void Load_of_a_stream_that_is_not_a_model_throws_format_exception()
    {
        Should.Throw<FormatException>(() => CategoryClassifier.Load(new MemoryStream("not a model"u8.ToArray())));
        var model = new MemoryStream();
        CategoryClassifier.Train(Examples(60, 7)).Save(model);
        Should.Throw<FormatException>(() => CategoryClassifier.Load(new MemoryStream(model.ToArray()[..(int)(model.Length / 2)])));
    }

    [Fact]
    public void Train_with_one_category_is_refused() =>
        Should.Throw<ArgumentException>(() => CategoryClassifier.Train([new("a", "b", "教育文体"), new("c", "d", "教育文体")]));

    [Theory]
    [InlineData(1)] // before title features and the detail prefix
    [InlineData(2)] // before the weight of the detail beyond the prefix
    public void A_model_saved_in_an_older_format_still_loads_and_classifies(int format)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("XFCLS");
            w.Write(format);
            w.Write((int)ClassifierAlgorithm.LogisticRegression);
            w.Write(1); w.Write(3); w.Write(2); // minN, maxN, title weight
            if (format == 2) { w.Write(false); w.Write(0); } // no title features, the whole detail
            w.Write(2); w.Write("交通运输"); w.Write("劳动和社会保障");
            w.Write(1); w.Write(Shingling.CharacterNGrams.Key("工资", 0, 2)); w.Write(1f); // one feature: 工资
            w.Write(0f); w.Write(0f); // biases
            w.Write(-2f); w.Write(2f); // its weight for each category
        }
        stream.Position = 0;
        var model = CategoryClassifier.Load(stream);

        model.Classify("讨要工资", "")[0].Category.ShouldBe("劳动和社会保障");
        model.Classify("道路破损", "")[0].Score.ShouldBe(0.5, 1e-9);
    }

    [Fact]
    public void Title_features_and_detail_prefix_survive_save_and_load()
    {
        var options = ClassifierOptions.Default with { TitleFeatures = true, DetailPrefix = 40, RestWeight = 0 };
        var model = CategoryClassifier.Train(Examples(120, 8), options);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = CategoryClassifier.Load(stream);
        // Only the first 40 characters of a detail are read: what follows them cannot move the scores.
        var detail = new string('路', 40);
        loaded.Classify("求助", detail + "拖欠工资拖欠工资").ShouldBe(model.Classify("求助", detail));
        loaded.Classify("求助", detail).ShouldBe(model.Classify("求助", detail));
    }

    [Fact]
    public void The_detail_beyond_the_prefix_counts_at_its_weight_and_survives_save_and_load()
    {
        var examples = Examples(240, 9);
        var withRest = CategoryClassifier.Train(examples, ClassifierOptions.Default with { DetailPrefix = 40, RestWeight = 0.5 });
        var without = CategoryClassifier.Train(examples, ClassifierOptions.Default with { DetailPrefix = 40, RestWeight = 0 });
        using var stream = new MemoryStream();
        withRest.Save(stream);
        stream.Position = 0;
        var loaded = CategoryClassifier.Load(stream);

        // A letter that names its matter only after 40 characters of preamble: the rest moves the scores toward it.
        var detail = new string('您', 40) + "公司拖欠工资三个月，老板拒不支付劳动报酬";
        double Wages(CategoryClassifier m) => m.Classify("求助", detail).Single(s => s.Category == "劳动和社会保障").Score;
        Wages(withRest).ShouldBeGreaterThan(Wages(without));
        loaded.Classify("求助", detail).ShouldBe(withRest.Classify("求助", detail));
        // At weight 0 it is left out: what follows the prefix cannot move the scores.
        without.Classify("求助", detail).ShouldBe(without.Classify("求助", new string('您', 40)));
    }

    [Fact]
    public void Taxonomy_seeds_make_a_sub_field_no_confirmed_petition_used_point_to_its_category()
    {
        var taxonomy = new List<TaxonomyNode>
        {
            new("01", "劳动和社会保障", null), new("0101", "工资福利", "01"), new("010101", "住房公积金", "0101"),
            new("010102", "其他", "0101"), new("010103", "公积金贷款", "0101"),
            new("02", "交通运输", null), new("0201", "公共交通", "02"), new("020101", "出租车管理", "0201"),
            new("03", "教育文体", null), new("0301", "学前教育", "03"),
        };
        var seeds = CategorySeeds.From(taxonomy, new HashSet<string> { "01", "02" });
        seeds.ShouldBe([new("住房公积金", "工资福利 住房公积金", "01"), new("公积金贷款", "工资福利 公积金贷款", "01"),
            new("出租车管理", "公共交通 出租车管理", "02")], ignoreOrder: true);

        var examples = new List<LabelledText>
        {
            new("公司拖欠工资", "老板拒不支付三个月工资", "01"), new("讨薪无门", "工地拖欠农民工工资", "01"),
            new("社保断缴", "单位未给职工缴纳社会保险", "01"),
            new("公交线路调整", "希望增加公交班次", "02"), new("道路拥堵", "早高峰公交车进不了站", "02"),
            new("公交站牌缺失", "站台没有站牌", "02"),
        };
        var bare = CategoryClassifier.Train(examples);
        var seeded = CategoryClassifier.Train([.. examples, .. seeds]);
        // A term has to be in two training texts to be a feature: 公积金 is, through the two seeds.
        static double Score(CategoryClassifier m, string category) => m.Classify("公积金提取", "").Single(s => s.Category == category).Score;
        Score(seeded, "01").ShouldBeGreaterThan(Score(bare, "01"));
        seeded.Classify("公积金提取", "")[0].Category.ShouldBe("01");
    }
}
