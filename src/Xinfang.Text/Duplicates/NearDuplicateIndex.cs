using System.Runtime.InteropServices;

namespace Xinfang.Text.Duplicates;

/// <summary>
/// An in-memory near-duplicate index: the same rows a store would keep — (band key → id) postings — plus each text's
/// shingle set for re-ranking. Texts are added one at a time, as they are registered. Not thread-safe: one writer,
/// or lock around it.
/// </summary>
public sealed class NearDuplicateIndex(NearDuplicateOptions? options = null)
{
    readonly NearDuplicateOptions options = options ?? NearDuplicateOptions.Default;
    // Postings as linked lists in flat arrays (key → last posting; posting → previous posting of the same key):
    // 8 bytes a posting instead of a List<int> per key, which at 1M texts × 24 keys would be most of the memory.
    readonly Dictionary<long, int> lastPosting = [];
    int[] postingText = new int[1024];
    int[] postingPrevious = new int[1024];
    int postings;
    readonly List<long> ids = [];
    readonly List<DuplicateFingerprint> fingerprints = [];

    public NearDuplicateOptions Options => options;

    /// <summary>Texts indexed.</summary>
    public int Count => ids.Count;

    /// <summary>Distinct band keys held (rows of a store's key table would be Count × Bands, keys repeated).</summary>
    public int DistinctKeys => lastPosting.Count;

    /// <summary>Adds a text under <paramref name="id"/>; returns its fingerprint.</summary>
    public DuplicateFingerprint Add(long id, string? text) => Add(id, DuplicateFingerprint.Of(text, options));

    /// <summary>Adds a fingerprint computed elsewhere (e.g. on another thread).</summary>
    public DuplicateFingerprint Add(long id, DuplicateFingerprint fingerprint)
    {
        var ordinal = ids.Count;
        ids.Add(id);
        fingerprints.Add(fingerprint);
        foreach (var key in fingerprint.Keys)
        {
            if (postings == postingText.Length)
            {
                Array.Resize(ref postingText, postings * 2);
                Array.Resize(ref postingPrevious, postings * 2);
            }
            ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(lastPosting, key.Value, out var existed);
            postingText[postings] = ordinal;
            postingPrevious[postings] = existed ? last : -1;
            last = postings++;
        }
        return fingerprint;
    }

    /// <summary>Ids sharing at least one band key with <paramref name="fingerprint"/>: the candidates, before re-ranking.</summary>
    public IReadOnlyCollection<long> Candidates(DuplicateFingerprint fingerprint) => CandidateOrdinals(fingerprint).Select(o => ids[o]).ToList();

    /// <summary>The indexed texts judged the same matter as <paramref name="text"/>, best first.</summary>
    public IReadOnlyList<DuplicateMatch> Find(string? text) => Find(DuplicateFingerprint.Of(text, options));

    /// <summary>The indexed texts judged the same matter as the fingerprinted text, best first.</summary>
    public IReadOnlyList<DuplicateMatch> Find(DuplicateFingerprint fingerprint)
    {
        var matches = new List<DuplicateMatch>();
        foreach (var ordinal in CandidateOrdinals(fingerprint))
        {
            var resemblance = fingerprint.Compare(fingerprints[ordinal]);
            if (resemblance.IsSameMatter(options)) matches.Add(new DuplicateMatch(ids[ordinal], resemblance));
        }
        matches.Sort((x, y) => y.Resemblance.Score.CompareTo(x.Resemblance.Score) is var c && c != 0 ? c : x.Id.CompareTo(y.Id));
        return matches;
    }

    HashSet<int> CandidateOrdinals(DuplicateFingerprint fingerprint)
    {
        var found = new HashSet<int>();
        foreach (var key in fingerprint.Keys)
            if (lastPosting.TryGetValue(key.Value, out var p))
                for (; p >= 0; p = postingPrevious[p]) found.Add(postingText[p]);
        return found;
    }

    /// <summary>Approximate bytes held: postings, the key table and the shingle sets.</summary>
    public long ApproximateBytes
    {
        get
        {
            long bytes = 8L * postingText.Length + 24L * lastPosting.Count + 4L * lastPosting.Count + 16L * ids.Count;
            foreach (var f in fingerprints) bytes += f.Shingles.Bytes + 24 + 8L * f.Keys.Count;
            return bytes;
        }
    }
}
