using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Ownership.Pages;
using Xinfang.Web.Petitions;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Ownership;

/// <summary>A staff member who may be named owner, for the assignment form.</summary>
public sealed record LeaderChoice(Guid UserId, string Name, string UnitName, LeaderCapacity Capacity);

/// <summary>A form refused by its use case: which form, the problem, and what was typed.</summary>
public sealed record Refused(string Form, PageOutcome Outcome, IReadOnlyDictionary<string, string> Values)
{
    public IDictionary<string, string[]>? ErrorsFor(string form) => Form == form ? Outcome.Errors.ToDictionary() : null;
    public string? Value(string form, string field) => Form == form ? Values.GetValueOrDefault(field) : null;

    public string Explain => Outcome.Status == 412 ? "该包案已被他人修改，本页显示的是最新情况，请核对后重新操作。" : Outcome.Error ?? "操作未完成";
}

/// <summary>
/// The workbench's 领导包案 pages: /staff/ownership (我的包案: what the signed-in leader owns, with the matters'
/// clocks, the next and overdue steps; and the jurisdiction's ledger), /staff/ownership/{id} (plan editor,
/// progress and outcome forms) and /staff/ownership/petition/{id} (a matter's ownerships and the assignment form).
/// Every form goes through the API's use case.
/// </summary>
public static class OwnershipPages
{
    public static void MapOwnershipPages(RouteGroupBuilder g)
    {
        g.MapGet("/ownership", async (string? m, HttpContext http, OwnershipLedger ledger, TimeProvider time, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
            var mine = me.Staff.Has(Role.UnitLeader)
                ? await Take(ledger.RowsAsync(me.Staff, new OwnershipFilter(LeaderId: me.Staff.User.Id), ct), 200) : [];
            var ledgerRows = await Take(ledger.RowsAsync(me.Staff, new OwnershipFilter(Status: OwnershipStatus.Active), ct), 200);
            return WorkbenchPages.Page<MyOwnershipPage>(new { Me = me, Mine = mine, Ledger = ledgerRows, Today = ChinaTime.DateOf(time.GetUtcNow()), Message = Flash(m) });
        });

        g.MapGet("/ownership/{id:guid}", async (Guid id, string? m, HttpContext http, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
            await ShowAsync(id, http, ledger, db, time, ct, Flash(m)));

        g.MapPost("/ownership/{id:guid}/plan", async (Guid id, HttpContext http, WriteOwnershipPlan use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var (body, bad) = PlanOf(form);
            var outcome = bad ?? PageOutcome.Of(await use.HandleAsync(id, body, Me(http).Staff, Version(form), ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/ownership/{id}?m=plan#plan")
                : await ShowAsync(id, http, ledger, db, time, ct, refused: new("plan", outcome, Values(form)));
        });

        g.MapPost("/ownership/{id:guid}/steps/{stepId:guid}/done", async (Guid id, Guid stepId, HttpContext http, CompleteOwnershipStep use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, stepId, new StepDoneRequest(form["note"]), Me(http).Staff, Version(form), ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/ownership/{id}?m=step#plan")
                : await ShowAsync(id, http, ledger, db, time, ct, refused: new("step-" + stepId, outcome, Values(form)));
        });

        g.MapPost("/ownership/{id:guid}/progress", async (Guid id, HttpContext http, RecordOwnershipProgress use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            DateTimeOffset? at = null;
            PageOutcome? bad = null;
            if (!string.IsNullOrWhiteSpace(form["at"]))
            {
                if (DateTime.TryParse(form["at"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                    at = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaTime.Offset);
                else bad = PageOutcome.Invalid("at", "时间格式应为 年-月-日 时:分");
            }
            var outcome = bad ?? PageOutcome.Of(await use.HandleAsync(id, new ProgressRequest(form["text"], at), Me(http).Staff, Version(form), ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/ownership/{id}?m=progress#progress")
                : await ShowAsync(id, http, ledger, db, time, ct, refused: new("progress", outcome, Values(form)));
        });

        g.MapPost("/ownership/{id:guid}/outcome", async (Guid id, HttpContext http, RecordOwnershipOutcome use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            OutcomePartRequest Part(string name) => new(form[name + ".achieved"] == "true", form[name + ".note"]);
            var body = new OutcomeRequest(Part("resolved"), Part("counselled"), Part("relieved"), Part("handledByLaw"), form["summary"]);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, body, Me(http).Staff, Version(form), ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/ownership/{id}?m=outcome")
                : await ShowAsync(id, http, ledger, db, time, ct, refused: new("outcome", outcome, Values(form)));
        });

        g.MapPost("/ownership/{id:guid}/release", async (Guid id, HttpContext http, ReleaseOwnership use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, new ReleaseOwnershipRequest(form["note"]), Me(http).Staff, Version(form), ct));
            return outcome.Succeeded ? Results.LocalRedirect($"/staff/ownership/{id}?m=released")
                : await ShowAsync(id, http, ledger, db, time, ct, refused: new("release", outcome, Values(form)));
        });

        g.MapGet("/ownership/petition/{id:guid}", async (Guid id, string? m, HttpContext http, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
            await ShowPetitionAsync(id, http, ledger, db, time, ct, Flash(m)));

        g.MapPost("/ownership/petition/{id:guid}", async (Guid id, HttpContext http, AssignOwnership use, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var leaders = new List<LeaderRequest>();
            if (Guid.TryParse(form["territory"], out var t)) leaders.Add(new(t, LeaderCapacity.Territory));
            if (Guid.TryParse(form["department"], out var d)) leaders.Add(new(d, LeaderCapacity.Department));
            var outcome = PageOutcome.Of(await use.HandleAsync(id, new AssignOwnershipRequest(leaders, form["note"]), Me(http).Staff, ct));
            if (outcome.Succeeded && outcome.Value is OwnershipView v) return Results.LocalRedirect($"/staff/ownership/{v.Id}?m=assigned");
            // Field errors name leaders[i]: shown against the choice that was made in that place.
            var errors = outcome.Errors.ToDictionary(e => e.Key.StartsWith("leaders[", StringComparison.Ordinal) ? "leaders" : e.Key, e => e.Value);
            return await ShowPetitionAsync(id, http, ledger, db, time, ct, refused: new("assign", outcome with { Errors = errors }, Values(form)));
        });
    }

    static Me Me(HttpContext http) => WorkbenchPages.MeOf(http);

    static int? Version(IFormCollection form) => int.TryParse(form["__version"], out var v) ? v : null;

    static Dictionary<string, string> Values(IFormCollection form) =>
        form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());

    static async Task<List<OwnershipRow>> Take(IAsyncEnumerable<OwnershipRow> rows, int max)
    {
        var list = new List<OwnershipRow>();
        await foreach (var r in rows)
        {
            list.Add(r);
            if (list.Count == max) break;
        }
        return list;
    }

    static string? Flash(string? m) => m switch
    {
        "assigned" => "已指定包案领导，并已通知。",
        "plan" => "一案一策方案已保存。",
        "step" => "该步骤已标记完成。",
        "progress" => "包案进展已记录。",
        "outcome" => "包案结果已记录，本包案已结案。",
        "released" => "已解除包案。",
        _ => null,
    };

    /// <summary>The plan editor's rows: steps[i].title, .dueOn, .responsibleUnitId, .id; rows left blank are dropped.</summary>
    static (PlanRequest Body, PageOutcome? Bad) PlanOf(IFormCollection form)
    {
        var steps = new List<PlanStepRequest>();
        for (var i = 0; i < OwnershipLimits.MaxSteps + 10; i++)
        {
            string F(string name) => form[$"steps[{i}].{name}"].ToString().Trim();
            if (F("title").Length == 0 && F("dueOn").Length == 0 && F("id").Length == 0) continue;
            DateOnly? due = null;
            if (F("dueOn").Length > 0)
            {
                if (DateOnly.TryParseExact(F("dueOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) due = d;
                else return (null!, PageOutcome.Invalid($"steps[{steps.Count}].dueOn", "日期应为 年-月-日"));
            }
            steps.Add(new(Guid.TryParse(F("id"), out var id) ? id : null, F("title"), due, Guid.TryParse(F("responsibleUnitId"), out var u) ? u : null));
        }
        return (new PlanRequest(form["summary"], steps), null);
    }

    static IResult NotFound(Me me) =>
        WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "找不到该包案", Error = "包案事项不存在或不在本单位管辖范围内。" }, 404);

    static async Task<IResult> ShowAsync(Guid id, HttpContext http, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct,
        string? message = null, Refused? refused = null)
    {
        var me = Me(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        var view = await ledger.ViewAsync(id, me.Staff, ct);
        if (view is null) return NotFound(me);
        var units = await ResponsibleUnitsAsync(view.PetitionId, me.Staff, db, ct);
        var status = refused?.Outcome.Status ?? 200;
        return WorkbenchPages.Page<OwnershipDetailPage>(new
        {
            Me = me, O = view, Units = units, Today = ChinaTime.DateOf(time.GetUtcNow()), Message = message, Refused = refused,
            CanRelease = view.Status == OwnershipStatus.Active && me.Staff.HasAny(Role.UnitLeader, Role.Supervisor),
        }, status >= 400 ? status : 200);
    }

    static async Task<IResult> ShowPetitionAsync(Guid id, HttpContext http, OwnershipLedger ledger, XinfangDb db, TimeProvider time, CancellationToken ct,
        string? message = null, Refused? refused = null)
    {
        var me = Me(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        var petition = await ledger.Seen(me.Staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null)
            return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "找不到该事项", Error = "信访事项不存在或不在本单位管辖范围内。" }, 404);
        var ownerships = await ledger.OfPetitionAsync(id, me.Staff, ct);
        var canAssign = me.Staff.HasAny(Role.UnitLeader, Role.Supervisor);
        var choices = canAssign ? await LeaderChoicesAsync(petition, db, ct) : [];
        var status = refused?.Outcome.Status ?? 200;
        return WorkbenchPages.Page<PetitionOwnershipPage>(new
        {
            Me = me, PetitionId = petition.Id, Number = petition.Number, Title = petition.Title, Ownerships = ownerships,
            CanAssign = canAssign, Choices = choices, Today = ChinaTime.DateOf(time.GetUtcNow()), Message = message, Refused = refused,
        }, status >= 400 ? status : 200);
    }

    /// <summary>The unit leaders who may own the matter (AssignOwnership's rule), territory leaders first.</summary>
    static async Task<List<LeaderChoice>> LeaderChoicesAsync(Petition petition, XinfangDb db, CancellationToken ct)
    {
        var leaderRole = RoleNames.Of(Role.UnitLeader);
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          join unit in db.Units on u.UnitId equals unit.Id
                          where r.Name == leaderRole && db.PetitionAccess.Any(a => a.PetitionId == petition.Id && a.UnitId == unit.Id)
                          select new { User = u, Unit = unit }).AsNoTracking().Take(500).ToListAsync(ct);
        return rows.Where(x => Jurisdiction.SightOf(new Staff(x.User, x.Unit, new HashSet<Role> { Role.UnitLeader }), petition) == Sight.Full)
            .OrderBy(x => x.Unit.Level).ThenBy(x => x.Unit.Code).ThenBy(x => x.User.UserName)
            .Select(x => new LeaderChoice(x.User.Id, x.User.DisplayName, x.Unit.Name, x.Unit.Kind == UnitKind.Government ? LeaderCapacity.Territory : LeaderCapacity.Department))
            .ToList();
    }

    /// <summary>Units a plan step may name: those that see the matter (WriteOwnershipPlan checks confidentiality again).</summary>
    static async Task<List<UnitChoice>> ResponsibleUnitsAsync(Guid petitionId, Staff staff, XinfangDb db, CancellationToken ct) =>
        (await db.Units.AsNoTracking().Where(u => db.PetitionAccess.Any(a => a.PetitionId == petitionId && a.UnitId == u.Id))
            .OrderBy(u => u.Level).ThenBy(u => u.Code).Select(u => new { u.Id, u.Name }).Take(500).ToListAsync(ct))
        .Select(u => new UnitChoice(u.Id, u.Name, false)).ToList();
}
