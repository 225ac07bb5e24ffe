namespace Xinfang.Text.Duplicates;

/// <summary>Two texts of a batch judged the same matter; <see cref="A"/> was seen first.</summary>
public readonly record struct DuplicatePair(long A, long B, Resemblance Resemblance);

/// <summary>Finds the near-duplicate pairs of a batch the way registration would: each text is looked up, then added.</summary>
public static class DuplicatePairs
{
    public static IReadOnlyList<DuplicatePair> Find(IEnumerable<(long Id, string Text)> texts, NearDuplicateOptions? options = null)
    {
        var index = new NearDuplicateIndex(options);
        var pairs = new List<DuplicatePair>();
        foreach (var (id, text) in texts)
        {
            var fingerprint = DuplicateFingerprint.Of(text, index.Options);
            foreach (var match in index.Find(fingerprint)) pairs.Add(new DuplicatePair(match.Id, id, match.Resemblance));
            index.Add(id, fingerprint);
        }
        return pairs;
    }
}
