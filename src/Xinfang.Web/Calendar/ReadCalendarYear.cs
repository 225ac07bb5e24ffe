using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Data;

namespace Xinfang.Web.Calendar;

/// <summary>
/// A year of the calendar in force: its holidays and make-up working days, and where they come from — an
/// imported notice, the built-in file, or nothing (plain weekends, with a warning).
/// </summary>
public static class ReadCalendarYear
{
    public static async Task<IResult> HandleAsync(int year, XinfangDb db, CalendarStore store, CancellationToken ct)
    {
        var calendar = store.Current;
        var imported = await db.CalendarEntries.AnyAsync(e => e.Year == year, ct);
        return TypedResults.Ok(new CalendarYearView(year, calendar.Covers(year), imported ? "imported" : calendar.Covers(year) ? "builtIn" : "weekendsOnly",
            calendar.WarningFor(new DateOnly(year, 6, 1)), calendar.DaysOf(year)));
    }
}
