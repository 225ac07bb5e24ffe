using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Warnings;

/// <summary>The filters of the overdue list; <c>warning</c> is red (default), yellow or all.</summary>
public sealed record OverdueQuery(Guid? UnitId = null, string? Clock = null, string? Warning = null, string? Cursor = null, int? Limit = null);

/// <summary>One late (or nearly late) matter: its most pressing warned clock, due date and how late it is.</summary>
public sealed record OverdueItem(
    Guid PetitionId, string Number, string Title, PetitionStatus Status, bool Urgent,
    ClockName Clock, string ClockTitle, DateOnly DueOn, Warning Warning,
    int DaysOverdue, int WorkingDaysOverdue, int? WorkingDaysLeft,
    Guid HoldingUnitId, string HoldingUnitName);

public sealed record OverdueListing(IReadOnlyList<OverdueItem> Items, string? NextCursor, Guid UnitId, string UnitName, DateOnly Today);

/// <summary>How many warned matters one unit holds.</summary>
public sealed record OverdueCount(Guid UnitId, string UnitName, int Red, int Yellow);

public sealed record OverdueCounts(IReadOnlyList<OverdueCount> Items, Guid UnitId, string UnitName, int Red, int Yellow);

/// <summary>What a use case of the overdue list answers: its value, or why not (400 with errors, 403, 404).</summary>
public sealed record OverdueOutcome<T>(T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, bool Forbidden = false, bool NotFound = false) where T : class
{
    public IResult ToResult() =>
        Forbidden ? Problems.Forbidden()
        : NotFound ? Problems.NotFound("单位")
        : Errors is { } e ? Problems.Validation(e.ToDictionary())
        : TypedResults.Ok(Value);
}

