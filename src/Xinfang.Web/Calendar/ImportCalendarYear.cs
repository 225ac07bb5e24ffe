using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Calendar;

public sealed record CalendarImported(int Year, int Days);

/// <summary>
/// A system administrator imports the next State Council holiday notice (holiday-cn JSON shape); it replaces
/// what the store held for that year, and open matters' due dates are computed again on it.
/// </summary>
public static class ImportCalendarYear
{
    public static async Task<IResult> HandleAsync(Staff staff, string json, int? expectedYear, XinfangDb db, CalendarStore store, PetitionWorkflow workflow, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以导入节假日安排");
        var (year, days, error) = await ImportAsync(db, store, json, expectedYear, ct, workflow.Context);
        if (error is null) await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.CalendarImported, staff, Audit.AuditTargets.Calendar, year, new { year, days }), ct);
        return error is not null ? Problems.Validation("body", error) : TypedResults.Ok(new CalendarImported(year, days));
    }

    /// <summary>Replaces a year's imported entries with a notice; used by the API, the workbench and by `calendar import FILE`.</summary>
    public static async Task<(int Year, int Days, string? Error)> ImportAsync(XinfangDb db, CalendarStore store, string json, int? expectedYear, CancellationToken ct,
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
            return (0, 0, "无法解析节假日文件：" + e.Message);
        }
        if (expectedYear is { } y && y != year) return (year, 0, $"文件年份 {year} 与请求年份 {y} 不一致");
        if (year is < 2000 or > 2100) return (year, 0, "年份无效");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.CalendarEntries.Where(e => e.Year == year).ExecuteDeleteAsync(ct);
        db.CalendarEntries.AddRange(days.Select(d => new CalendarEntry { Year = year, Date = d.Date, IsOffDay = d.IsOffDay, Name = d.Name }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        store.Invalidate();
        if (context is not null) await RecalculateOpenMattersAsync(db, context, ct);
        return (year, days.Count, null);
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
