using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Text;
using Xinfang.Text.Clusters;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Analysis;

/// <summary>A petition in a case cluster, as the lists show it.</summary>
public sealed record ClusterMember(Guid Id, string Number, string Title, PetitionStatus Status, string StatusName, DateTimeOffset ReceivedAt);

/// <summary>How a cluster grew: members received in the last 7 days, in the last 30 days (the 7 included), and before.</summary>
public sealed record ClusterGrowth(int Last7Days, int Last30Days, int Earlier);

/// <summary>A case cluster (类案): petitions about one cause, the terms that characterise it, newest members first.</summary>
public sealed record ClusterView(string Key, int Size, ClusterGrowth Growth, IReadOnlyList<string> TopTerms, IReadOnlyList<ClusterMember> Members);

/// <summary>
/// The clusters of one region and period of the caller's jurisdiction, largest first. <see cref="Examined"/>
/// petitions were grouped; when <see cref="Truncated"/>, the period held more and only the newest were examined.
/// </summary>
public sealed record ClusterList(string? RegionCode, DateOnly From, DateOnly To, int Examined, bool Truncated, IReadOnlyList<ClusterView> Items);

/// <summary>Region (optional, GB/T 2260: a province or city code takes everything under it) and period (China dates, inclusive).</summary>
public sealed record ClusterCriteria(string? RegionCode = null, string? From = null, string? To = null);

/// <summary>Exactly one of <see cref="List"/>, <see cref="Errors"/> (field → Chinese) or <see cref="Forbidden"/>.</summary>
public sealed record ClustersResult(ClusterList? List, IReadOnlyDictionary<string, string[]>? Errors = null, bool Forbidden = false);

