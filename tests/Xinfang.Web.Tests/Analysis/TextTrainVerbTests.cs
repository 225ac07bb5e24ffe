using System.Text;
using Xinfang.Text.Csv;
using Xinfang.Web.Tests.Cli;

namespace Xinfang.Web.Tests.Analysis;

/// <summary>`xinfang text train` run as the operator runs it, on a fresh SQLite store and a labelled CSV the test writes.</summary>
public sealed class TextTrainVerbTests
{
    static readonly (string Label, string[] Phrases)[] Causes =
    [
        ("城乡建设", ["小区旁边新建搅拌站", "渣土车昼夜进出", "违章建筑无人拆除", "道路开挖后长期不修复"]),
        ("劳动和社会保障", ["公司拖欠工人工资半年", "老板拒不支付劳动报酬", "社保一直没有缴纳", "没有签订劳动合同"]),
        ("0401", ["包工头讨薪无果", "农民工工钱拿不到", "年底工资被克扣", "工地结算一拖再拖"]),
    ];

    static void WriteCsv(string path, int count, int labels)
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var (label, phrases) = Causes[i % labels];
            return new[] { (i + 1).ToString(), $"反映问题{i}", string.Join("，", Enumerable.Range(0, 3).Select(_ => phrases[random.Next(phrases.Length)])), label };
        });
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
        CsvTable.Write(writer, ["msg_id", "title", "detail", "label"], rows);
    }

    [Fact]
    public async Task Text_train_with_a_labelled_csv_stores_a_new_model_version_each_run()
    {
        using var store = new TempStore();
        var csv = Path.Combine(store.Folder, "labelled.csv");
        WriteCsv(csv, 30, 3);

        var first = await XinfangBinary.RunAsync(store.Folder, ["text", "train", "--csv", csv, store.ConnectionArgument]);
        first.ExpectExit(0);
        first.Stdout.ShouldContain("第1版");
        first.Stdout.ShouldContain("30件样本");
        (await XinfangBinary.RunAsync(store.Folder, ["text", "train", "--csv", csv, store.ConnectionArgument])).ExpectExit(0).Stdout.ShouldContain("第2版");

        using var conn = store.Open();
        using var cmd = conn.CreateCommand();
        // Category names are stored as the taxonomy's codes; codes stay codes.
        cmd.CommandText = "SELECT version, samples, categories, source, length(model) FROM text_models ORDER BY version";
        using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, long, long, string, long)>();
        while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4)));
        rows.Select(x => x.Item1).ShouldBe([1L, 2L]);
        rows.ShouldAllBe(x => x.Item2 == 30 && x.Item3 == 3 && x.Item4 == "csv" && x.Item5 > 100);
    }

    [Fact]
    public async Task Text_train_with_too_few_categories_or_a_missing_file_exits_non_zero_with_a_chinese_message()
    {
        using var store = new TempStore();
        var csv = Path.Combine(store.Folder, "one-label.csv");
        WriteCsv(csv, 10, 1);
        var run = await XinfangBinary.RunAsync(store.Folder, ["text", "train", "--csv", csv, store.ConnectionArgument]);
        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain("训练样本不足", customMessage: run.ToString());

        var missing = await XinfangBinary.RunAsync(store.Folder, ["text", "train", "--csv", Path.Combine(store.Folder, "none.csv"), store.ConnectionArgument]);
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Stderr.ShouldContain("none.csv", customMessage: missing.ToString());

        // From an empty store there is nothing confirmed to learn from.
        var empty = await XinfangBinary.RunAsync(store.Folder, ["text", "train", store.ConnectionArgument]);
        empty.ExitCode.ShouldBe(2, empty.ToString());
        empty.Stderr.ShouldContain("训练样本不足", customMessage: empty.ToString());
    }
}
