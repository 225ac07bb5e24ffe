using System.Globalization;
using Xinfang.Text.Classification;
using Xinfang.Text.Csv;

namespace Xinfang.Text.Evaluation;

/// <summary>
/// The evaluation corpus (shared/data/complaints, see its README): messages, labelled messages, duplicate groups and
/// reference clusters. Read through a caller-supplied opener so this library does no file I/O; a missing file gives an
/// empty part and the evaluations that need it are skipped.
/// </summary>
public sealed record EvaluationData(
    IReadOnlyList<PetitionText> Messages,
    IReadOnlyList<(PetitionText Text, string Label)> Labelled,
    IReadOnlyDictionary<long, string> DuplicateGroupOf,
    IReadOnlyDictionary<long, string> SilverIssueOf,
    IReadOnlyDictionary<long, string> ExampleIssueOf,
    IReadOnlyList<TaxonomyNode> Taxonomy)
{
    /// <param name="open">Opens a file of the data folder by name, or returns null when it is not there.</param>
    public static EvaluationData Read(Func<string, Stream?> open)
    {
        var messages = Table(open, "messages.csv") is { } m
            ? m.Rows.Select(r => new PetitionText(Id(m.Cell(r, "msg_id")), m.Cell(r, "title"), m.Cell(r, "detail"))).ToList()
            : [];
        var labelled = Table(open, "labelled.csv") is { } l
            ? l.Rows.Select(r => (new PetitionText(Id(l.Cell(r, "msg_id")), l.Cell(r, "title"), l.Cell(r, "detail")), l.Cell(r, "label"))).ToList()
            : [];
        return new EvaluationData(messages, labelled,
            Groups(open, "duplicate_groups.csv", "dup_group"),
            Groups(open, "clusters_silver.csv", "silver_issue"),
            Groups(open, "clusters_example.csv", "issue"),
            ReadTaxonomy(open));
    }

    /// <summary>taxonomy.csv (level1,level2,level3) as nodes; a node's code is its path, a top level's code its name (the labels' form).</summary>
    static List<TaxonomyNode> ReadTaxonomy(Func<string, Stream?> open)
    {
        var nodes = new Dictionary<string, TaxonomyNode>();
        if (Table(open, "taxonomy.csv") is not { } t) return [];
        foreach (var r in t.Rows)
        {
            string? parent = null;
            var path = "";
            foreach (var column in new[] { "level1", "level2", "level3" })
            {
                var name = t.Cell(r, column).Trim();
                if (name.Length == 0) break;
                path = parent is null ? name : path + "/" + name;
                nodes.TryAdd(path, new TaxonomyNode(path, name, parent));
                parent = path;
            }
        }
        return nodes.Values.ToList();
    }

    static CsvTable? Table(Func<string, Stream?> open, string name)
    {
        using var stream = open(name);
        return stream is null ? null : CsvTable.Read(stream);
    }

    static Dictionary<long, string> Groups(Func<string, Stream?> open, string name, string column)
    {
        var groups = new Dictionary<long, string>();
        if (Table(open, name) is not { } t) return groups;
        foreach (var r in t.Rows) groups.TryAdd(Id(t.Cell(r, "msg_id")), t.Cell(r, column));
        return groups;
    }

    static long Id(string s) => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
