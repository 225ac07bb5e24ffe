using Xinfang.Web.Api;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Workbench;

/// <summary>The work queues (我的待办): what the user's unit holds, by the step it owes.</summary>
public enum Queue
{
    /// <summary>待转送/交办: registered here, to be forwarded, assigned, accepted or declined.</summary>
    Dispose,
    /// <summary>待受理: forwarded or assigned here, to be accepted, declined or objected to.</summary>
    Accept,
    /// <summary>办理中: accepted here, the written opinion is owed.</summary>
    Handle,
    /// <summary>复查/复核中: this unit reviews or re-reviews.</summary>
    Review,
}

public sealed record QueueFilter(Warning? Warning, PetitionType? Type, Channel? Channel);

public sealed record QueueRow(PetitionView View, string? PetitionerNames, ClockView? Clock);

public sealed record QueuePage(Queue Queue, IReadOnlyDictionary<Queue, int> Counts, IReadOnlyList<Queue> Queues,
    IReadOnlyList<QueueRow> Rows, string? NextCursor, QueueFilter Filter);

/// <summary>
/// My work: the matters held by the user's unit in the statuses of a queue, earliest due first, with counts per
/// queue. Each page is one range of the (holding unit, status, due day) index, however many the unit holds.
/// </summary>
public sealed class MyWork(XinfangDb db, CalendarStore calendar)
{
    public const int PageSize = 50;

    public static IReadOnlyList<PetitionStatus> StatusesOf(Queue q) => q switch
    {
        Queue.Dispose => [PetitionStatus.Registered],
        Queue.Accept => [PetitionStatus.Forwarded, PetitionStatus.Assigned],
        Queue.Handle => [PetitionStatus.Accepted],
        _ => [PetitionStatus.UnderReview, PetitionStatus.UnderReReview],
    };

    public static string TitleOf(Queue q) => q switch
    {
        Queue.Dispose => "待转送/交办",
        Queue.Accept => "待受理",
        Queue.Handle => "办理中",
        _ => "复查/复核中",
    };

    public static string SlugOf(Queue q) => q.ToString().ToLowerInvariant();

    /// <summary>The queues a role works from, in the order its day goes.</summary>
    public static IReadOnlyList<Queue> QueuesOf(Staff staff)
    {
        if (staff.HasAny(Role.UnitLeader, Role.Supervisor, Role.Analyst)) return Enum.GetValues<Queue>();
        var list = new List<Queue>();
        if (staff.Has(Role.IntakeClerk)) list.AddRange([Queue.Dispose, Queue.Accept]);
        if (staff.Has(Role.Caseworker)) list.AddRange([Queue.Accept, Queue.Handle, Queue.Review]);
        return list.Distinct().ToList();
    }

    public async Task<QueuePage?> HandleAsync(Staff staff, Queue? asked, QueueFilter filter, string? cursor, CancellationToken ct)
    {
        var queues = QueuesOf(staff);
        if (queues.Count == 0) return null;
        var queue = asked is { } q && queues.Contains(q) ? q : queues[0];
        var unit = staff.Unit.Id;

        var all = queues.SelectMany(StatusesOf).ToList();
        // Art. 30 ¶3: the accused person never finds the matter in their unit's queues (Jurisdiction.SightOf).
        var held = db.Petitions.Where(Jurisdiction.NotHiddenFrom(staff));
        var byStatus = await held.Where(p => p.HoldingUnitId == unit && all.Contains(p.Status))
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var counts = queues.ToDictionary(x => x, x => byStatus.Where(s => StatusesOf(x).Contains(s.Key)).Sum(s => s.Count));

        var statuses = StatusesOf(queue).ToList();
        var rows = held.Where(p => p.HoldingUnitId == unit && statuses.Contains(p.Status));
        if (filter.Warning is { } w) rows = rows.Where(p => p.Warning == w);
        if (filter.Type is { } t) rows = rows.Where(p => p.Type == t);
        if (filter.Channel is { } c) rows = rows.Where(p => p.Channel == c);
        // Earliest due first; matters without a running clock last. The cursor is (due day or max, number).
        if (Decode(cursor) is { } after)
            rows = rows.Where(p => (p.DueOn ?? DateOnly.MaxValue) > after.Due
                || ((p.DueOn ?? DateOnly.MaxValue) == after.Due && string.Compare(p.Number, after.Number) > 0));
        var page = await rows.OrderBy(p => p.DueOn ?? DateOnly.MaxValue).ThenBy(p => p.Number)
            .Take(PageSize + 1).Include(p => p.Petitioners).AsNoTracking().ToListAsync(ct);
        var more = page.Count > PageSize;
        if (more) page.RemoveAt(page.Count - 1);
        var deadlines = calendar.Deadlines;
        var recused = await Recusals.AmongAsync(db, staff.User.Id, page.Select(p => p.Id).ToList(), ct);
        var items = page.Select(p =>
        {
            var view = PetitionView.Of(p, staff, deadlines, recused.Contains(p.Id));
            var names = view.Petitioners.Count == 0 ? (p.Anonymous ? "（匿名）" : null)
                : string.Join("、", view.Petitioners.Take(3).Select(x => x.Name)) + (view.Petitioners.Count > 3 ? $"等{view.Petitioners.Count}人" : "");
            return new QueueRow(view, names, MainClock(view));
        }).ToList();
        return new QueuePage(queue, counts, queues, items, more ? Encode(page[^1].DueOn ?? DateOnly.MaxValue, page[^1].Number) : null, filter);
    }

    /// <summary>The clock the holder must beat: the earliest running duty, else the earliest clock.</summary>
    public static ClockView? MainClock(PetitionView v) =>
        v.Clocks.Where(c => c.State == ClockState.Running && c.Name is not (ClockName.Objection or ClockName.ReviewRequest or ClockName.ReReviewRequest))
            .OrderBy(c => c.DueOn).FirstOrDefault()
        ?? v.Clocks.OrderBy(c => c.DueOn).FirstOrDefault();

    static string Encode(DateOnly due, string number) => Cursors.Encode($"{due.DayNumber}|{number}");

    static (DateOnly Due, string Number)? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        try
        {
            if (Cursors.Decode(cursor) is not { } key) return null;
            var parts = key.Split('|', 2);
            return (DateOnly.FromDayNumber(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }
}
