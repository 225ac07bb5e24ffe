using Xinfang.Text.Evaluation;

namespace Xinfang.Text.Tests;

public class EvaluationMetricsTests
{
    [Fact]
    public void PairMetrics_counts_pairs_inside_groups_as_truth()
    {
        var groups = new Dictionary<long, string> { [1] = "g", [2] = "g", [3] = "g", [4] = "h", [5] = "i" };
        var m = PairMetrics.Of([(2, 1), (1, 3), (4, 5)], groups); // truth: (1,2) (1,3) (2,3)
        (m.TruePositives, m.FalsePositives, m.FalseNegatives).ShouldBe((2, 1, 1));
        m.Precision.ShouldBe(2.0 / 3);
        m.Recall.ShouldBe(2.0 / 3);
    }

    [Fact]
    public void Among_labelled_messages_judges_only_pairs_of_labelled_messages()
    {
        const string fees = "物业公司擅自上调停车费，每月从一百五十元涨到三百元，没有召开业主大会，也没有公示收费依据，请求有关部门查处。";
        const string noise = "我家楼下的广场舞音响每天晚上放到十点半以后，老人孩子都无法休息，多次沟通无果，请求城管部门依法处理噪声扰民问题。";
        var messages = new List<PetitionText> { new(1, "", fees), new(2, "", "您好！" + fees), new(3, "", noise), new(4, "", noise + "谢谢！") };
        // 3 and 4 are the same matter too, but unlabelled: among the labelled messages (1, 2, 3) only (1, 2) is judged.
        var groups = new Dictionary<long, string> { [1] = "g", [2] = "g", [3] = "h" };

        var among = DuplicateEvaluation.AmongLabelledMessages(messages, groups);
        (among.TruePositives, among.FalsePositives, among.FalseNegatives).ShouldBe((1, 0, 0));
        var whole = DuplicateEvaluation.OnLabelledGroups(messages, groups);
        (whole.TruePositives, whole.FalsePositives).ShouldBe((1, 1)); // (3, 4) counts against the engine there
    }

    [Fact]
    public void ClassificationMetrics_macro_f1_averages_per_label_f1()
    {
        var m = ClassificationMetrics.Of([("a", ["a", "b"]), ("a", ["b", "a"]), ("b", ["b", "a"]), ("b", ["b", "a"])]);
        m.Accuracy.ShouldBe(0.75);
        m.F1ByLabel["a"].ShouldBe(2.0 / 3, 1e-12); // tp 1, predicted 1, actual 2
        m.F1ByLabel["b"].ShouldBe(0.8, 1e-12);     // tp 2, predicted 3, actual 2
        m.MacroF1.ShouldBe((2.0 / 3 + 0.8) / 2, 1e-12);
        m.Top3Accuracy.ShouldBe(1);
    }

    [Fact]
    public void ClusterMetrics_of_a_split_issue_has_full_purity_and_partial_recall()
    {
        var issue = new Dictionary<long, string> { [1] = "x", [2] = "x", [3] = "x", [4] = "y" };
        var cluster = new Dictionary<long, int> { [1] = 1, [2] = 1, [3] = 2, [4] = 3, [5] = 3 };
        var m = ClusterMetrics.Of(issue, cluster);
        m.Purity.ShouldBe(1);
        m.PairRecall.ShouldBe(1.0 / 3); // (1,2) together; (1,3) and (2,3) apart
        m.Coverage.ShouldBe((2.0 / 3 + 1) / 2);
        m.Spill.ShouldBe(1);            // message 5 shares a cluster with the reference
    }
}
