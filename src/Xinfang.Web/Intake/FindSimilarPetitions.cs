using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Cryptography;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;
using Xinfang.Web.Search;
using Xinfang.Text;
using Xinfang.Text.Duplicates;

namespace Xinfang.Web.Intake;

/// <summary>How strongly a candidate's petitioners are the same people: exact on identity number or phone, or only name and address.</summary>
public enum SamePetitioner { None, NameAndAddress, Exact }

/// <summary>One stored petition that may be the same matter, with its exact resemblance (0–1).</summary>
public sealed record SimilarCandidate(
    Guid Id, string Number, string Title, PetitionStatus Status, DateTimeOffset RegisteredAt,
    double Similarity, double Containment, double Jaccard, bool SameMatter, SamePetitioner SamePetitioner, bool Linked);

/// <summary>The people a text is compared against, as registration stores them.</summary>
public sealed record PersonKey(string? Name, string? IdNumber, string? Phone, string? Address);

/// <summary>
/// Near-duplicate candidates (重复信访): retrieved through the band keys kept in <c>petition_band_keys</c> (plus the
/// same petitioner's own petitions), then re-ranked exactly with the text engine on the detail (<see cref="PetitionText.Body"/>).
/// Staff see only their jurisdiction and never an accusation from inside the accused unit (Art. 30 ¶3).
/// </summary>
public sealed class FindSimilarPetitions(XinfangDb db)
{
    /// <summary>Candidates shown: the same matter, or a resemblance score at least this.</summary>
    public const double ShownScore = 0.35;
    public const int MaxShown = 10;
    /// <summary>At most this many index candidates are re-ranked (those sharing the most keys first).</summary>
    public const int MaxRetrieved = 300;
    const int MaxSamePetitioner = 100;

    public static NearDuplicateOptions Options => NearDuplicateOptions.Default;

    /// <summary>The text near-duplicates are judged on, as the keys were computed at registration.</summary>
    public static string BodyOf(string title, string content) => new PetitionText(0, title, content).Body;

