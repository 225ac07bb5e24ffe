using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Web.Calendar;

public sealed record CalendarYearView(int Year, bool Covered, string Source, string? Warning, IReadOnlyList<CalendarDay> Days);

/// <summary>The work calendar: read a year; import the next State Council notice (holiday-cn JSON shape).</summary>
public static class CalendarEndpoints
{
    public static void MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/calendar").WithTags("Calendar").RequireAuthorization();
        g.MapGet("/{year:int:range(2000,2100)}", ReadCalendarYear.HandleAsync).WithName("GetCalendarYear").WithSummary("某年的节假日与调休安排");

        g.MapPut("/{year:int:range(2000,2100)}", async Task<IResult> (int year, HttpContext http, XinfangDb db, CalendarStore store, PetitionWorkflow workflow, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            using var reader = new StreamReader(http.Request.Body);
            var json = await reader.ReadToEndAsync(ct);
            return await ImportCalendarYear.HandleAsync(staff, json, year, db, store, workflow, ct);
        }).WithName("ImportCalendarYear").WithSummary("导入国务院办公厅节假日安排通知（holiday-cn JSON 格式）")
        .Accepts<object>("application/json");
    }
}