/// <summary>
/// 逾期与预警: the matters of a unit's jurisdiction (the caller's unit, or a unit of its subtree) with a red — or, when
/// asked, yellow — clock, most overdue first; and how many each holding unit has. Reads the stored warning and due
/// date of the petitions (the columns the petition list's <c>warning=</c> filter uses, over the warning/due-date index)
/// within the access rows of the unit, less what confidentiality hides from the caller (Art. 30 ¶3).
/// </summary>
public sealed class ListOverdue(XinfangDb db, CalendarStore calendar, TimeProvider time)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    const int Chunk = 200;

    public async Task<OverdueOutcome<OverdueListing>> ListAsync(Staff staff, OverdueQuery q, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return new(null, Forbidden: true);
        var errors = new Dictionary<string, string[]>();
        var colours = ColoursOf(q.Warning, errors);
        var clock = RegisterPetition.ParseEnum<ClockName>(q.Clock);
        if (!string.IsNullOrWhiteSpace(q.Clock) && clock is null) errors["clock"] = ["未知的期限名称"];
        if (q.Limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        (DateOnly Due, string Number)? after = null;
        if (q.Cursor is not null)
        {
            after = Decode(q.Cursor);
            if (after is null) errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return new(null, errors);
        if (await ScopeAsync(staff, q.UnitId, ct) is not { } scope) return new(null, NotFound: true);

        var take = q.Limit ?? DefaultLimit;
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var deadlines = calendar.Deadlines;
        var found = new List<(Petition P, Clock C)>();
        string? next = null;
        var key = after;
        var done = false;
        // With a clock filter some warned matters are skipped (the clocks are JSON): read in chunks until the page is full.
        for (var round = 0; round < 20 && !done; round++)
        {
            var rows = Warned(staff, scope.Id, colours);
            if (key is { } k) rows = rows.Where(p => p.DueOn > k.Due || (p.DueOn == k.Due && string.Compare(p.Number, k.Number) > 0));
            var size = clock is null ? take + 1 : Chunk;
            var chunk = await rows.OrderBy(p => p.DueOn).ThenBy(p => p.Number).Take(size).AsNoTracking().ToListAsync(ct);
            foreach (var p in chunk)
            {
                if (PressingClock(p, colours, clock) is { } c)
                {
                    if (found.Count == take)
                    {
                        next = Encode(found[^1].P.DueOn!.Value, found[^1].P.Number);
                        done = true;
                        break;
                    }
                    found.Add((p, c));
                }
                key = (p.DueOn!.Value, p.Number);
            }
            if (!done && chunk.Count < size) done = true;
        }
        // Twenty chunks without filling the page: a short page, and the cursor goes on from the last matter read.
        if (!done && key is { } last) next = Encode(last.Due, last.Number);

        var holders = await NamesAsync(found.Select(f => f.P.HoldingUnitId), ct);
        var items = found.Select(f =>
        {
            var (p, c) = f;
            var late = c.Warning == Warning.Red;
            return new OverdueItem(
                p.Id, p.Number, Jurisdiction.SightOf(staff, p) == Sight.Full ? p.Title : PetitionView.Confidential, p.Status, p.Urgent,
                c.Name, Names.Of(c.Name), c.DueOn, c.Warning,
                late ? today.DayNumber - c.DueOn.DayNumber : 0,
                late ? deadlines.WorkingDaysFromTo(c.DueOn, today) : 0,
                late ? null : deadlines.WorkingDaysFromTo(today, c.DueOn),
                p.HoldingUnitId, holders.GetValueOrDefault(p.HoldingUnitId, ""));
        }).ToList();
        return new(new OverdueListing(items, next, scope.Id, scope.Name, today));
    }

    public async Task<OverdueOutcome<OverdueCounts>> CountByUnitAsync(Staff staff, Guid? unitId, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return new(null, Forbidden: true);
        if (await ScopeAsync(staff, unitId, ct) is not { } scope) return new(null, NotFound: true);
        var groups = await Warned(staff, scope.Id, [Warning.Red, Warning.Yellow])
            .GroupBy(p => new { p.HoldingUnitId, p.Warning })
            .Select(g => new { g.Key.HoldingUnitId, g.Key.Warning, Count = g.Count() })
            .ToListAsync(ct);
        var names = await NamesAsync(groups.Select(g => g.HoldingUnitId), ct);
        var items = groups.GroupBy(g => g.HoldingUnitId)
            .Select(u => new OverdueCount(u.Key, names.GetValueOrDefault(u.Key, ""),
                u.Where(x => x.Warning == Warning.Red).Sum(x => x.Count), u.Where(x => x.Warning == Warning.Yellow).Sum(x => x.Count)))
            .OrderByDescending(c => c.Red).ThenByDescending(c => c.Yellow).ThenBy(c => c.UnitName, StringComparer.Ordinal).ToList();
        return new(new OverdueCounts(items, scope.Id, scope.Name, items.Sum(i => i.Red), items.Sum(i => i.Yellow)));
    }

    /// <summary>The unit whose jurisdiction is listed: the caller's, or one of its subtree (anything else is 404, as if absent).</summary>
    async Task<Unit?> ScopeAsync(Staff staff, Guid? unitId, CancellationToken ct)
    {
        if (unitId is not { } asked || asked == staff.Unit.Id) return staff.Unit;
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == asked, ct);
        return unit is not null && staff.Unit.Contains(unit) ? unit : null;
    }

    /// <summary>The unit's matters with a warning of one of <paramref name="colours"/> that the caller may see.</summary>
    IQueryable<Petition> Warned(Staff staff, Guid unitId, Warning[] colours)
    {
        var access = db.PetitionAccess.Where(a => a.UnitId == unitId).Select(a => a.PetitionId);
        var red = colours.Contains(Warning.Red);
        var yellow = colours.Contains(Warning.Yellow);
        return db.Petitions
            .Where(p => (red && p.Warning == Warning.Red) || (yellow && p.Warning == Warning.Yellow))
            .Where(p => p.DueOn != null && access.Contains(p.Id))
            .Where(Jurisdiction.NotHiddenFrom(staff));
    }

    /// <summary>The matter's most pressing running clock of the asked colours (and name), or null.</summary>
    static Clock? PressingClock(Petition p, Warning[] colours, ClockName? name) =>
        p.Clocks.Where(c => c.State == ClockState.Running && colours.Contains(c.Warning) && (name is null || c.Name == name))
            .OrderByDescending(c => c.Warning).ThenBy(c => c.DueOn).FirstOrDefault();

    static Warning[] ColoursOf(string? warning, Dictionary<string, string[]> errors)
    {
        switch (warning?.Trim().ToLowerInvariant())
        {
            case null or "" or "red": return [Warning.Red];
            case "yellow": return [Warning.Yellow];
            case "all": return [Warning.Red, Warning.Yellow];
            default:
                errors["warning"] = ["预警应为 red（逾期）、yellow（临期）或 all（全部）"];
                return [];
        }
    }

    async Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Units.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }

    static string Encode(DateOnly due, string number) => Cursors.Encode($"{due:yyyy-MM-dd}|{number}");

    static (DateOnly, string)? Decode(string cursor)
    {
        if (Cursors.Decode(cursor) is not { } key) return null;
        var parts = key.Split('|', 2);
        return parts.Length == 2 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
            ? (due, parts[1]) : null;
    }
}
