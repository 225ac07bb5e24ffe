using System.Globalization;
using Xinfang.Web.Api;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Cryptography;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Search;

/// <summary>
/// What staff search by (查询). Every criterion is optional and they combine with AND. Values come as typed
/// (strings where a person types them) and are checked here, so the API and the workbench page answer alike.
/// </summary>
/// <param name="Number">The petition number, exactly (e.g. 320583-2026-000123).</param>
/// <param name="Name">A petitioner's name, exactly.</param>
/// <param name="Phone">A petitioner's phone, exactly as registered.</param>
/// <param name="IdNumber">A petitioner's resident identity number (checked: 18 characters, check digit).</param>
/// <param name="Text">Words found anywhere in title or content; several words separated by spaces must all occur.</param>
/// <param name="ReceivedFrom">First China date of receipt, yyyy-MM-dd, inclusive.</param>
/// <param name="ReceivedTo">Last China date of receipt, yyyy-MM-dd, inclusive.</param>
/// <param name="CategoryCode">A category and everything under it (01 takes 0101, 0102…).</param>
/// <param name="UnitId">A unit within the caller's subtree to search as (default: the caller's unit).</param>
public sealed record SearchCriteria(
    string? Number = null, string? Name = null, string? Phone = null, string? IdNumber = null, string? Text = null,
    string? Status = null, string? Warning = null, Guid? UnitId = null, string? CategoryCode = null, string? Channel = null,
    string? ReceivedFrom = null, string? ReceivedTo = null, string? Cursor = null, int? Limit = null);

/// <summary>Why a search was not run at all (besides invalid criteria).</summary>
public enum SearchRefusal
{
    /// <summary>Administrators (三员分立) manage the system, not the matters: they search nothing.</summary>
    Forbidden,
    /// <summary>The unit asked for is not the caller's nor under it.</summary>
    UnitNotFound,
}

/// <summary>Exactly one of <see cref="Page"/>, <see cref="Errors"/> (field → Chinese messages) or <see cref="Refusal"/>.</summary>
public sealed record SearchResult(PetitionPage? Page, IReadOnlyDictionary<string, string[]>? Errors = null, SearchRefusal? Refusal = null)
{
    public bool Succeeded => Page is not null;
}

/// <summary>The personal-data fields that are looked up exactly.</summary>
public enum PersonalField { Name, Phone, IdNumber }

/// <summary>
/// The one place that turns a searched personal value into the value compared. Registration stores names and
/// phones trimmed and identity numbers trimmed in upper case (<see cref="Normalise"/>); the store holds them
/// encrypted, and exact look-ups compare keyed SM3 blind indexes of the normalised value (<see cref="Of"/>,
/// Cryptography/PersonalDataCipher) with the petitioners' *_key columns.
/// </summary>
public static class PersonalDataKey
{
    public static string Normalise(PersonalField field, string value) => field switch
    {
        PersonalField.IdNumber => value.Trim().ToUpperInvariant(),
        _ => value.Trim(),
    };

    /// <summary>
    /// The blind indexes of <paramref name="value"/> under every blind-index key in use (one, or two while a
    /// blind-index rotation runs): query with <see cref="PersonalDataStorage.WithKey"/>.
    /// </summary>
    public static IReadOnlyList<string> Of(XinfangDb db, PersonalField field, string value) =>
        PersonalDataStorage.CipherOf(db).BlindIndexes(FieldName(field), Normalise(field, value));

    /// <summary>The label a field's blind-index sub-key is derived with.</summary>
    public static string FieldName(PersonalField field) => field switch
    {
        PersonalField.IdNumber => "id_number",
        PersonalField.Phone => "phone",
        _ => "name",
    };
}

/// <summary>
/// Searches the caller's jurisdiction, newest first, keyset-paginated. The same rows as
/// <see cref="ListPetitions"/> (petition_access of the caller's unit or a unit under it), and never an
/// accusation from inside the accused unit or to the accused person (Art. 30 ¶3, Jurisdiction.SeenInFullBy).
/// Costs stay bounded at any size:
/// <list type="bullet">
/// <item>exact look-ups (number, name, phone, identity number) first find their few petitions by index;</item>
/// <item>words of 3+ characters use the trigram index (SQLite FTS5, read newest first and stopped at a page;
/// PostgreSQL pg_trgm GIN, whose matches bound the search like an exact look-up when they are few);</item>
/// <item>words of 1–2 characters alone cannot use a trigram index: each request examines at most
/// <see cref="ShortTextWindow"/> petitions of the jurisdiction, newest first, and the cursor continues
/// after them — a page may hold fewer results than asked for, even none, while <c>nextCursor</c> is set.</item>
/// </list>
/// </summary>
public sealed class SearchPetitions(XinfangDb db, CalendarStore calendar)
{
    public const int DefaultLimit = ListPetitions.DefaultLimit;
    public const int MaxLimit = ListPetitions.MaxLimit;
    public const int ShortTextWindow = 5_000;
    public const int MaxTextLength = 100;
    public const int MaxTerms = 5;
    /// <summary>An exact look-up matching more petitions than this becomes a filter on the jurisdiction walk.</summary>
    const int ExactCandidates = 2_000;
    const int IndexedTermLength = 3;