/// <summary>
/// Case clusters (类案, issue #4), computed on request rather than stored. A cluster only means something for a
/// region and a period, and what a caller may see depends on their unit, so a stored clustering would have to be
/// kept per unit, region and period and refreshed on every registration. Computing instead stays cheap at any
/// store size because the work is bounded: one region and period of one unit's petition_access rows, newest
/// first, at most <c>Text:ClusterMaxPetitions</c> (default 5,000) petitions — the clustering takes well under a
/// second for that many (CaseClustering: seconds per 10k) — and a cluster's key names its region, period and
/// first member, so the cluster page recomputes the same grouping.
/// </summary>
public sealed class CaseClusters(XinfangDb db, TimeProvider time, IConfiguration config)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 366;

    sealed record Row(Guid Id, string Number, string Title, string Content, PetitionStatus Status, DateTimeOffset ReceivedAt);

    public async Task<ClustersResult> ListAsync(Staff staff, ClusterCriteria c, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return new(null, Forbidden: true);
        var errors = new Dictionary<string, string[]>();
        var region = string.IsNullOrWhiteSpace(c.RegionCode) ? null : c.RegionCode.Trim();
        if (region is not null && !Unit.IsRegionCode(region)) errors["regionCode"] = ["行政区划代码应为6位或9位数字"];
        var today = ChinaTime.DateOf(time.GetUtcNow());
        DateOnly? to = string.IsNullOrWhiteSpace(c.To) ? today : ParseDate(c.To);
        if (to is null) errors["to"] = ["截止日期格式应为 yyyy-MM-dd，例如 2026-03-31"];
        DateOnly? from = string.IsNullOrWhiteSpace(c.From) ? (to ?? today).AddDays(1 - DefaultDays) : ParseDate(c.From);
        if (from is null) errors["from"] = ["起始日期格式应为 yyyy-MM-dd，例如 2026-01-01"];
        if (from is { } f && to is { } t)
        {
            if (f > t) errors["to"] = ["截止日期不能早于起始日期"];
            else if (t.DayNumber - f.DayNumber + 1 > MaxDays) errors["from"] = [$"统计期间不超过{MaxDays}天"];
        }
        if (errors.Count > 0) return new(null, errors);
        return new(await ComputeAsync(staff, region, from!.Value, to!.Value, ct));
    }

    /// <summary>The cluster a key names, recomputed; null when it does not exist (any more) for this caller.</summary>
    public async Task<ClusterView?> GetAsync(Staff staff, string key, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || ParseKey(key) is not { } k) return null;
        var list = await ComputeAsync(staff, k.Region, k.From, k.To, ct);
        return list.Items.FirstOrDefault(x => x.Members.Any(m => m.Id == k.Anchor));
    }

    async Task<ClusterList> ComputeAsync(Staff staff, string? region, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var max = config.GetValue("Text:ClusterMaxPetitions", 5_000);
        var start = ChinaTime.StartOf(from);
        var end = ChinaTime.StartOf(to.AddDays(1));
        var unitId = staff.Unit.Id;
        // Art. 30 ¶3: an accusation confidential to the caller is no cluster member, nor a source of its terms.
        var petitions = db.PetitionAccess.Where(a => a.UnitId == unitId)
            .Join(db.Petitions, a => a.PetitionId, p => p.Id, (a, p) => p)
            .Where(p => p.ReceivedAt >= start && p.ReceivedAt < end)
            .Where(Jurisdiction.SeenInFullBy(staff));
        if (RegionPrefix(region) is { } prefix) petitions = petitions.Where(p => p.RegionCode.StartsWith(prefix));
        var rows = await petitions.OrderByDescending(p => p.ReceivedAt).ThenByDescending(p => p.Number).Take(max + 1)
            .Select(p => new Row(p.Id, p.Number, p.Title, p.Content, p.Status, p.ReceivedAt)).ToListAsync(ct);
        var truncated = rows.Count > max;
        if (truncated) rows.RemoveAt(rows.Count - 1);

        // The engine wants numeric ids: the row's position.
        var clusters = rows.Count < 2 ? [] : CaseClustering.Cluster(rows.Select((r, i) => new PetitionText(i, r.Title, r.Content)).ToList(), OptionsFor(rows.Count));
        var now = time.GetUtcNow();
        var items = clusters.Where(x => x.Members.Count >= 2).Select(x =>
        {
            var members = x.Members.Select(i => rows[(int)i]).OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Number, StringComparer.Ordinal).ToList();
            var anchor = members.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Number, StringComparer.Ordinal).First();
            var last7 = members.Count(r => r.ReceivedAt >= now.AddDays(-7));
            var last30 = members.Count(r => r.ReceivedAt >= now.AddDays(-30));
            return new ClusterView(KeyOf(region, from, to, anchor.Id), members.Count, new ClusterGrowth(last7, last30, members.Count - last30), MergeNames(x.TopTerms),
                members.Select(r => new ClusterMember(r.Id, r.Number, r.Title, r.Status, StatusNames.Of(r.Status), r.ReceivedAt)).ToList());
        }).ToList();
        return new ClusterList(region, from, to, rows.Count, truncated, items);
    }

    /// <summary>
    /// The engine's default drops terms used by more than 5 % of the batch — right for thousands of petitions, but in
    /// a county's quiet month 5 % is one or two petitions, and a cause raised by four would lose its own name. Small
    /// batches keep terms used by up to ten petitions (at most half of them).
    /// </summary>
    static ClusterOptions OptionsFor(int n)
    {
        var maxDf = Math.Max(0.05 * n, Math.Min(10, n / 2.0));
        return ClusterOptions.Default with { MaxDocumentShare = (Math.Floor(maxDf) + 0.5) / n };
    }

    /// <summary>
    /// Names come from the engine with the characters before them ("是白鹇湖小区", "求白鹇湖小区": without a segmenter
    /// the start of a name is unknown); two terms ending alike in four or more characters are shown as that ending.
    /// </summary>
    static IReadOnlyList<string> MergeNames(IReadOnlyList<string> terms)
    {
        var kept = new List<string>();
        foreach (var term in terms)
        {
            var i = kept.FindIndex(k => CommonSuffix(k, term) >= 4);
            if (i < 0) kept.Add(term);
            else kept[i] = term[^CommonSuffix(kept[i], term)..];
        }
        return kept.Distinct().ToList();
    }

    static int CommonSuffix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[^(n + 1)] == b[^(n + 1)]) n++;
        return n;
    }

    /// <summary>A region code as the prefix of the codes under it: 320000 → 32, 320500 → 3205, 320583 → 320583.</summary>
    static string? RegionPrefix(string? region) => region switch
    {
        null => null,
        { Length: 9 } => region,
        _ when region.EndsWith("0000", StringComparison.Ordinal) => region[..2],
        _ when region.EndsWith("00", StringComparison.Ordinal) => region[..4],
        _ => region,
    };

    static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>region (or "all") _ from _ to _ first member: what the cluster page needs to recompute the same grouping.</summary>
    public static string KeyOf(string? region, DateOnly from, DateOnly to, Guid anchor) =>
        $"{region ?? "all"}_{from:yyyyMMdd}_{to:yyyyMMdd}_{anchor:N}";

    static (string? Region, DateOnly From, DateOnly To, Guid Anchor)? ParseKey(string key)
    {
        var parts = key.Split('_');
        if (parts.Length != 4) return null;
        var region = parts[0] == "all" ? null : parts[0];
        if (region is not null && !Unit.IsRegionCode(region)) return null;
        if (!DateOnly.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(parts[2], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || from > to || to.DayNumber - from.DayNumber + 1 > MaxDays
            || !Guid.TryParseExact(parts[3], "N", out var anchor)) return null;
        return (region, from, to, anchor);
    }
}
