using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Data;

namespace Xinfang.Web.Calendar;

/// <summary>
/// The work calendar in force: the built-in year files, with any year imported by an administrator
/// replacing the built-in one. Cached briefly so each web node picks up another node's import within a minute.
/// </summary>
public sealed class CalendarStore(IServiceScopeFactory scopes, TimeProvider time, ILogger<CalendarStore> log)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    (WorkCalendar Calendar, DateTimeOffset LoadedAt)? _cached;
    readonly object _gate = new();

    public WorkCalendar Current
    {
        get
        {
            var now = TimeProvider.System.GetUtcNow();
            lock (_gate)
            {
                if (_cached is { } c && now - c.LoadedAt < Lifetime) return c.Calendar;
            }
            var calendar = Load();
            lock (_gate) _cached = (calendar, now);
            return calendar;
        }
    }

    public DeadlineCalculator Deadlines => new(Current);

    public void Invalidate()
    {
        lock (_gate) _cached = null;
    }

    WorkCalendar Load()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var calendar = WorkCalendar.Embedded;
        List<CalendarEntry> imported;
        try
        {
            imported = db.CalendarEntries.AsNoTracking().ToList();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
        {
            return calendar; // before the first migration
        }
        foreach (var year in imported.GroupBy(e => e.Year))
            calendar = calendar.With(year.Select(e => new CalendarDay(e.Date, e.IsOffDay, e.Name)), year.Key);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        if (calendar.WarningFor(today) is { } warning) log.LogWarning("{Warning}", warning);
        return calendar;
    }
}
