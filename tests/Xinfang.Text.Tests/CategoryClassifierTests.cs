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
}