    public async Task<SearchResult> HandleAsync(Staff staff, SearchCriteria c, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return new(null, Refusal: SearchRefusal.Forbidden);
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var status = RegisterPetition.ParseEnum<PetitionStatus>(c.Status);
        if (!string.IsNullOrWhiteSpace(c.Status) && status is null)
            Fail("status", "未知的状态，应为 " + string.Join("、", Enum.GetValues<PetitionStatus>().Select(Camel)));
        var warning = RegisterPetition.ParseEnum<Warning>(c.Warning);
        if (!string.IsNullOrWhiteSpace(c.Warning) && warning is null) Fail("warning", "预警应为 none、yellow 或 red");
        var channel = RegisterPetition.ParseEnum<Channel>(c.Channel);
        if (!string.IsNullOrWhiteSpace(c.Channel) && channel is null) Fail("channel", "信访渠道应为 online、letter、visit、phone 或 fax");
        var category = Blank(c.CategoryCode);
        if (category is not null && (category.Length > 32 || !category.All(char.IsAsciiLetterOrDigit))) Fail("categoryCode", "问题类别代码应为不超过32位的字母或数字");
        var number = Blank(c.Number);
        if (number is { Length: > 40 }) Fail("number", "信访事项编号不超过40个字符");
        var name = Blank(c.Name) is { } n ? PersonalDataKey.Normalise(PersonalField.Name, n) : null;
        if (name is { Length: > 100 }) Fail("name", "姓名不超过100个字符");
        var phone = Blank(c.Phone) is { } ph ? PersonalDataKey.Normalise(PersonalField.Phone, ph) : null;
        if (phone is not null && !PhoneNumber.IsValid(phone)) Fail("phone", "联系电话格式不正确（手机11位，或带区号的固定电话）");
        var idNumber = Blank(c.IdNumber) is { } id ? PersonalDataKey.Normalise(PersonalField.IdNumber, id) : null;
        if (idNumber is not null && !ResidentId.IsValid(idNumber)) Fail("idNumber", "公民身份号码无效（18位，校验码不符或出生日期错误）");
        var from = ParseDate(c.ReceivedFrom);
        if (!string.IsNullOrWhiteSpace(c.ReceivedFrom) && from is null) Fail("receivedFrom", "收件起始日期格式应为 yyyy-MM-dd，例如 2026-03-01");
        var to = ParseDate(c.ReceivedTo);
        if (!string.IsNullOrWhiteSpace(c.ReceivedTo) && to is null) Fail("receivedTo", "收件截止日期格式应为 yyyy-MM-dd，例如 2026-03-31");
        if (from is { } f && to is { } t && f > t) Fail("receivedTo", "收件截止日期不能早于起始日期");
        var text = Blank(c.Text);
        var terms = text is null ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (text is { Length: > MaxTextLength }) Fail("text", $"检索内容不超过{MaxTextLength}个字符");
        else if (terms.Count > MaxTerms) Fail("text", $"检索词不超过{MaxTerms}个（以空格分隔）");
        if (c.Limit is < 1 or > MaxLimit) Fail("limit", $"每页条数为1至{MaxLimit}");

        var longTerms = terms.Where(x => x.Length >= IndexedTermLength).ToList();
        // SQLite reads its full-text index newest first unless an exact look-up already bounds the search; the
        // choice follows from the criteria alone, so that every page of a search is read (and its cursor made) alike.
        var useFts = db.IsSqlite && longTerms.Count > 0 && number is null && name is null && phone is null && idNumber is null;
        SearchCursor? after = null;
        if (c.Cursor is not null)
        {
            after = SearchCursor.Decode(c.Cursor);
            if (after is null || after.FullText != useFts) Fail("cursor", "分页游标无效（请从第一页重新查询）");
        }
        if (errors.Count > 0) return new(null, errors);

        var scope = staff.Unit.Id;
        if (c.UnitId is { } asked && asked != scope)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == asked, ct);
            if (unit is null || !staff.Unit.Contains(unit)) return new(null, Refusal: SearchRefusal.UnitNotFound);
            scope = unit.Id;
        }
        var take = c.Limit ?? DefaultLimit;

        // Exact look-ups first: each finds its petitions by index; their intersection bounds everything else.
        List<Guid>? candidates = null;
        var broad = new List<IQueryable<Guid>>();
        foreach (var lookup in ExactLookups(number, name, phone, idNumber))
        {
            var ids = await lookup.Distinct().Take(ExactCandidates + 1).ToListAsync(ct);
            if (ids.Count > ExactCandidates) broad.Add(lookup);
            else candidates = candidates is null ? ids : candidates.Intersect(ids).ToList();
        }
        if (candidates is null && !db.IsSqlite && longTerms.Count > 0)
        {
            // PostgreSQL: the trigram GIN indexes find the petitions holding the words. Few (a rare word): they
            // bound the search like an exact look-up. Many (a common word): the jurisdiction is walked newest
            // first instead and soon fills a page; the words are filtered either way.
            var matching = longTerms.Aggregate(db.Petitions.AsQueryable(), ContainingText).Select(p => p.Id);
            var ids = await matching.Take(ExactCandidates + 1).ToListAsync(ct);
            if (ids.Count <= ExactCandidates) candidates = ids;
        }
        if (candidates is { Count: 0 }) return new(new PetitionPage([], null));

        // Art. 30 ¶3: an accusation is not found from inside the accused unit's subtree nor by the accused person,
        // by any criterion — not even one the caller holds as a notice (matching would confirm its content).
        var petitions = db.Petitions.Where(Jurisdiction.SeenInFullBy(staff));
        if (status is { } s) petitions = petitions.Where(p => p.Status == s);
        if (warning is { } w) petitions = petitions.Where(p => p.Warning == w);
        if (channel is { } ch) petitions = petitions.Where(p => p.Channel == ch);
        if (category is not null) petitions = petitions.Where(p => p.CategoryCode != null && p.CategoryCode.StartsWith(category));
        if (from is { } fromDay) { var start = ChinaTime.StartOf(fromDay); petitions = petitions.Where(p => p.ReceivedAt >= start); }
        if (to is { } toDay) { var end = ChinaTime.StartOf(toDay.AddDays(1)); petitions = petitions.Where(p => p.ReceivedAt < end); }
        // With FTS the index has already matched the long words exactly (a trigram phrase is a substring).
        foreach (var term in useFts ? terms.Except(longTerms) : terms) petitions = ContainingText(petitions, term);

        List<(Guid Id, SearchCursor Key)> keys;
        SearchCursor? windowEnd = null;
        if (useFts)
        {
            keys = await FullTextKeysAsync(scope, longTerms, after, petitions, broad, take, ct);
        }
        else
        {
            var access = db.PetitionAccess.Where(a => a.UnitId == scope);
            if (candidates is not null) access = access.Where(a => candidates.Contains(a.PetitionId));
            foreach (var q in broad) access = access.Where(a => q.Contains(a.PetitionId));
            if (after is { } k) access = access.Where(a => a.RegisteredAt < k.At || (a.RegisteredAt == k.At && string.Compare(a.Number, k.Number) < 0));
            if (terms.Count > 0 && longTerms.Count == 0 && candidates is null)
            {
                // 1–2 character words: no trigram to look up, so a bounded window of the jurisdiction is examined.
                var edge = await access.OrderByDescending(a => a.RegisteredAt).ThenByDescending(a => a.Number)
                    .Skip(ShortTextWindow - 1).Select(a => new { a.RegisteredAt, a.Number }).FirstOrDefaultAsync(ct);
                if (edge is not null)
                {
                    windowEnd = new SearchCursor(false, edge.RegisteredAt, edge.Number, 0);
                    access = access.Where(a => a.RegisteredAt > edge.RegisteredAt || (a.RegisteredAt == edge.RegisteredAt && string.Compare(a.Number, edge.Number) >= 0));
                }
            }
            var joined = access.Join(petitions, a => a.PetitionId, p => p.Id, (a, p) => a);
            var rows = candidates is null
                ? await joined.OrderByDescending(a => a.RegisteredAt).ThenByDescending(a => a.Number).Take(take + 1)
                    .Select(a => new { a.PetitionId, a.RegisteredAt, a.Number }).ToListAsync(ct)
                // At most ExactCandidates rows, each found by primary key and sorted here: asked to sort, SQLite would
                // walk the whole jurisdiction in index order instead.
                : (await joined.Select(a => new { a.PetitionId, a.RegisteredAt, a.Number }).ToListAsync(ct))
                    .OrderByDescending(r => r.RegisteredAt).ThenByDescending(r => r.Number, StringComparer.Ordinal).Take(take + 1).ToList();
            keys = rows.Select(r => (r.PetitionId, new SearchCursor(false, r.RegisteredAt, r.Number, 0))).ToList();
        }

        var more = keys.Count > take;
        if (more) keys.RemoveAt(keys.Count - 1);
        var ids2 = keys.Select(k => k.Id).ToList();
        var loaded = await db.Petitions.AsNoTracking().Include(p => p.Petitioners).Where(p => ids2.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var deadlines = calendar.Deadlines;
        var recused = await Recusals.AmongAsync(db, staff.User.Id, ids2, ct);
        var items = keys.Select(k => PetitionView.Of(loaded[k.Id], staff, deadlines, recused.Contains(k.Id))).ToList();
        var next = more ? keys[^1].Key : windowEnd;
        return new(new PetitionPage(items, next?.Encode()));
    }

    IEnumerable<IQueryable<Guid>> ExactLookups(string? number, string? name, string? phone, string? idNumber)
    {
        if (number is not null) yield return db.Petitions.Where(p => p.Number == number).Select(p => p.Id);
        // Personal values are stored encrypted: their keyed blind indexes are compared (PersonalDataKey).
        if (name is not null) yield return db.Petitioners.WithKey(PersonalField.Name, PersonalDataKey.Of(db, PersonalField.Name, name)).Select(p => p.PetitionId);
        if (phone is not null) yield return db.Petitioners.WithKey(PersonalField.Phone, PersonalDataKey.Of(db, PersonalField.Phone, phone)).Select(p => p.PetitionId);
        if (idNumber is not null) yield return db.Petitioners.WithKey(PersonalField.IdNumber, PersonalDataKey.Of(db, PersonalField.IdNumber, idNumber)).Select(p => p.PetitionId);
    }

    /// <summary>A substring of title or content, case-insensitive for Latin letters, wildcards taken literally.</summary>
    IQueryable<Petition> ContainingText(IQueryable<Petition> petitions, string term)
    {
        var pattern = "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return db.IsSqlite
            ? petitions.Where(p => EF.Functions.Like(p.Title, pattern, "\\") || EF.Functions.Like(p.Content, pattern, "\\"))
            : petitions.Where(p => EF.Functions.ILike(p.Title, pattern, "\\") || EF.Functions.ILike(p.Content, pattern, "\\"));
    }

    /// <summary>
    /// SQLite: the FTS5 trigram index, read newest first (its key grows with registration) and joined to the
    /// jurisdiction and the other filters row by row, so that a page stops as soon as it is full.
    /// </summary>
    async Task<List<(Guid Id, SearchCursor Key)>> FullTextKeysAsync(Guid scope, List<string> longTerms, SearchCursor? after,
        IQueryable<Petition> petitions, List<IQueryable<Guid>> broad, int take, CancellationToken ct)
    {
        // Each word a quoted phrase of its trigrams: matches exactly where it occurs as a substring. The key is
        // selected as the FTS table's own rowid so that SQLite reads the index in that order (no sort) and stops.
        var match = string.Join(" ", longTerms.Select(t => "\"" + t.Replace("\"", "\"\"") + "\""));
        var hits = db.Database.SqlQuery<FullTextHit>(
            $"SELECT s.rowid AS RowId, k.petition_id AS PetitionId FROM petition_search s JOIN petition_search_keys k ON k.row_id = s.rowid WHERE petition_search MATCH {match}");
        if (after is { } k) hits = hits.Where(h => h.RowId < k.Row);
        foreach (var q in broad) hits = hits.Where(h => q.Contains(h.PetitionId));
        var rows = await hits
            .Join(db.PetitionAccess.Where(a => a.UnitId == scope), h => h.PetitionId, a => a.PetitionId, (h, a) => h)
            .Join(petitions, h => h.PetitionId, p => p.Id, (h, p) => h)
            .OrderByDescending(h => h.RowId).Take(take + 1).ToListAsync(ct);
        return rows.Select(r => (r.PetitionId, new SearchCursor(true, default, "", r.RowId))).ToList();
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static string Camel<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 1900 ? d : null;
}

/// <summary>A row of the full-text index joined to its petition (read with SqlQuery, not part of the model).</summary>
sealed class FullTextHit
{
    public long RowId { get; set; }
    public Guid PetitionId { get; set; }
}

/// <summary>
/// The opaque position after the last row of a page: (registeredAt, number) of petition_access, or the
/// full-text key. Base64url of "a|ticks|number" or "f|rowId".
/// </summary>
sealed record SearchCursor(bool FullText, DateTimeOffset At, string Number, long Row)
{
    public string Encode()
    {
        var raw = FullText ? $"f|{Row.ToString(CultureInfo.InvariantCulture)}" : $"a|{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Number}";
        return Cursors.Encode(raw);
    }

    public static SearchCursor? Decode(string cursor)
    {
        try
        {
            if (Cursors.Decode(cursor) is not { } key) return null;
            var parts = key.Split('|', 3);
            return parts switch
            {
                ["f", var row] => new SearchCursor(true, default, "", long.Parse(row, NumberStyles.None, CultureInfo.InvariantCulture)),
                ["a", var ticks, var number] when number.Length is > 0 and <= 40 =>
                    new SearchCursor(false, new DateTimeOffset(long.Parse(ticks, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero), number, 0),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
