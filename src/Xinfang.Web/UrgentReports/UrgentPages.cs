using Xinfang.Web.Workbench;

namespace Xinfang.Web.UrgentReports;

/// <summary>紧急上报 (/staff/urgent): the bureau's queue of reports with the acknowledge button; flagging from the petition page.</summary>
public static class UrgentPages
{
    public static void MapUrgentPages(RouteGroupBuilder g)
    {
        g.MapGet("/urgent", async (string? show, string? cursor, string? m, HttpContext http, ListUrgentReports use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            bool? acknowledged = show switch { "acknowledged" => true, "all" => null, _ => false };
            var page = await use.PageAsync(me.Staff, acknowledged, cursor, null, ct);
            return WorkbenchPages.Page<UrgentReportsPage>(new
            {
                Me = me, P = page, Show = show is "acknowledged" or "all" ? show : "pending",
                Message = m == "acknowledged" ? "已签收。" : null,
            }, page.Errors is { Count: > 0 } ? 400 : 200);
        });

        g.MapPost("/urgent/{id:guid}/acknowledge", async (Guid id, HttpContext http, AcknowledgeUrgentReport use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, me.Staff, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/urgent?m=acknowledged")
                : WorkbenchPages.Page<Workbench.Pages.MessagePage>(new { Me = me, Title = "紧急上报", Error = outcome.Error }, outcome.Status);
        });

        g.MapPost("/petitions/{id:guid}/urgent", async (Guid id, HttpContext http, ReportUrgent use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, new UrgentRequest(form["reason"]), me.Staff, null, ct));
            if (outcome.Succeeded) return Results.LocalRedirect($"/staff/petitions/{id}?m=urgent#urgent-section");
            var error = outcome.Errors.Values.SelectMany(v => v).FirstOrDefault() ?? outcome.Error;
            return WorkbenchPages.Page<UrgentRefusedPage>(new { Me = me, PetitionId = id, Error = error }, outcome.Status);
        });
    }
}
