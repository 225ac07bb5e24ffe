using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Review;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>
/// 受理复查/复核申请: the level above records a request it received (Art. 35–36) by the matter's number. Until then
/// the matter is outside its jurisdiction, so it cannot be reached from a queue; the workflow admits the request
/// only from an eligible review body, and answers any other unit as if the number did not exist.
/// </summary>
public static class ReviewRequestPages
{
    public static void MapReviewRequestPages(RouteGroupBuilder g)
    {
        g.MapGet("/review-request", (HttpContext http, TimeProvider time) =>
        {
            var me = WorkbenchPages.MeOf(http);
            return me.Registers ? Form(me, time, null, null, null) : WorkbenchPages.Forbidden(me);
        });

        g.MapPost("/review-request", async (HttpContext http, XinfangDb db, PetitionWorkflow workflow, TimeProvider time, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.Registers) return WorkbenchPages.Forbidden(me);
            var form = await http.Request.ReadFormAsync(ct);
            var values = form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());
            var step = values.GetValueOrDefault("kind") == "reReview" ? Steps.RequestReReview : Steps.RequestReview;
            var body = FormJson.Bind<ReviewRequestBody>(form.Where(f => f.Key is "requestedOn" or "reason"));
            if (body is null) return Form(me, time, values, new Dictionary<string, string[]> { ["requestedOn"] = ["日期格式应为 年-月-日"] }, "请检查标注的字段");
            var input = step.Input(body with { UnitId = me.Staff.Unit.Id });
            var number = values.GetValueOrDefault("number")?.Trim();
            var errors = new Dictionary<string, string[]>(input.Errors);
            if (string.IsNullOrEmpty(number)) errors["number"] = ["请填写信访事项编号"];
            if (errors.Count > 0) return Form(me, time, values, errors, "请检查标注的字段");
            var id = await db.Petitions.AsNoTracking().Where(p => p.Number == number).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            var outcome = id is null ? null : PageOutcome.Of(await workflow.RunAsync(id.Value, input.Command!, me.Staff, null, ct));
            if (outcome is { Succeeded: true }) return Results.LocalRedirect($"/staff/petitions/{id}?m={step.Action}");
            var error = outcome is null || outcome.Status == 404
                ? "编号不存在，或本单位不是该事项的复查（复核）机关（应为作出意见单位的上一级机关，条例第三十五条、第三十六条）"
                : outcome.Error ?? "申请未能记录";
            return Form(me, time, values, outcome?.Errors.ToDictionary(), error, outcome?.Status ?? 404);
        });
    }

    static IResult Form(Me me, TimeProvider time, IReadOnlyDictionary<string, string>? values, IDictionary<string, string[]>? errors, string? error, int status = 400) =>
        WorkbenchPages.Page<ReviewRequestPage>(new
        {
            Me = me, Values = values, Errors = errors, Error = error,
            Today = ChinaTime.DateOf(time.GetUtcNow()).ToString("yyyy-MM-dd"),
        }, error is null ? 200 : status);
}
