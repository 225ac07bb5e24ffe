using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Measures;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Dashboard;

/// <summary>The scope and period a figure is asked for: a unit of the caller's subtree and a range of China dates.</summary>
public sealed record MeasureScope(Unit Unit, DateOnly From, DateOnly To, DateOnly Today);

/// <summary>Either a scope, or why not: 404 outside the caller's subtree, 400 with field errors.</summary>
public sealed record ScopeResult(MeasureScope? Scope, Dictionary<string, string[]>? Errors = null, bool NotFound = false);

/// <summary>Early-warning settings (形势研判), configuration section "Measures:Alerts".</summary>
public sealed class AlertOptions
{
    /// <summary>How many earlier weeks make the baseline.</summary>
    public int Weeks { get; set; } = 8;
    /// <summary>Alert when the Poisson p-value is below this.</summary>
    public double Threshold { get; set; } = 0.01;
    /// <summary>Fewer matters than this in the week never alert.</summary>
    public int MinimumCount { get; set; } = 5;
}

public sealed record FigureSet(MeasureFigures Figures, PeriodCounts Counts);
public sealed record LevelShare(int Level, string Name, long Count, double? Share);
public sealed record UnitOverdue(Guid UnitId, string UnitName, long DisposalOverdue, long ReplyOverdue);
public sealed record MeasuresView(
    Guid UnitId, string UnitName, DateOnly From, DateOnly To, DateOnly AsOf,
    MeasureFigures Figures, PeriodCounts Counts, IReadOnlyList<LevelShare> Pyramid, IReadOnlyList<UnitOverdue> OverdueByUnit);
public sealed record TrendPoint(DateOnly From, DateOnly To, string Label, MeasureFigures Figures);
public sealed record TrendView(Guid UnitId, string UnitName, string By, DateOnly From, DateOnly To, IReadOnlyList<TrendPoint> Points);
public sealed record BreakdownItem(string Value, string Label, long Received, MeasureFigures? Figures);
public sealed record BreakdownView(Guid UnitId, string UnitName, string By, DateOnly From, DateOnly To, IReadOnlyList<BreakdownItem> Items);
public sealed record AlertItem(string By, string Value, string Label, long ThisWeek, double Baseline, double PValue, DateOnly WeekFrom, DateOnly WeekTo);
public sealed record AlertsView(Guid UnitId, string UnitName, DateOnly WeekFrom, DateOnly WeekTo, int Weeks, double Threshold, int MinimumCount, string Method, IReadOnlyList<AlertItem> Items);

