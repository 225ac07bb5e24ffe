namespace Xinfang.Text.Classification;

/// <summary>A node of the deployment's category taxonomy (涉及领域) as the classifier sees it.</summary>
public sealed record TaxonomyNode(string Code, string Name, string? ParentCode);

/// <summary>
/// Seed examples from the taxonomy itself: the names below a category say what it covers (城乡建设 › 住房保障 ›
/// 经济适用房), so every leaf under a trained category becomes one short example of it — the leaf's name as title, the
/// names on the way down as detail. They teach the vocabulary of sub-fields no confirmed petition has used yet.
/// Leaves named 其他 ("other") say nothing and are skipped.
/// </summary>
public static class CategorySeeds
{
    const string Other = "其他";

    public static IReadOnlyList<LabelledText> From(IReadOnlyList<TaxonomyNode> taxonomy, IReadOnlySet<string> categories)
    {
        var byCode = new Dictionary<string, TaxonomyNode>();
        foreach (var node in taxonomy) byCode.TryAdd(node.Code, node);
        var parents = taxonomy.Where(n => n.ParentCode is not null).Select(n => n.ParentCode!).ToHashSet();
        var seeds = new List<LabelledText>();
        foreach (var leaf in taxonomy.Where(n => !parents.Contains(n.Code) && n.Name.Trim() != Other))
        {
            var path = new List<string>();
            // Up from the leaf to the nearest category being trained; a cycle or a dangling parent ends the walk.
            for (var (node, steps) = (leaf, 0); node is not null && steps <= taxonomy.Count; steps++)
            {
                path.Add(node.Name);
                if (categories.Contains(node.Code))
                {
                    path.Reverse();
                    // The category's own name is the label, not evidence: leave it out unless the leaf is the category.
                    var words = path.Count > 1 ? path.Skip(1) : path;
                    seeds.Add(new LabelledText(leaf.Name, string.Join(' ', words), node.Code));
                    break;
                }
                node = node.ParentCode is { } p ? byCode.GetValueOrDefault(p) : null;
            }
        }
        return seeds;
    }
}
