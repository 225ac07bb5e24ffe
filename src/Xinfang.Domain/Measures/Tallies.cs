using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Measures;

/// <summary>The counted facts (column "fact" of measure_counts). Each is dated by the day that places it in a period.</summary>
public static class Fact
{
    /// <summary>Received (登记), dated by receipt, at the receiving unit.</summary>
    public const string Received = "received";
    /// <summary>Flagged a repeat petition (重复信访), dated by receipt, at the receiving unit.</summary>
    public const string Repeat = "repeat";
    /// <summary>Disposed by the disposal deadline, dated by that deadline, at the receiving unit.</summary>
    public const string DisposedOnTime = "disposal.ontime";
    /// <summary>Disposed after the disposal deadline.</summary>
    public const string DisposedLate = "disposal.late";
    /// <summary>Not disposed yet; overdue once its deadline has passed.</summary>
    public const string DisposalPending = "disposal.pending";
    /// <summary>Written opinion delivered by the handling deadline (Art. 34), dated by that deadline, at the responsible unit.</summary>
    public const string RepliedOnTime = "handle.ontime";
    public const string RepliedLate = "handle.late";
    /// <summary>No opinion yet; overdue unanswered once its deadline has passed.</summary>
    public const string ReplyPending = "handle.pending";
    /// <summary>Written opinion delivered, dated by delivery; "days" holds receipt → delivery in calendar days.</summary>
    public const string Replied = "replied";
    /// <summary>Completed or closed for good, dated by closure, at the responsible unit (the receiving one when none accepted).</summary>
    public const string Closed = "closed";
    /// <summary>Closed without a review request and without a repeat within 90 days (一次性化解).</summary>
    public const string ResolvedFirstTime = "resolved.first";
    /// <summary>The written opinion was rated, dated by the opinion's delivery.</summary>
    public const string Rated = "rated";
    /// <summary>Rated 满意 or 基本满意.</summary>
    public const string Satisfied = "satisfied";
}

/// <summary>The breakdowns kept per scope (column "dim"); "" is the scope's total.</summary>
public static class Dim
{
    public const string Total = "";
    /// <summary>The child unit of the scope on the fact's unit's path (the scope itself for its own matters).</summary>
    public const string Unit = "unit";
    public const string Category = "category";
    public const string Channel = "channel";
    public const string Region = "region";
    /// <summary>The level (0–4) of the unit that first received the matter: the pyramid.</summary>
    public const string Level = "level";
}

/// <summary>One fact of one petition, at the unit it belongs to, on its day; <see cref="Days"/> carries handling days.</summary>
public readonly record struct Tally(string Fact, Guid UnitId, DateOnly Day, int Days = 0);

/// <summary>One row of measure_counts: a scope (any unit: its whole subtree), a fact, a day, a breakdown and its value.</summary>
public readonly record struct CountKey(Guid ScopeUnitId, string Fact, DateOnly Day, string Dim, string Value);

/// <summary>Where a unit sits: its path from the root (itself last) and its level.</summary>
public sealed record UnitLine(IReadOnlyList<Guid> Path, int Level);

public static class Tallies
{
    /// <summary>The facts a petition contributes now (a pending deadline is dated by the deadline, overdue or not).</summary>
    public static IEnumerable<Tally> Of(PetitionFacts f)
    {
        var receiving = f.ReceivingUnitId;
        yield return new(Fact.Received, receiving, f.ReceivedOn);
        if (f.Repeat) yield return new(Fact.Repeat, receiving, f.ReceivedOn);
        if (f.DisposedOn is { } disposed)
            yield return new(disposed <= f.DisposalDueOn ? Fact.DisposedOnTime : Fact.DisposedLate, receiving, f.DisposalDueOn);
        else if (!f.Withdrawn)
            yield return new(Fact.DisposalPending, receiving, f.DisposalDueOn);
        var responsible = f.ResponsibleUnitId ?? receiving;
        if (f.HandleDueOn is { } due)
        {
            if (f.RepliedOn is { } replied)
                yield return new(replied <= due ? Fact.RepliedOnTime : Fact.RepliedLate, responsible, due);
            else if (f.ClosedOn is null && !f.Withdrawn)
                yield return new(Fact.ReplyPending, responsible, due);
        }
        if (f.RepliedOn is { } on)
        {
            yield return new(Fact.Replied, responsible, on, on.DayNumber - f.ReceivedOn.DayNumber);
            if (f.Rating is { } rating)
            {
                yield return new(Fact.Rated, responsible, on);
                if (rating is SatisfactionLevel.Satisfied or SatisfactionLevel.BasicallySatisfied) yield return new(Fact.Satisfied, responsible, on);
            }
        }
        if (f.ClosedOn is { } closed)
        {
            yield return new(Fact.Closed, responsible, closed);
            if (!f.ReviewRequested && !f.RepeatedWithin90) yield return new(Fact.ResolvedFirstTime, responsible, closed);
        }
    }

    /// <summary>
    /// The rows a petition adds to measure_counts: every fact at every ancestor of its unit (so a subtree's figures are
    /// one scope's rows, never a scan of its units), as a total and by child unit; received also by category, channel,
    /// region and level. Facts at a unit unknown to <paramref name="lines"/> are left out.
    /// </summary>
    public static Dictionary<CountKey, (int N, long Days)> Rows(PetitionFacts f, Func<Guid, UnitLine?> lines)
    {
        var rows = new Dictionary<CountKey, (int N, long Days)>();
        foreach (var t in Of(f))
        {
            if (lines(t.UnitId) is not { } line) continue;
            var path = line.Path;
            for (var i = 0; i < path.Count; i++)
            {
                var scope = path[i];
                Add(rows, new(scope, t.Fact, t.Day, Dim.Total, ""), t.Days);
                Add(rows, new(scope, t.Fact, t.Day, Dim.Unit, (i + 1 < path.Count ? path[i + 1] : scope).ToString("N")), t.Days);
                if (t.Fact != Fact.Received) continue;
                Add(rows, new(scope, t.Fact, t.Day, Dim.Category, f.Category), 0);
                Add(rows, new(scope, t.Fact, t.Day, Dim.Channel, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(f.Channel.ToString())), 0);
                Add(rows, new(scope, t.Fact, t.Day, Dim.Region, f.RegionCode), 0);
                Add(rows, new(scope, t.Fact, t.Day, Dim.Level, line.Level.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0);
            }
        }
        return rows;
    }

    /// <summary>What changes in measure_counts when a petition's facts go from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static Dictionary<CountKey, (int N, long Days)> Delta(PetitionFacts? before, PetitionFacts? after, Func<Guid, UnitLine?> lines)
    {
        var delta = after is null ? new Dictionary<CountKey, (int N, long Days)>() : Rows(after, lines);
        if (before is not null)
            foreach (var (key, v) in Rows(before, lines))
                Add(delta, key, -v.Days, -v.N);
        foreach (var key in delta.Where(kv => kv.Value == (0, 0)).Select(kv => kv.Key).ToList()) delta.Remove(key);
        return delta;
    }

    static void Add(Dictionary<CountKey, (int N, long Days)> rows, CountKey key, long days, int n = 1)
    {
        rows.TryGetValue(key, out var v);
        rows[key] = (v.N + n, v.Days + days);
    }
}