/// <summary>
/// Reads the measures from measure_counts for one scope: a handful of indexed range reads over at most a few thousand
/// rows, whatever the number of petitions below the scope (the bench in bench/dashboard.sh measures it).
/// </summary>
public sealed class MeasureQueries(XinfangDb db, TimeProvider time, IBacklogFigures backlog, IOptions<AlertOptions> alertOptions)
{
    public const int MaxDays = 3 * 366 + 1;

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow());

    /// <summary>
    /// The caller's unit by default; another unit only inside the caller's subtree (404 otherwise, not 403: its
    /// existence is not confirmed). The period defaults to the current month.
    /// </summary>
    public async Task<ScopeResult> ScopeAsync(Staff staff, string? unitId, string? from, string? to, CancellationToken ct, int defaultDays = 0)
    {
        var errors = new Dictionary<string, string[]>();
        Unit? unit = staff.Unit;
        if (!string.IsNullOrWhiteSpace(unitId))
        {
            if (!Guid.TryParse(unitId, out var id)) return new(null, NotFound: true);
            unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
            if (unit is null || !staff.Unit.Contains(unit)) return new(null, NotFound: true);
        }
        var today = Today;
        var f = ParseDate(from, "from", errors);
        var t = ParseDate(to, "to", errors);
        if (errors.Count > 0) return new(null, errors);
        var end = t ?? (defaultDays > 0 || f is not null ? today : new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1));
        var start = f ?? (defaultDays > 0 ? end.AddDays(-defaultDays + 1) : new DateOnly(end.Year, end.Month, 1));
        if (start > end) errors["from"] = ["起始日期不能晚于截止日期"];
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays) errors["to"] = ["期间最长三年"];
        return errors.Count > 0 ? new(null, errors) : new(new MeasureScope(unit!, start, end, today));
    }

    static DateOnly? ParseDate(string? s, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2100) return d;
        errors[field] = ["日期格式应为 yyyy-MM-dd"];
        return null;
    }

    /// <summary>Sums of one breakdown: per value, per fact; pending deadlines split into overdue (before today) or not yet due.</summary>
    async Task<Dictionary<string, PeriodCounts>> CountsAsync(Guid scope, string dim, DateOnly from, DateOnly to, DateOnly today, IReadOnlyCollection<string>? facts, CancellationToken ct)
    {
        // The fact list is always given, as constants (IN ('…', …), not a JSON parameter the SQLite planner cannot seek on):
        // with the key (scope, dim, fact, day, value) each fact is one range seek on its days.
        var list = (facts ?? AllFacts).ToArray();
        var q = db.MeasureCounts.AsNoTracking().Where(c => c.ScopeUnitId == scope && c.Dim == dim && EF.Constant(list).Contains(c.Fact) && c.Day >= from && c.Day <= to);
        var rows = await q.GroupBy(c => new { c.Value, c.Fact, Past = c.Day < today })
            .Select(g => new { g.Key.Value, g.Key.Fact, g.Key.Past, N = g.Sum(c => c.N), Days = g.Sum(c => c.Days) }).ToListAsync(ct);
        return rows.GroupBy(r => r.Value).ToDictionary(g => g.Key, g => Fold(g.Select(r => (r.Fact, r.Past, r.N, r.Days))));
    }

    /// <summary>The counts of facts as the formulas take them (a pending deadline counts as overdue once it is past).</summary>
    public static PeriodCounts Fold(IEnumerable<(string Fact, bool Past, long N, long Days)> rows, long online = 0)
    {
        var c = new PeriodCounts { Online = online };
        foreach (var (fact, past, n, days) in rows)
            c = fact switch
            {
                Fact.Received => c with { Received = c.Received + n },
                Fact.Repeat => c with { Repeat = c.Repeat + n },
                Fact.DisposedOnTime => c with { DisposedOnTime = c.DisposedOnTime + n },
                Fact.DisposedLate => c with { DisposedLate = c.DisposedLate + n },
                Fact.DisposalPending when past => c with { DisposalOverdue = c.DisposalOverdue + n },
                Fact.RepliedOnTime => c with { RepliedOnTime = c.RepliedOnTime + n },
                Fact.RepliedLate => c with { RepliedLate = c.RepliedLate + n },
                Fact.ReplyPending when past => c with { ReplyOverdue = c.ReplyOverdue + n },
                Fact.Replied => c with { Replied = c.Replied + n, HandlingDays = c.HandlingDays + days },
                Fact.Rated => c with { Rated = c.Rated + n },
                Fact.Satisfied => c with { Satisfied = c.Satisfied + n },
                Fact.Closed => c with { Closed = c.Closed + n },
                Fact.ResolvedFirstTime => c with { ResolvedFirstTime = c.ResolvedFirstTime + n },
                _ => c,
            };
        return c;
    }

    public async Task<MeasuresView> MeasuresAsync(MeasureScope s, CancellationToken ct)
    {
        var id = s.Unit.Id;
        var totals = (await CountsAsync(id, Dim.Total, s.From, s.To, s.Today, null, ct)).GetValueOrDefault("") ?? new PeriodCounts();
        var channels = await CountsAsync(id, Dim.Channel, s.From, s.To, s.Today, [Fact.Received], ct);
        totals = totals with { Online = channels.GetValueOrDefault("online")?.Received ?? 0 };
        var levels = await CountsAsync(id, Dim.Level, s.From, s.To, s.Today, [Fact.Received], ct);
        var byLevel = levels.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => kv.Value.Received);
        var pyramid = MeasureFigures.Pyramid(byLevel).Select((r, level) => new LevelShare(level, LevelNames[level], r.Numerator, r.Value)).ToList();
        var struck = await backlog.CountAsync(id, s.From, s.To, ct);
        return new MeasuresView(id, s.Unit.Name, s.From, s.To, s.Today, MeasureFigures.Of(totals, struck), totals, pyramid, await OverdueByUnitAsync(id, s.Today, ct));
    }

    static readonly string[] AllFacts =
    [
        Fact.Received, Fact.Repeat, Fact.DisposedOnTime, Fact.DisposedLate, Fact.DisposalPending, Fact.RepliedOnTime, Fact.RepliedLate,
        Fact.ReplyPending, Fact.Replied, Fact.Closed, Fact.ResolvedFirstTime, Fact.Rated, Fact.Satisfied,
    ];

    public static readonly string[] LevelNames = ["国家级", "省级", "市级", "县级", "乡镇（街道）级"];

    /// <summary>Overdue now, whatever the period: deadlines passed without disposal or opinion, by child unit of the scope.</summary>
    async Task<List<UnitOverdue>> OverdueByUnitAsync(Guid scope, DateOnly today, CancellationToken ct)
    {
        var pending = new[] { Fact.DisposalPending, Fact.ReplyPending };
        var rows = await db.MeasureCounts.AsNoTracking()
            .Where(c => c.ScopeUnitId == scope && c.Dim == Dim.Unit && EF.Constant(pending).Contains(c.Fact) && c.Day < today)
            .GroupBy(c => new { c.Value, c.Fact }).Select(g => new { g.Key.Value, g.Key.Fact, N = g.Sum(c => c.N) })
            .Where(g => g.N != 0).ToListAsync(ct);
        var names = await UnitNamesAsync(rows.Select(r => r.Value), ct);
        return rows.GroupBy(r => r.Value)
            .Select(g => new UnitOverdue(Guid.ParseExact(g.Key, "N"), names.GetValueOrDefault(g.Key, g.Key),
                g.Where(r => r.Fact == Fact.DisposalPending).Sum(r => r.N), g.Where(r => r.Fact == Fact.ReplyPending).Sum(r => r.N)))
            .OrderByDescending(u => u.DisposalOverdue + u.ReplyOverdue).ThenBy(u => u.UnitName, StringComparer.Ordinal).ToList();
    }

    async Task<Dictionary<string, string>> UnitNamesAsync(IEnumerable<string> values, CancellationToken ct)
    {
        var ids = values.Select(v => Guid.TryParseExact(v, "N", out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToList();
        if (ids.Count == 0) return [];
        return (await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct))
            .ToDictionary(u => u.Id.ToString("N"), u => u.Name);
    }

    public static bool TryTrendBy(string? by, out string value)
    {
        value = string.IsNullOrEmpty(by) ? "month" : by;
        return value is "week" or "month";
    }

    /// <summary>Weeks run Monday to Sunday, months by the calendar, in China time; the first and last bucket are cut to the period.</summary>
    public async Task<TrendView> TrendAsync(MeasureScope s, string by, CancellationToken ct)
    {
        var id = s.Unit.Id;
        var rows = await db.MeasureCounts.AsNoTracking()
            .Where(c => c.ScopeUnitId == id && c.Dim == Dim.Total && EF.Constant(AllFacts).Contains(c.Fact) && c.Day >= s.From && c.Day <= s.To)
            .GroupBy(c => new { c.Fact, c.Day }).Select(g => new { g.Key.Fact, g.Key.Day, N = g.Sum(c => c.N), Days = g.Sum(c => c.Days) }).ToListAsync(ct);
        var online = await db.MeasureCounts.AsNoTracking()
            .Where(c => c.ScopeUnitId == id && c.Dim == Dim.Channel && c.Value == "online" && c.Fact == Fact.Received && c.Day >= s.From && c.Day <= s.To)
            .Select(c => new { c.Day, c.N }).ToListAsync(ct);
        var points = new List<TrendPoint>();
        foreach (var (from, to) in Buckets(s.From, s.To, by))
        {
            var counts = Fold(rows.Where(r => r.Day >= from && r.Day <= to).Select(r => (r.Fact, r.Day < s.Today, r.N, r.Days)),
                online.Where(o => o.Day >= from && o.Day <= to).Sum(o => o.N));
            var label = by == "week" ? $"{from:MM-dd}" : $"{from:yyyy-MM}";
            points.Add(new TrendPoint(from, to, label, MeasureFigures.Of(counts)));
        }
        return new TrendView(id, s.Unit.Name, by, s.From, s.To, points);
    }

    public static IEnumerable<(DateOnly From, DateOnly To)> Buckets(DateOnly from, DateOnly to, string by)
    {
        var start = from;
        while (start <= to)
        {
            var end = by == "week"
                ? start.AddDays((7 - ((int)start.DayOfWeek + 6) % 7) - 1)
                : new DateOnly(start.Year, start.Month, 1).AddMonths(1).AddDays(-1);
            if (end > to) end = to;
            yield return (start, end);
            start = end.AddDays(1);
        }
    }

    public static readonly string[] BreakdownKinds = [Dim.Category, Dim.Channel, Dim.Region, Dim.Unit];

    public async Task<BreakdownView> BreakdownAsync(MeasureScope s, string by, CancellationToken ct)
    {
        var id = s.Unit.Id;
        // By unit every figure is kept (received at the unit, handled by it); the other breakdowns count what was received.
        var counts = await CountsAsync(id, by, s.From, s.To, s.Today, by == Dim.Unit ? null : [Fact.Received], ct);
        var labels = await LabelsAsync(by, counts.Keys, ct);
        var items = counts
            .Select(kv => new BreakdownItem(kv.Key, labels.GetValueOrDefault(kv.Key, kv.Key == "" ? "未分类" : kv.Key), kv.Value.Received,
                by == Dim.Unit ? MeasureFigures.Of(kv.Value) : null))
            .Where(i => i.Received != 0 || i.Figures is { } f && (f.TimelyAcceptance.Denominator != 0 || f.OnTimeCompletion.Denominator != 0 || f.Overdue != 0))
            .OrderByDescending(i => i.Received).ThenBy(i => i.Value, StringComparer.Ordinal).ToList();
        return new BreakdownView(id, s.Unit.Name, by, s.From, s.To, items);
    }

    public async Task<Dictionary<string, string>> LabelsAsync(string by, IEnumerable<string> values, CancellationToken ct)
    {
        switch (by)
        {
            case Dim.Category:
                return await db.Categories.AsNoTracking().Where(c => c.Level == 1).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
            case Dim.Channel:
                return Enum.GetValues<Domain.Petitions.Channel>().ToDictionary(c => Workbench.Wire.Of(c), ChannelName);
            case Dim.Region:
                var codes = values.ToList();
                var units = await db.Units.AsNoTracking().Where(u => codes.Contains(u.RegionCode)).Select(u => new { u.RegionCode, u.Name, u.Level, u.Kind }).ToListAsync(ct);
                return units.GroupBy(u => u.RegionCode)
                    .ToDictionary(g => g.Key, g => g.Key + " " + g.OrderBy(u => u.Kind == UnitKind.Government ? 0 : 1).ThenBy(u => u.Level).First().Name);
            case Dim.Unit:
                return await UnitNamesAsync(values, ct);
        }
        return [];
    }

    public static string ChannelName(Domain.Petitions.Channel c) => c switch
    {
        Domain.Petitions.Channel.Online => "网上信访",
        Domain.Petitions.Channel.Letter => "来信",
        Domain.Petitions.Channel.Visit => "来访",
        Domain.Petitions.Channel.Phone => "来电",
        Domain.Petitions.Channel.Fax => "传真",
        _ => c.ToString(),
    };

    public const string AlertMethod =
        "泊松检验：以前 k 周（每周7天）收件数的平均值 λ 为基线，计算本周收件数不少于 x 的概率 P(X ≥ x)；"
        + "P 值小于阈值且本周不少于最低件数时预警。λ 不低于 0.5。按问题类别（一级）和行政区划分别检验。";

    /// <summary>Unusual rises this week (the 7 days ending today) by category and region, worst first.</summary>
    public async Task<AlertsView> AlertsAsync(Unit unit, DateOnly asOf, CancellationToken ct)
    {
        var o = alertOptions.Value;
        var weeks = Math.Clamp(o.Weeks, 1, 52);
        var from = asOf.AddDays(-7 * (weeks + 1) + 1);
        var dims = new[] { Dim.Category, Dim.Region };
        var rows = await db.MeasureCounts.AsNoTracking()
            .Where(c => c.ScopeUnitId == unit.Id && EF.Constant(dims).Contains(c.Dim) && c.Fact == Fact.Received && c.Day >= from && c.Day <= asOf)
            .GroupBy(c => new { c.Dim, c.Value, c.Day }).Select(g => new { g.Key.Dim, g.Key.Value, g.Key.Day, N = g.Sum(c => c.N) }).ToListAsync(ct);
        var items = new List<AlertItem>();
        foreach (var dim in dims)
        {
            var values = rows.Where(r => r.Dim == dim).GroupBy(r => r.Value).ToList();
            var labels = await LabelsAsync(dim, values.Select(v => v.Key), ct);
            foreach (var g in values)
            {
                var perWeek = new long[weeks + 1];
                foreach (var r in g) perWeek[(asOf.DayNumber - r.Day.DayNumber) / 7] += r.N;
                if (PoissonRise.Test(perWeek[0], perWeek[1..], o.Threshold, o.MinimumCount) is { } rise)
                    items.Add(new AlertItem(dim, g.Key, labels.GetValueOrDefault(g.Key, g.Key == "" ? "未分类" : g.Key), rise.ThisWeek, rise.Baseline, rise.PValue, asOf.AddDays(-6), asOf));
            }
        }
        return new AlertsView(unit.Id, unit.Name, asOf.AddDays(-6), asOf, weeks, o.Threshold, o.MinimumCount, AlertMethod,
            items.OrderBy(i => i.PValue).ThenByDescending(i => i.ThisWeek).ToList());
    }
}

/// <summary>
/// 积案化解率's source: backlog matters listed in a scope's campaigns and those struck off (Backlog/BacklogFigures),
/// behind an interface so the measures do not depend on how campaigns are kept.
/// </summary>
public interface IBacklogFigures
{
    Task<BacklogCounts> CountAsync(Guid scopeUnitId, DateOnly from, DateOnly to, CancellationToken ct);
}
