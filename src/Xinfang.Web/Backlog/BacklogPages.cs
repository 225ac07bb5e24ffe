using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Backlog.Pages;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Backlog;

/// <summary>A form's refusal, shown beside that form: which form, the Chinese title, the field errors and what was typed.</summary>
public sealed record FormRefusal(string Form, string? Error, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyDictionary<string, string> Values)
{
    public string? V(string name) => Values.GetValueOrDefault(name);
}

/// <summary>A staff member who may own a backlog case (责任人): a handler of the campaign unit's subtree.</summary>
public sealed record OwnerChoice(Guid Id, string Name, string UnitName);

/// <summary>
/// 积案化解 pages (/staff/backlog): the campaigns with their progress, a campaign's candidates, members and due
/// re-checks, and a form for each step — all through the very use cases of /api/v1/backlog-campaigns.
/// </summary>
public static class BacklogPages
{
    public static void MapBacklogPages(RouteGroupBuilder g)
    {
        g.MapGet("/backlog", async (string? m, HttpContext http, XinfangDb db, ListCampaigns campaigns, ListRechecks rechecks, CancellationToken ct) =>
            await IndexAsync(http, db, campaigns, rechecks, ct, message: Flash(m)));

        g.MapPost("/backlog", async (HttpContext http, XinfangDb db, CreateCampaign use, ListCampaigns campaigns, ListRechecks rechecks, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var body = FormJson.Bind<CreateCampaignRequest>(form);
            var outcome = body is null ? PageOutcome.Invalid("body", "日期应为 年-月-日，次数和天数应为整数") : PageOutcome.Of(await use.HandleAsync(body, me.Staff, ct));
            if (outcome.Succeeded && outcome.ValueAs<CampaignView>() is { } created) return Results.LocalRedirect($"/staff/backlog/{created.Id}?m=created");
            return await IndexAsync(http, db, campaigns, rechecks, ct, refused: (outcome, Refusal("create", outcome, form)));
        });

        g.MapGet("/backlog/{id:guid}", async (Guid id, string? m, HttpContext http, XinfangDb db, IServiceProvider sp, CancellationToken ct) =>
            await CampaignAsync(id, http, db, sp, ct, message: Flash(m)));

        g.MapPost("/backlog/{id:guid}/members", async (Guid id, HttpContext http, XinfangDb db, AddMembers use, IServiceProvider sp, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var body = new AddMembersRequest(
                form["petitionIds"].Select(v => Guid.TryParse(v, out var x) ? x : Guid.Empty).Where(x => x != Guid.Empty).ToList(),
                Guid.TryParse(form["ownerUserId"], out var owner) ? owner : null,
                form["responsibleUnitIds"].Select(v => Guid.TryParse(v, out var x) ? x : Guid.Empty).Where(x => x != Guid.Empty).ToList());
            var outcome = PageOutcome.Of(await use.HandleAsync(id, body, me.Staff, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/backlog/{id}?m=listed#members")
                : await CampaignAsync(id, http, db, sp, ct, refused: (outcome, Refusal("list", outcome, form)));
        });

        g.MapPost("/backlog/{id:guid}/members/{memberId:guid}/{step}", async (Guid id, Guid memberId, string step, HttpContext http, XinfangDb db, IServiceProvider sp, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            int? version = int.TryParse(form["__version"], out var v) ? v : null;
            IResult? result = step switch
            {
                "report" => await sp.GetRequiredService<ReportResolution>().HandleAsync(id, memberId,
                    new ReportRequest(form["summary"], form["evidence"], form["attachmentIds"].Select(a => Guid.TryParse(a, out var x) ? x : Guid.Empty).Where(x => x != Guid.Empty).ToList()),
                    me.Staff, version, ct),
                "audit" => await sp.GetRequiredService<AuditResolution>().HandleAsync(id, memberId,
                    new AuditRequest(form["approve"].ToString() switch { "true" => true, "false" => false, _ => null }, form["reasons"]), me.Staff, version, ct),
                "recheck" => await sp.GetRequiredService<RecheckMember>().HandleAsync(id, memberId,
                    new RecheckRequest(string.IsNullOrEmpty(form["result"]) ? null : form["result"].ToString(), form["note"]), me.Staff, version, ct),
                _ => null,
            };
            if (result is null) return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "积案化解", Error = "页面不存在" }, 404);
            var outcome = PageOutcome.Of(result);
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/backlog/{id}?m={step}#member-{memberId:N}")
                : await CampaignAsync(id, http, db, sp, ct, refused: (outcome, Refusal($"{step}-{memberId:N}", outcome, form)));
        });
    }

