using Xinfang.Text.Clusters;

namespace Xinfang.Text.Tests;

public class CaseClusteringTests
{
    [Fact]
    public void Cluster_when_corpus_has_planted_causes_puts_each_cause_together_and_apart_from_the_others()
    {
        var random = new Random(11);
        var petitions = new List<PetitionText>();
        var causeOf = new Dictionary<long, int>();
        for (var i = 0; i < 120; i++)
        {
            var cause = i % GeneratedCorpus.Causes.Length;
            var (title, detail) = GeneratedCorpus.Petition(GeneratedCorpus.Causes[cause], random);
            petitions.Add(new PetitionText(i, title, detail));
            causeOf[i] = cause;
        }

        var clusters = CaseClustering.Cluster(petitions, ClusterOptions.Default with { MaxDocumentShare = 0.3 });

        clusters.SelectMany(c => c.Members).Order().ShouldBe(petitions.Select(p => p.Id)); // every petition once
        foreach (var cluster in clusters)
            cluster.Members.Select(m => causeOf[m]).Distinct().Count().ShouldBe(1, $"cluster {cluster.Number} mixes causes");
        foreach (var cause in Enumerable.Range(0, GeneratedCorpus.Causes.Length))
        {
            var largest = clusters.Where(c => causeOf[c.Members[0]] == cause).Max(c => c.Members.Count);
            largest.ShouldBeGreaterThanOrEqualTo(11, $"cause {cause} is split"); // a majority of its 20
        }
    }

    [Fact]
    public void Cluster_top_terms_name_the_planted_place()
    {
        var random = new Random(5);
        var petitions = Enumerable.Range(0, 60).Select(i =>
        {
            var (title, detail) = GeneratedCorpus.Petition(GeneratedCorpus.Causes[i % 3], random);
            return new PetitionText(i, title, detail);
        }).ToList();

        var clusters = CaseClustering.Cluster(petitions, ClusterOptions.Default with { MaxDocumentShare = 0.5 });

        foreach (var cause in GeneratedCorpus.Causes.Take(3))
        {
            var cluster = clusters.Where(c => petitions[(int)c.Members[0]].Title.Contains(cause.Place)).MaxBy(c => c.Members.Count)!;
            // Names have no known start without a segmenter: any term holding three characters of the place will do.
            var placeTrigrams = Enumerable.Range(0, cause.Place.Length - 2).Select(i => cause.Place.Substring(i, 3));
            cluster.TopTerms.ShouldContain(t => placeTrigrams.Any(t.Contains), $"{cause.Place}: {string.Join(" ", cluster.TopTerms)}");
        }
    }

    [Theory]
    [InlineData("A2区丽发新城附近建搅拌站", "丽发新城")]
    [InlineData("聚美龙楚公司建充电站", "聚美龙楚公司")]
    [InlineData("魅力之城小区油烟扰民", "魅力之城小区")]
    public void NamesIn_text_with_a_place_suffix_finds_the_name(string text, string name) =>
        KeyTerms.NamesIn(text).ShouldContain(name);

    [Fact]
    public void Cluster_of_unrelated_petitions_gives_singletons()
    {
        var petitions = new[]
        {
            new PetitionText(1, "公积金贷款", "住房公积金贷款额度太低"),
            new PetitionText(2, "学校收费", "实验小学违规收取补课费"),
            new PetitionText(3, "噪音", "北郊化工厂夜间偷排废气"),
        };
        CaseClustering.Cluster(petitions).ShouldAllBe(c => c.Members.Count == 1);
    }
}
