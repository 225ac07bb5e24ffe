using System.Text;
using Xinfang.Text.Csv;

namespace Xinfang.Web.Tests.Cli;

/// <summary>`xinfang text …` (Cli/TextVerbs.cs) run as a child process on small CSV files the test writes.</summary>
public sealed class TextVerbTests
{
    static readonly (string Category, string Place, string[] Phrases)[] Causes =
    [
        ("城乡建设", "丽景花园小区", ["小区旁边新建搅拌站", "搅拌站彻夜施工噪音扰民", "水泥灰尘飘进居民家中", "大型渣土车昼夜进出"]),
        ("劳动和社会保障", "宏达建材公司", ["公司拖欠工人工资半年", "老板拒不支付劳动报酬", "没有签订劳动合同", "社保一直没有缴纳"]),
        ("教育文体", "实验第二小学", ["学校违规收取补课费", "老师在校外办辅导班", "学生作业太多", "食堂饭菜质量很差"]),
    ];

    static List<string[]> Petitions(int count, int seed, int firstId)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var (category, place, phrases) = Causes[i % Causes.Length];
            var detail = $"我们是{place}附近的居民。" + string.Join("。", Enumerable.Range(0, 4).Select(_ => phrases[random.Next(phrases.Length)])) + $"。已有{10 + random.Next(90)}户受到影响。";
            return new[] { (firstId + i).ToString(), $"关于{place}的问题", detail, category };
        }).ToList();
    }

    static void WriteCsv(string path, string[] header, IEnumerable<string[]> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true)); // with a BOM, as spreadsheets write it
        CsvTable.Write(writer, header, rows);
    }

    static CsvTable ReadCsv(string path)
    {
        using var stream = File.OpenRead(path);
        return CsvTable.Read(stream);
    }

    [Fact]
    public async Task Text_classify_with_labelled_training_csv_writes_a_label_and_three_ranked_labels_per_input_row()
    {
        using var store = new TempStore();
        var train = Path.Combine(store.Folder, "train.csv");
        var input = Path.Combine(store.Folder, "input.csv");
        var output = Path.Combine(store.Folder, "out.csv");
        WriteCsv(train, ["msg_id", "title", "detail", "label"], Petitions(60, 1, 1));
        var inputs = Petitions(9, 2, 1000);
        WriteCsv(input, ["msg_id", "title", "detail"], inputs.Select(r => r[..3]));

        (await XinfangBinary.RunAsync(store.Folder, ["text", "classify", "--train", train, "--input", input, "--output", output])).ExpectExit(0);

        var result = ReadCsv(output);
        result.Header.ShouldBe(["msg_id", "label", "top3"]);
        result.Rows.Select(r => result.Cell(r, "msg_id")).ShouldBe(inputs.Select(r => r[0]));
        foreach (var (row, expected) in result.Rows.Zip(inputs))
        {
            var top3 = result.Cell(row, "top3").Split('|');
            top3.Length.ShouldBe(3);
            top3.Distinct().Count().ShouldBe(3);
            top3[0].ShouldBe(result.Cell(row, "label"));
            result.Cell(row, "label").ShouldBe(expected[3]);
        }
    }

    [Fact]
    public async Task Text_duplicates_when_input_holds_a_resubmission_writes_that_pair_only()
    {
        using var store = new TempStore();
        var input = Path.Combine(store.Folder, "input.csv");
        var output = Path.Combine(store.Folder, "pairs.csv");
        var rows = Petitions(3, 3, 1).Select(r => r[..3]).ToList();
        rows[0][2] = "丽景花园小区5栋的业主反映，小区东侧新建搅拌站，每天晚上10点到凌晨3点施工，渣土车昼夜进出，噪音和粉尘严重影响休息，拨打热线至今没有结果。";
        rows.Add(["99", "再次反映搅拌站", "尊敬的领导您好！" + rows[0][2].Replace("10点", "11点") + "望尽快回复！"]);
        WriteCsv(input, ["msg_id", "title", "detail"], rows);

        (await XinfangBinary.RunAsync(store.Folder, ["text", "duplicates", "--input", input, "--output", output])).ExpectExit(0);

        var result = ReadCsv(output);
        result.Header.ShouldBe(["a", "b", "score"]);
        result.Rows.Select(r => (result.Cell(r, "a"), result.Cell(r, "b"))).ShouldBe([("1", "99")]);
        double.Parse(result.Cell(result.Rows[0], "score"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(0.5, 1.0);
    }

    [Fact]
    public async Task Text_clusters_writes_one_cluster_per_input_row_grouping_rows_of_one_cause()
    {
        using var store = new TempStore();
        var input = Path.Combine(store.Folder, "input.csv");
        var output = Path.Combine(store.Folder, "clusters.csv");
        var rows = Petitions(30, 4, 1);
        WriteCsv(input, ["msg_id", "title", "detail"], rows.Select(r => r[..3]));

        (await XinfangBinary.RunAsync(store.Folder, ["text", "clusters", "--input", input, "--output", output])).ExpectExit(0);

        var result = ReadCsv(output);
        result.Header.ShouldBe(["msg_id", "cluster"]);
        result.Rows.Select(r => result.Cell(r, "msg_id")).ShouldBe(rows.Select(r => r[0]));
        var clusterOf = result.Rows.ToDictionary(r => result.Cell(r, "msg_id"), r => int.Parse(result.Cell(r, "cluster")));
        // Rows of different causes never share a cluster.
        foreach (var group in rows.GroupBy(r => clusterOf[r[0]]))
            group.Select(r => r[3]).Distinct().Count().ShouldBe(1);
        clusterOf.Values.Distinct().Count().ShouldBeLessThan(rows.Count);
    }

    [Fact]
    public async Task Text_classify_without_its_options_or_with_a_missing_file_exits_non_zero_with_a_message()
    {
        using var store = new TempStore();
        var run = await XinfangBinary.RunAsync(store.Folder, ["text", "classify", "--input", "x.csv"]);
        run.ExitCode.ShouldBe(64, run.ToString());
        run.Stderr.ShouldContain("--train", customMessage: run.ToString());

        var missing = await XinfangBinary.RunAsync(store.Folder, ["text", "duplicates", "--input", Path.Combine(store.Folder, "none.csv"), "--output", Path.Combine(store.Folder, "o.csv")]);
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Stderr.ShouldContain("none.csv", customMessage: missing.ToString());
    }
}