    static string? Flash(string? m) => m switch
    {
        "created" => "专项工作已建立。请在“候选事项”中选择积案并指定责任人。",
        "listed" => "已列入积案，并已通知责任人。",
        "report" => "已上报化解，等待审核。",
        "audit" => "审核结果已记录，并已通知责任人。",
        "recheck" => "回头看结果已记录。",
        _ => null,
    };

    static FormRefusal Refusal(string form, PageOutcome outcome, IFormCollection values) =>
        new(form, outcome.Error, outcome.Errors, values.Where(v => !v.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(v => v.Key, v => v.Value.ToString()));

    static async Task<IResult> IndexAsync(HttpContext http, XinfangDb db, ListCampaigns campaigns, ListRechecks rechecks, CancellationToken ct,
        string? message = null, (PageOutcome Outcome, FormRefusal Refusal)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!BacklogAccess.IsReader(me.Staff)) return WorkbenchPages.Forbidden(me);
        var list = await campaigns.PageAsync(me.Staff, null, ListCampaigns.MaxLimit, ct);
        var due = await rechecks.ListAsync(me.Staff, true, null, 100, ct);
        var units = me.Staff.HasAny(BacklogAccess.Organisers)
            ? await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(me.Staff.Unit.Path)).OrderBy(u => u.Path).Take(500).Select(u => new OwnerChoice(u.Id, u.Name, "")).ToListAsync(ct)
            : [];
        return WorkbenchPages.Page<BacklogIndexPage>(new
        {
            Me = me, Campaigns = list.Items, Today = ChinaTime.DateOf(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()), Due = due, Units = units, Message = message, Refusal = refused?.Refusal,
        }, refused?.Outcome.Status ?? 200);
    }

    static async Task<IResult> CampaignAsync(Guid id, HttpContext http, XinfangDb db, IServiceProvider sp, CancellationToken ct,
        string? message = null, (PageOutcome Outcome, FormRefusal Refusal)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!BacklogAccess.IsReader(me.Staff)) return WorkbenchPages.Forbidden(me);
        if (await BacklogAccess.ReachAsync(db, me.Staff, id, ct) is not { } reach
            || await sp.GetRequiredService<GetCampaign>().ViewAsync(id, me.Staff, ct) is not { } view)
            return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "积案化解", Error = "该专项工作不存在，或不在本单位管辖范围内。" }, 404);
        var organises = reach.WholeCampaign && me.Staff.HasAny(BacklogAccess.Organisers);
        var candidates = organises ? await sp.GetRequiredService<FindCandidates>().ListAsync(reach.Campaign, me.Staff, ct) : null;
        var members = await sp.GetRequiredService<MemberLedger>().PageAsync(reach, me.Staff, null, ListCampaigns.MaxLimit, ct);
        var owners = organises ? await OwnersAsync(db, reach.Unit.Path, ct) : [];
        var units = organises
            ? await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(reach.Unit.Path)).OrderBy(u => u.Path).Take(500).Select(u => new OwnerChoice(u.Id, u.Name, "")).ToListAsync(ct)
            : [];
        return WorkbenchPages.Page<BacklogCampaignPage>(new
        {
            Me = me, Campaign = view, Candidates = candidates, Members = members, Owners = owners, Units = units,
            Today = ChinaTime.DateOf(sp.GetRequiredService<TimeProvider>().GetUtcNow()), Message = message, Refusal = refused?.Refusal,
        }, refused?.Outcome.Status ?? 200);
    }

    /// <summary>Handlers (caseworkers, leaders, supervisors) of the campaign unit's subtree, by unit then name.</summary>
    static async Task<IReadOnlyList<OwnerChoice>> OwnersAsync(XinfangDb db, string path, CancellationToken ct)
    {
        var roles = new[] { RoleNames.Of(Role.Caseworker), RoleNames.Of(Role.UnitLeader), RoleNames.Of(Role.Supervisor) };
        var rows = await (from u in db.Users
                          join unit in db.Units on u.UnitId equals unit.Id
                          where unit.Path.StartsWith(path)
                                && (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id && roles.Contains(r.Name!) select ur).Any()
                          orderby unit.Path, u.DisplayName
                          select new OwnerChoice(u.Id, u.DisplayName, unit.Name)).Take(500).ToListAsync(ct);
        return rows;
    }
}
