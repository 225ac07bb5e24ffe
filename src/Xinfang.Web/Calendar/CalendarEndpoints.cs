using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Calendar;

public sealed record CalendarYearView(int Year, bool Covered, string Source, string? Warning, IReadOnlyList<CalendarDay> Days);

/// <summary>The work calendar: read a year; import the next State Council notice (holiday-cn JSON shape).</summary>
public static class CalendarEndpoints
{
    public static void MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/calendar").WithTags("Calendar").RequireAuthorization();
        g.MapGet("/{year:int:range(2000,2100)}", async (int year, XinfangDb db, CalendarStore store, CancellationToken ct) =>
        {
            var calendar = store.Current;
            var imported = await db.CalendarEntries.AnyAsync(e => e.Year == year, ct);
            return TypedResults.Ok(new CalendarYearView(year, calendar.Covers(year), imported ? "imported" : calendar.Covers(year) ? "builtIn" : "weekendsOnly",
                calendar.WarningFor(new DateOnly(year, 6, 1)), calendar.DaysOf(year)));
        }).WithName("GetCalendarYear").WithSummary("某年的节假日与调休安排");

        g.MapPut("/{year:int:range(2000,2100)}", async Task<IResult> (int year, HttpContext http, XinfangDb db, CalendarStore store, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以导入节假日安排");
            using var reader = new StreamReader(http.Request.Body);
            var json = await reader.ReadToEndAsync(ct);
            var workflow = http.RequestServices.GetRequiredService<PetitionWorkflow>();
            var result = await ImportAsync(db, store, json, year, ct, workflow.Context);
            return result.Error is { } error ? Problems.Validation("body", error) : TypedResults.Ok(new { year, days = result.Days });
        }).WithName("ImportCalendarYear").WithSummary("导入国务院办公厅节假日安排通知（holiday-cn JSON 格式）")
        .Accepts<object>("application/json");
    }

    /// <summary>Replaces a year's imported entries with a notice; used by the API and by `calendar import FILE`.</summary>
    public static async Task<(int Days, string? Error)> ImportAsync(XinfangDb db, CalendarStore store, string json, int? expectedYear, CancellationToken ct,
        Func<WorkflowContext>? context = null)
    {
        int year;
        IReadOnlyList<CalendarDay> days;
        try
        {
            (year, days) = WorkCalendar.ParseHolidayCnJson(json);
        }
        catch (FormatException e)
        {
            return (0, "无法解析节假日文件：" + e.Message);
        }
        if (expectedYear is { } y && y != year) return (0, $"文件年份 {year} 与请求年份 {y} 不一致");
        if (year is < 2000 or > 2100) return (0, "年份无效");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.CalendarEntries.Where(e => e.Year == year).ExecuteDeleteAsync(ct);
        db.CalendarEntries.AddRange(days.Select(d => new CalendarEntry { Year = year, Date = d.Date, IsOffDay = d.IsOffDay, Name = d.Name }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        store.Invalidate();
        if (context is not null) await RecalculateOpenMattersAsync(db, context, ct);
        return (days.Count, null);
    }

    /// <summary>
    /// Due dates were computed on the calendar then in force; a new notice moves those that fall on its days.
    /// Open matters are walked in number order, a batch at a time; a matter someone changes meanwhile was computed on the new calendar already.
    /// </summary>
    static async Task RecalculateOpenMattersAsync(XinfangDb db, Func<WorkflowContext> context, CancellationToken ct)
    {
        var c = context();
        string? after = null;
        var open = Enum.GetValues<PetitionStatus>().Where(Workflow.IsOpen).ToList();
        while (true)
        {
            db.ChangeTracker.Clear();
            var query = db.Petitions.Where(p => open.Contains(p.Status));
            if (after is { } last) query = query.Where(p => string.Compare(p.Number, last) > 0);
            var batch = await query.OrderBy(p => p.Number).Take(500).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Number;
            foreach (var p in batch) p.Recalculate(c);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateConcurrencyException) { }
        }
        db.ChangeTracker.Clear();
    }
}
