using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Supervision.Pages;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Supervision;

/// <summary>The matter a 督办 form is about, as the form shows it.</summary>
public sealed record SuperviseTarget(Guid Id, string Number, string Title, Guid HoldingUnitId, string HoldingUnitName);

/// <summary>A unit the caller may address a 督办 to.</summary>
public sealed record AddresseeChoice(Guid Id, string Name, int Level);

/// <summary>
/// The workbench's 督办 pages: /staff/supervision (proposals, issued by my unit, addressed to my unit), one 督办 with
/// its feedback, close and return forms, and the 督办 form of a matter (/staff/petitions/{id}/supervise). All through
/// the API's use cases.
/// </summary>
public static class SupervisionPages
{
    public const int MaxRows = 200;

    public static void MapSupervisionPages(RouteGroupBuilder g)
    {
        g.MapGet("/supervision", async (string? tab, string? m, HttpContext http, SupervisionProposals proposals, ListSupervisions ledger, CancellationToken ct) =>
            await ListAsync(tab, http, proposals, ledger, ct, message: Flash(m)));

        g.MapPost("/supervision/proposals/{pid:guid}/dismiss", async (Guid pid, HttpContext http, SupervisionProposals proposals, ListSupervisions ledger, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await proposals.DismissAsync(pid, new DismissProposalRequest(form["reason"]), WorkbenchPages.MeOf(http).Staff, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/supervision?tab=proposals&m=dismissed")
                : await ListAsync("proposals", http, proposals, ledger, ct, refused: (pid, outcome, form["reason"].ToString()));
        });

        g.MapGet("/supervision/{sid:guid}", async (Guid sid, string? m, HttpContext http, XinfangDb db, CancellationToken ct) =>
            await DetailAsync(sid, http, db, ct, message: Flash(m)));

        g.MapPost("/supervision/{sid:guid}/feedback", async (Guid sid, HttpContext http, AnswerSupervision use, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(sid, new SupervisionFeedbackRequest(form["text"], form["measures"]), WorkbenchPages.MeOf(http).Staff, ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/supervision/{sid}?m=answered") : await DetailAsync(sid, http, db, ct, refused: ("feedback", outcome, Values(form)));
        });

        g.MapPost("/supervision/{sid:guid}/close", async (Guid sid, HttpContext http, CloseSupervision use, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(sid, new CloseSupervisionRequest(form["note"]), WorkbenchPages.MeOf(http).Staff, ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/supervision/{sid}?m=closed") : await DetailAsync(sid, http, db, ct, refused: ("close", outcome, Values(form)));
        });

        g.MapPost("/supervision/{sid:guid}/return", async (Guid sid, HttpContext http, ReturnSupervision use, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(sid, new ReturnSupervisionRequest(form["reason"], form["dueOn"]), WorkbenchPages.MeOf(http).Staff, ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/supervision/{sid}?m=returned") : await DetailAsync(sid, http, db, ct, refused: ("return", outcome, Values(form)));
        });

        g.MapGet("/petitions/{id:guid}/supervise", async (Guid id, Guid? proposal, HttpContext http, XinfangDb db, CreateSupervision create, CalendarStore calendar, TimeProvider time, CancellationToken ct) =>
            await FormAsync(id, proposal, http, db, create, calendar, time, ct));

        g.MapPost("/petitions/{id:guid}/supervise", async (Guid id, HttpContext http, XinfangDb db, CreateSupervision create, SupervisionProposals proposals, CalendarStore calendar, TimeProvider time, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var body = new SupervisionRequest(form["form"], form["reasons"].ToArray(), Guid.TryParse(form["addresseeUnitId"], out var a) ? a : null, form["note"], form["dueOn"]);
            var proposal = Guid.TryParse(form["proposalId"], out var p) ? p : (Guid?)null;
            var result = proposal is { } pid ? await proposals.IssueAsync(pid, body, me.Staff, ct) : await create.HandleAsync(id, body, me.Staff, ct);
            var outcome = PageOutcome.Of(result);
            if (outcome.Succeeded && outcome.Value is SupervisionView view) return Results.LocalRedirect($"/staff/supervision/{view.Row.Id}?m=issued");
            var values = Values(form);
            values["reasons"] = string.Join(",", form["reasons"].ToArray());
            return await FormAsync(id, proposal, http, db, create, calendar, time, ct, (outcome, values));
        });
    }

    static Dictionary<string, string> Values(IFormCollection form) =>
        form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());

    static string? Flash(string? m) => m switch
    {
        "issued" => "已督办，已通知受督办单位书面反馈。",
        "answered" => "已书面反馈，已通知督办单位。",
        "closed" => "督办已办结。",
        "returned" => "已退回，受督办单位须重新书面反馈。",
        "dismissed" => "已不予督办，理由已记录。",
        _ => null,
    };

    static async Task<IResult> ListAsync(string? tab, HttpContext http, SupervisionProposals proposals, ListSupervisions ledger, CancellationToken ct,
        string? message = null, (Guid Id, PageOutcome Outcome, string Reason)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        var decides = SupervisionScope.Supervises(me.Staff);
        var current = tab is "proposals" or "issued" or "addressed" ? tab : decides ? "proposals" : "addressed";
        if (current == "proposals" && !decides) current = "addressed";
        List<ProposalView>? open = null;
        var rows = new List<SupervisionRow>();
        if (current == "proposals") open = await proposals.OpenAsync(me.Staff, ct);
        else
            await foreach (var row in ledger.RowsAsync(me.Staff, new SupervisionLedgerFilter(Side: current), ct))
            {
                rows.Add(row);
                if (rows.Count >= MaxRows) break;
            }
        return WorkbenchPages.Page<SupervisionListPage>(new
        {
            Me = me, Tab = current, Decides = decides, Proposals = open, Rows = rows, Message = message,
            Error = refused?.Outcome.Error, RefusedId = refused?.Id, RefusedErrors = refused?.Outcome.Errors, RefusedReason = refused?.Reason,
        }, refused is { } r ? r.Outcome.Status : 200);
    }

    static async Task<IResult> DetailAsync(Guid sid, HttpContext http, XinfangDb db, CancellationToken ct, string? message = null,
        (string Form, PageOutcome Outcome, Dictionary<string, string> Values)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        if (await GetSupervision.ViewAsync(db, me.Staff, sid, ct) is not { } view)
            return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "督办", Error = "该督办不存在或不在本单位督办范围内。" }, refused?.Outcome.Status ?? 404);
        return WorkbenchPages.Page<SupervisionDetailPage>(new
        {
            Me = me, V = view, Message = message, Error = refused?.Outcome.Error, Open = refused?.Form,
            Errors = refused?.Outcome.Errors, Values = (IReadOnlyDictionary<string, string>?)refused?.Values,
        }, refused is { } r ? r.Outcome.Status : 200);
    }

    static async Task<IResult> FormAsync(Guid id, Guid? proposal, HttpContext http, XinfangDb db, CreateSupervision create, CalendarStore calendar, TimeProvider time, CancellationToken ct,
        (PageOutcome Outcome, Dictionary<string, string> Values)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        var petition = await Jurisdiction.Visible(db, me.Staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "找不到该事项", Error = "信访事项不存在或不在本单位管辖范围内。" }, 404);
        if (!SupervisionScope.Supervises(me.Staff)) return WorkbenchPages.Forbidden(me, "只有督查员或单位负责人可以督办。");
        var territory = SupervisionScope.TerritoryOf(me.Staff.Unit);
        var units = await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(territory))
            .OrderBy(u => u.Level).ThenBy(u => u.Code).Select(u => new AddresseeChoice(u.Id, u.Name, u.Level)).Take(1000).ToListAsync(ct);
        var holder = await db.Units.AsNoTracking().Where(u => u.Id == petition.HoldingUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
        var title = Jurisdiction.IsAccused(me.Staff, petition) ? PetitionView.Confidential : petition.Title;
        var today = ChinaTime.DateOf(time.GetUtcNow());
        return WorkbenchPages.Page<SuperviseFormPage>(new
        {
            Me = me, T = new SuperviseTarget(petition.Id, petition.Number, title, petition.HoldingUnitId, holder), Units = units, ProposalId = proposal,
            DefaultDueOn = calendar.Deadlines.AddCalendarDays(today, create.FeedbackDays), Error = refused?.Outcome.Error,
            Errors = refused?.Outcome.Errors, Values = (IReadOnlyDictionary<string, string>?)refused?.Values,
        }, refused is { } r ? r.Outcome.Status : 200);
    }
}
