using System.Globalization;
using System.Text;
using Xinfang.Text;
using Xinfang.Text.Classification;
using Xinfang.Text.Clusters;
using Xinfang.Text.Csv;
using Xinfang.Text.Duplicates;
using Xinfang.Text.Evaluation;

namespace Xinfang.Web.Cli;

/// <summary>
/// `xinfang text …`: the text engine (Xinfang.Text) over CSV files, without a store. Input rows are
/// <c>msg_id,title,detail[,label]</c>; outputs are UTF-8 CSV with a header row.
/// </summary>
public static class TextVerbs
{
    public const string Usage = """
        xinfang text classify --train T.csv --input I.csv --output O.csv   suggest categories: msg_id,label,top3 (a|b|c)
        xinfang text duplicates --input I.csv --output O.csv                same-matter pairs: a,b,score
        xinfang text clusters --input I.csv --output O.csv                  case clusters (类案): msg_id,cluster
        xinfang text evaluate [--data ../shared/data/complaints]            print the measured figures (Markdown)
        xinfang text train [--csv FILE]                                     train the category model from the store's confirmed
                                                                            petitions (or a labelled CSV) and store it
        xinfang text reindex [host options]                                 rebuild the store's near-duplicate index, with a progress bar
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0) return Fail($"text: a verb is needed.\n{Usage}", 64);
        try
        {
            return args[0] switch
            {
                "classify" => Classify(args),
                "duplicates" => Duplicates(args),
                "clusters" => Clusters(args),
                "evaluate" => Evaluate(args),
                "train" => Fail("text train needs the store: run it as `xinfang text train`.", 64),
                _ => Fail($"Unknown text verb '{args[0]}'.\n{Usage}", 64),
            };
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(e.Message, 2);
        }
    }

    static int Classify(string[] args)
    {
        if (Option(args, "--train") is not { } train || Option(args, "--input") is not { } input || Option(args, "--output") is not { } output)
            return Fail($"text classify needs --train, --input and --output.\n{Usage}", 64);
        var training = ReadPetitions(train, requireLabel: true);
        var model = CategoryClassifier.Train(training.Select(p => new LabelledText(p.Text.Title, p.Text.Detail, p.Label!)).ToList());
        var rows = ReadPetitions(input, requireLabel: false).Select(p =>
        {
            var top = model.Top(p.Text.Title, p.Text.Detail);
            return (IReadOnlyList<string>)[p.RawId, top[0].Category, string.Join('|', top.Select(t => t.Category))];
        });
        Write(output, ["msg_id", "label", "top3"], rows);
        return 0;
    }

    static int Duplicates(string[] args)
    {
        if (Option(args, "--input") is not { } input || Option(args, "--output") is not { } output)
            return Fail($"text duplicates needs --input and --output.\n{Usage}", 64);
        var petitions = ReadPetitions(input, requireLabel: false);
        var pairs = DuplicatePairs.Find(petitions.Select(p => (p.Text.Id, p.Text.Body)));
        Write(output, ["a", "b", "score"], pairs.Select(p => (IReadOnlyList<string>)[
            p.A.ToString(CultureInfo.InvariantCulture), p.B.ToString(CultureInfo.InvariantCulture), p.Resemblance.Score.ToString("0.000", CultureInfo.InvariantCulture)]));
        return 0;
    }

    static int Clusters(string[] args)
    {
        if (Option(args, "--input") is not { } input || Option(args, "--output") is not { } output)
            return Fail($"text clusters needs --input and --output.\n{Usage}", 64);
        var petitions = ReadPetitions(input, requireLabel: false);
        var clusters = CaseClustering.Cluster(petitions.Select(p => p.Text).ToList());
        var clusterOf = clusters.SelectMany(c => c.Members.Select(m => (m, c.Number))).ToDictionary(x => x.m, x => x.Number);
        Write(output, ["msg_id", "cluster"], petitions.Select(p => (IReadOnlyList<string>)[p.RawId, clusterOf[p.Text.Id].ToString(CultureInfo.InvariantCulture)]));
        // The clusters worth a look, for the person running the verb; the CSV stays in its fixed shape.
        foreach (var c in clusters.Where(c => c.Members.Count > 1).Take(10))
            Console.WriteLine($"cluster {c.Number}: {c.Members.Count} petitions — {string.Join(" ", c.TopTerms)}");
        return 0;
    }

    static int Evaluate(string[] args)
    {
        var folder = Option(args, "--data") ?? Path.Combine("..", "shared", "data", "complaints");
        if (!Directory.Exists(folder)) return Fail($"No data folder at {Path.GetFullPath(folder)} (give one with --data).", 2);
        var data = EvaluationData.Read(name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
        TextEvaluation.Run(data, Console.Out);
        return 0;
    }

    /// <summary>Whether a text verb works on the store (the host is built for it) rather than on CSV files alone.</summary>
    public static bool UsesStore(string[] args) => args.Length > 0 && args[0] == "train";

    /// <summary>The arguments a store-backed verb leaves for the host's configuration (e.g. --Database:Provider=postgres).</summary>
    public static string[] HostArgs(string[] args)
    {
        var rest = args.Skip(1).ToList();
        var i = rest.IndexOf("--csv");
        if (i >= 0) rest.RemoveRange(i, Math.Min(2, rest.Count - i));
        return rest.ToArray();
    }

    /// <summary>`xinfang text train [--csv FILE]`: trains the category model and stores it as the next version.</summary>
    public static async Task<int> TrainAsync(IServiceProvider sp, string[] args)
    {
        await sp.GetRequiredService<Data.Migrator>().MigrateAsync();
        var use = sp.GetRequiredService<Analysis.TrainClassifier>();
        Analysis.TrainingResult result;
        if (args.Contains("--csv"))
        {
            if (Option(args, "--csv") is not { } csv) return Fail($"text train --csv needs a file.\n{Usage}", 64);
            if (!File.Exists(csv)) return Fail($"文件不存在 (no such file): {csv}", 2);
            try
            {
                await using var stream = File.OpenRead(csv);
                result = await use.FromCsvAsync(stream, default);
            }
            catch (FormatException e)
            {
                return Fail(e.Message, 2);
            }
        }
        else result = await use.FromStoreAsync(default);
        if (!result.Succeeded) return Fail(Analysis.TrainClassifier.Describe(result), 2);
        Console.WriteLine(Analysis.TrainClassifier.Describe(result));
        return 0;
    }

    sealed record InputPetition(string RawId, PetitionText Text, string? Label);

    /// <summary>
    /// Reads msg_id,title,detail[,label]. Ids that are not integers are numbered by row for the engine and written back as given.
    /// </summary>
    static List<InputPetition> ReadPetitions(string path, bool requireLabel)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"文件不存在 (no such file): {path}");
        using var stream = File.OpenRead(path);
        var table = CsvTable.Read(stream);
        foreach (var column in requireLabel ? ["msg_id", "title", "detail", "label"] : new[] { "msg_id", "title", "detail" })
            if (!table.HasColumn(column)) throw new FormatException($"{path}: no column '{column}' (has: {string.Join(", ", table.Header)}).");
        var numeric = table.Rows.All(r => long.TryParse(table.Cell(r, "msg_id"), NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        return table.Rows.Select((r, i) =>
        {
            var raw = table.Cell(r, "msg_id");
            var id = numeric ? long.Parse(raw, CultureInfo.InvariantCulture) : i;
            return new InputPetition(raw, new PetitionText(id, table.Cell(r, "title"), table.Cell(r, "detail")), table.HasColumn("label") ? table.Cell(r, "label") : null);
        }).ToList();
    }

    static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        CsvTable.Write(writer, header, rows);
    }

    static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    static int Fail(string message, int code)
    {
        Console.Error.WriteLine(message);
        return code;
    }
}