    /// <summary>GET /petitions/{id}/similar: candidates for a stored petition, rejected ones left out.</summary>
    public async Task<IResult> ForPetitionAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).Include(p => p.Petitioners).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        if (Jurisdiction.IsAccused(staff, petition)) return TypedResults.Ok(new Listing<SimilarCandidate>([]));
        return TypedResults.Ok(new Listing<SimilarCandidate>(await ForStoredAsync(petition, staff, ct)));
    }

    public async Task<IReadOnlyList<SimilarCandidate>> ForStoredAsync(Petition petition, Staff staff, CancellationToken ct)
    {
        var rejected = await RejectedAsync(petition.Id, ct);
        var people = petition.Petitioners.Select(p => new PersonKey(p.Name, p.IdNumber, p.Phone, p.Address)).ToList();
        var found = await FindAsync(BodyOf(petition.Title, petition.Content), people, staff, petition.Id, ct, MaxShown + rejected.Count);
        return found.Where(c => !rejected.Contains(c.Id))
            .Select(c => c with { Linked = c.Id == petition.RepeatOfId })
            .Take(MaxShown).ToList();
    }

    /// <summary>POST /petitions/similar: candidates for a registration not yet saved (the form's 查重).</summary>
    public async Task<IResult> ForDraftAsync(RegisterPetitionRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        if (body is null) return Problems.Validation("body", "请求体不能为空");
        var (body2, error) = DraftText(body);
        if (error is not null) return Problems.Validation("content", error);
        return TypedResults.Ok(new Listing<SimilarCandidate>(await FindAsync(body2!, PeopleOf(body), staff, null, ct, MaxShown)));
    }

    /// <summary>The detail of a draft as registration would store it, or why it cannot be compared.</summary>
    public static (string? Body, string? Error) DraftText(RegisterPetitionRequest body)
    {
        var content = string.IsNullOrWhiteSpace(body.Content)
            ? string.Join("\n", new[] { body.Request, body.Facts, body.Reasons }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()))
            : body.Content.Trim();
        var text = BodyOf(body.Title?.Trim() ?? "", content);
        if (string.IsNullOrWhiteSpace(text)) return (null, "请先填写标题或信访请求、事实和理由，再查重");
        if (text.Length > 20_000) return (null, "内容不超过19000字，更多材料请作为附件");
        return (text, null);
    }

    public static List<PersonKey> PeopleOf(RegisterPetitionRequest body) =>
        (body.Petitioners ?? []).Select(p => new PersonKey(p.Name, p.IdNumber, p.Phone, p.Address)).ToList();

    /// <summary>
    /// The candidates for <paramref name="body"/>, best first: those in <paramref name="staff"/>'s jurisdiction, or
    /// anywhere when <paramref name="staff"/> is null (repeat detection at registration, for the portal too).
    /// </summary>
    /// <param name="limit">At most this many, the best (null: every one; repeat detection needs them all).</param>
    public async Task<List<SimilarCandidate>> FindAsync(string body, IReadOnlyList<PersonKey> people, Staff? staff, Guid? exclude, CancellationToken ct, int? limit = null)
    {
        var print = DuplicateFingerprint.Of(body, Options);
        var keys = print.Keys.Select(k => k.Value).Distinct().ToList();
        var byText = await db.PetitionBandKeys.Where(k => keys.Contains(k.BandKey))
            .GroupBy(k => k.PetitionId).Select(g => new { Id = g.Key, Shared = g.Count() })
            .OrderByDescending(g => g.Shared).Take(MaxRetrieved).Select(g => g.Id).ToListAsync(ct);
        var ids = byText.Concat(await SamePetitionerIdsAsync(people, ct)).Distinct().Where(id => id != exclude).ToList();
        if (ids.Count == 0) return [];

        // Re-ranked exactly from the stored summaries (shingle set and names; no text read); a petition indexed before
        // they were stored (migration 0019, until `text reindex`) has its text read and fingerprinted instead.
        var sets = await db.PetitionShingles.AsNoTracking().Where(s => ids.Contains(s.PetitionId))
            .ToDictionaryAsync(s => s.PetitionId, s => DuplicateSummary.FromBytes(s.Shingles), ct);
        var unstored = ids.Where(id => !sets.ContainsKey(id)).ToList();
        if (unstored.Count > 0)
            foreach (var p in await db.Petitions.AsNoTracking().Where(p => unstored.Contains(p.Id)).Select(p => new { p.Id, p.Title, p.Content }).ToListAsync(ct))
                sets[p.Id] = DuplicateFingerprint.Of(BodyOf(p.Title, p.Content), Options).Summary;
        var resemblance = sets
            .Select(kv => (Id: kv.Key, R: print.Compare(kv.Value)))
            .Where(x => x.R.IsSameMatter(Options) || x.R.Score >= ShownScore)
            .ToDictionary(x => x.Id, x => x.R);
        // The survivors best first; their rows (jurisdiction, confidentiality, display, petitioners) are read a batch at
        // a time until <paramref name="limit"/> are found, so a text resembling hundreds of others reads few rows.
        var ranked = resemblance.OrderByDescending(x => x.Value.IsSameMatter(Options)).ThenByDescending(x => x.Value.Score)
            .ThenBy(x => x.Key).Select(x => x.Key).ToList();
        var found = new List<SimilarCandidate>();
        var batch = Math.Max(limit ?? ranked.Count, 1) + 10;
        for (var start = 0; start < ranked.Count && (limit is null || found.Count < limit); start += batch)
            found.AddRange(await RowsAsync(ranked.Skip(start).Take(batch).ToList(), resemblance, people, staff, ct));
        return found
            .OrderByDescending(c => c.SameMatter).ThenByDescending(c => c.Similarity).ThenBy(c => c.RegisteredAt)
            .Take(limit ?? int.MaxValue)
            .ToList();
    }

    /// <summary>The candidates among <paramref name="ids"/> the caller may see, with their petitioners compared.</summary>
    async Task<List<SimilarCandidate>> RowsAsync(List<Guid> ids, Dictionary<Guid, Resemblance> resemblance, IReadOnlyList<PersonKey> people, Staff? staff, CancellationToken ct)
    {
        if (staff is not null)
        {
            var unitId = staff.Unit.Id;
            var visible = await db.PetitionAccess.Where(a => a.UnitId == unitId && ids.Contains(a.PetitionId)).Select(a => a.PetitionId).ToListAsync(ct);
            ids = visible;
            if (ids.Count == 0) return [];
        }
        // Art. 30 ¶3: a candidate's title and text are shown only to whom the matter is not confidential.
        var candidates = db.Petitions.AsNoTracking().Where(p => ids.Contains(p.Id) && p.Status != PetitionStatus.Withdrawn);
        if (staff is not null) candidates = candidates.Where(Jurisdiction.SeenInFullBy(staff));
        var rows = await candidates.Select(p => new { p.Id, p.Number, p.Title, p.Status, p.RegisteredAt }).ToListAsync(ct);
        var rowIds = rows.Select(r => r.Id).ToList();
        var theirs = rowIds.Count == 0 ? [] : await db.Petitioners.AsNoTracking().Where(x => rowIds.Contains(x.PetitionId))
            .Select(x => new { x.PetitionId, x.Name, x.IdNumber, x.Phone, x.Address }).ToListAsync(ct);
        var peopleOf = theirs.ToLookup(x => x.PetitionId, x => new PersonKey(x.Name, x.IdNumber, x.Phone, x.Address));
        return rows.Select(p =>
        {
            var r = resemblance[p.Id];
            return new SimilarCandidate(p.Id, p.Number, p.Title, p.Status, p.RegisteredAt, Math.Round(r.Score, 3),
                Math.Round(r.Containment, 3), Math.Round(r.Jaccard, 3), r.IsSameMatter(Options), Compare(people, peopleOf[p.Id].ToList()), false);
        }).ToList();
    }

    /// <summary>The petitions of the same people by identity number or phone (exact), bounded.</summary>
    async Task<List<Guid>> SamePetitionerIdsAsync(IReadOnlyList<PersonKey> people, CancellationToken ct)
    {
        // Stored encrypted: the keyed blind indexes of the identity numbers and phones are compared.
        var ids = people.Select(p => Blank(p.IdNumber)).OfType<string>().SelectMany(s => PersonalDataKey.Of(db, PersonalField.IdNumber, s)).Distinct().ToArray();
        var phones = people.Select(p => Blank(p.Phone)).OfType<string>().SelectMany(s => PersonalDataKey.Of(db, PersonalField.Phone, s)).Distinct().ToArray();
        if (ids.Length == 0 && phones.Length == 0) return [];
        return await db.Petitioners
            .Where(p => ids.Contains(EF.Property<string>(p, PersonalDataColumns.IdNumberKey)) || phones.Contains(EF.Property<string>(p, PersonalDataColumns.PhoneKey)))
            .Select(p => p.PetitionId).Distinct().Take(MaxSamePetitioner).ToListAsync(ct);
    }

    /// <summary>Exact when an identity number or phone is the same; weaker when only a name with its address is.</summary>
    public static SamePetitioner Compare(IReadOnlyList<PersonKey> a, IReadOnlyList<PersonKey> b)
    {
        static HashSet<string> Set(IEnumerable<PersonKey> ps, Func<PersonKey, string?> f) =>
            ps.Select(f).OfType<string>().ToHashSet(StringComparer.Ordinal);
        string? Id(PersonKey p) => Blank(p.IdNumber) is { } s ? PersonalDataKey.Normalise(PersonalField.IdNumber, s) : null;
        string? Phone(PersonKey p) => Blank(p.Phone) is { } s ? PersonalDataKey.Normalise(PersonalField.Phone, s) : null;
        string? NameAddress(PersonKey p) => Blank(p.Name) is { } n && Blank(p.Address) is { } ad
            ? PersonalDataKey.Normalise(PersonalField.Name, n) + "\u0001" + ad.Trim() : null;
        if (Set(a, Id).Overlaps(Set(b, Id)) || Set(a, Phone).Overlaps(Set(b, Phone))) return SamePetitioner.Exact;
        return Set(a, NameAddress).Overlaps(Set(b, NameAddress)) ? SamePetitioner.NameAndAddress : SamePetitioner.None;
    }

    /// <summary>Candidates whose latest decision for this petition is a rejection.</summary>
    async Task<HashSet<Guid>> RejectedAsync(Guid petitionId, CancellationToken ct)
    {
        var decisions = await db.RepeatLinkDecisions.AsNoTracking().Where(d => d.PetitionId == petitionId)
            .Select(d => new { d.CandidateId, d.Decision, d.At }).ToListAsync(ct);
        return decisions.GroupBy(d => d.CandidateId).Select(g => g.OrderBy(d => d.At).Last())
            .Where(d => d.Decision == RepeatLinkVerdict.Reject).Select(d => d.CandidateId).ToHashSet();
    }

    /// <summary>The rows to store for a petition's text (one per band key).</summary>
    /// <summary>What the near-duplicate index keeps of one petition: its band keys and its summary (shingle set and names).</summary>
    public static (List<PetitionBandKey> Keys, PetitionShingles Shingles) IndexOf(Guid petitionId, string title, string content)
    {
        var print = DuplicateFingerprint.Of(BodyOf(title, content), Options);
        var keys = print.Keys.Select(k => k.Value).Distinct().Select(k => new PetitionBandKey { BandKey = k, PetitionId = petitionId }).ToList();
        return (keys, new PetitionShingles { PetitionId = petitionId, Shingles = print.Summary.ToBytes() });
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
