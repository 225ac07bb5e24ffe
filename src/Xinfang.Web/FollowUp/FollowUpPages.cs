using Xinfang.Web.Workbench;

namespace Xinfang.Web.FollowUp;

/// <summary>/staff/follow-ups (回访): the due list and a form per matter, over the API's use cases.</summary>
public static class FollowUpPages
{
    public static void MapFollowUpPages(RouteGroupBuilder g)
    {
        g.MapGet("/follow-ups", async (string? m, HttpContext http, ListFollowUps list, CancellationToken ct) =>
            await ShowAsync(http, list, ct, message: m == "recorded" ? "已登记回访。" : null));

        g.MapPost("/follow-ups/{id:guid}", async (Guid id, HttpContext http, RecordFollowUp use, ListFollowUps list, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var reached = form["reachedPetitioner"].ToString() switch { "true" => true, "false" => false, _ => (bool?)null };
            var body = new FollowUpRequest(form["channel"], form["result"], reached, form["satisfaction"]);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, body, me.Staff, ct));
            if (outcome.Succeeded) return Results.LocalRedirect("/staff/follow-ups?m=recorded");
            if (outcome.Status == 403) return WorkbenchPages.Forbidden(me, outcome.Error);
            var values = form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());
            return await ShowAsync(http, list, ct, error: outcome.Error, status: outcome.Status, open: id, errors: outcome.Errors, values: values);
        });
    }

    static async Task<IResult> ShowAsync(HttpContext http, ListFollowUps list, CancellationToken ct, string? message = null, string? error = null, int status = 200,
        Guid? open = null, IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, string>? values = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        var tasks = await list.TaskListAsync(me.Staff, due: true, ListFollowUps.DefaultLimit, ct);
        return WorkbenchPages.Page<FollowUpsPage>(new { Me = me, Tasks = tasks, Message = message, Error = error, Open = open, Errors = errors, Values = values },
            status is >= 400 ? status : 200);
    }
}
