using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Backlog;

/// <summary>
/// 积案化解 campaigns over HTTP (domain.md, "Supervision and accountability"; issue #5): a county supervisor defines
/// a campaign, finds its candidates, lists them with an owner; the owner reports the resolution with evidence; a
/// supervisor audits it — struck off or sent back with reasons; 90 days later (by the controllable clock) the
/// re-check finds it stable, or relapsed and listed again; the campaign's 积案化解率 follows every step.
/// </summary>
public abstract class BacklogTests(XinfangFactory factory)
{
    const string Campaigns = "/api/v1/backlog-campaigns";

    sealed record Cast(World W, Infrastructure.Api Supervisor, Infrastructure.Api Auditor, Infrastructure.Api Leader, Infrastructure.Api OutsideSupervisor, Guid WorkerId);

    async Task<Cast> CastAsync(string now = "2026-03-02T10:00:00+08:00")
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync(now);
        var users = (await w.Admin.GetAsync("/api/v1/users?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var worker = Guid.Parse(users.Single(u => u!["userName"]!.ToString() == "worker")!["id"]!.ToString());
        return new Cast(w, await UserAsync(w, w.County, "supervisor"), await UserAsync(w, w.County, "supervisor"),
            await UserAsync(w, w.County, "unitLeader"), await UserAsync(w, w.OtherCounty, "supervisor"), worker);
    }

    static async Task<(long StruckOff, long Listed)> DashboardBacklogAsync(Cast c)
    {
        var f = (await c.Supervisor.GetAsync("/api/v1/measures?from=2026-03-01&to=2026-06-30")).Expect(HttpStatusCode.OK).Json["figures"]!["backlogResolution"]!;
        return (f["numerator"]!.GetValue<long>(), f["denominator"]!.GetValue<long>());
    }

    static object Criteria(int? minRepeats = null, int? openLongerThanDays = null, bool? petitioningAfterFinal = null) =>
        new { minRepeats, openLongerThanDays, petitioningAfterFinal };

    static async Task<string> CampaignAsync(Cast c, object criteria, string name = "2026年信访积案化解专项工作", string startsOn = "2026-03-01", string endsOn = "2026-06-30")
    {
        var r = (await c.Supervisor.PostAsync(Campaigns, new { name, unitId = c.W.County, startsOn, endsOn, criteria })).Expect(HttpStatusCode.Created);
        r.Location.ShouldBe($"{Campaigns}/{r["id"]}");
        return r["id"];
    }

    static async Task<string> RegisterAsync(World w, string title, string? receivedAt = null, string? repeatOf = null) =>
        Id(await w.RegisterAsync(body: Petition(title, b =>
        {
            if (receivedAt is not null) b["receivedAt"] = receivedAt;
            if (repeatOf is not null) b["repeatOf"] = repeatOf;
        })));

    static async Task<JsonArray> ListAsync(Cast c, string campaign, params string[] petitionIds)
    {
        var r = (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds, ownerUserId = c.WorkerId })).Expect(HttpStatusCode.Created);
        return r.Json["items"]!.AsArray();
    }

    static string Member(JsonArray items, string petitionId) =>
        items.Single(i => i!["petitionId"]!.ToString() == petitionId)!["memberId"]!.ToString();

    static async Task<JsonNode> ProgressAsync(Infrastructure.Api by, string campaign) =>
        (await by.GetAsync($"{Campaigns}/{campaign}")).Expect(HttpStatusCode.OK).Json["progress"]!;

    static async Task<IReadOnlyList<string>> ActionsAsync(World w, string petitionId) =>
        (await w.Clerk.GetAsync($"/api/v1/petitions/{petitionId}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(e => e!["action"]!.ToString()).ToList();

    [Fact]
    public async Task Campaign_goes_from_candidates_to_listing_report_audit_strike_off_and_after_90_days_a_stable_recheck()
    {
        var c = await CastAsync();
        var w = c.W;
        var old = await RegisterAsync(w, "拆迁补偿款长期未兑付", receivedAt: "2025-11-20T09:00:00+08:00");
        var repeated = await RegisterAsync(w, "小区违建久拖未拆");
        await RegisterAsync(w, "小区违建久拖未拆（再次来访）", repeatOf: repeated);
        await RegisterAsync(w, "小区违建久拖未拆（第三次来访）", repeatOf: repeated);
        var fresh = await RegisterAsync(w, "路灯不亮");
        var dashboardBefore = await DashboardBacklogAsync(c);
        var campaign = await CampaignAsync(c, Criteria(minRepeats: 2, openLongerThanDays: 60));

        // Candidates: the matter open for 102 days and the one repeated twice; not the fresh one.
        var candidates = (await c.Supervisor.GetAsync($"{Campaigns}/{campaign}/candidates")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var byId = candidates.ToDictionary(x => x!["petitionId"]!.ToString());
        byId[old]!["reasons"]!.AsArray().Select(r => r!.ToString()).ShouldBe(["openTooLong"]);
        byId[old]!["daysOpen"]!.GetValue<int>().ShouldBe(102);
        byId[repeated]!["reasons"]!.AsArray().Select(r => r!.ToString()).ShouldBe(["repeats"]);
        byId[repeated]!["repeats"]!.GetValue<int>().ShouldBe(2);
        byId.ShouldNotContainKey(fresh);

        // Listing: one member each, owner and default responsible unit, flag and timeline, gone from the candidates.
        var items = await ListAsync(c, campaign, old, repeated);
        items.Count.ShouldBe(2);
        items[0]!["status"]!.ToString().ShouldBe("listed");
        items[0]!["ownerName"]!.ToString().ShouldBe("worker");
        items[0]!["responsibleUnitIds"]!.AsArray().Select(u => Guid.Parse(u!.ToString())).ShouldBe([w.CountyBureau]);
        var memberId = Member(items, old);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{old}")).Expect(HttpStatusCode.OK).Json["flags"]!["backlog"]!.GetValue<bool>().ShouldBeTrue();
        (await ActionsAsync(w, old)).ShouldBe(["register", "backlog-list"]);
        (await c.Supervisor.GetAsync($"{Campaigns}/{campaign}/candidates")).Json["items"]!.AsArray()
            .Select(x => x!["petitionId"]!.ToString()).ShouldNotContain(old);
        var listedAgain = await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = new[] { old }, ownerUserId = c.WorkerId });
        listedAgain.Status.ShouldBe(HttpStatusCode.Conflict);
        listedAgain.ProblemType.ShouldBe("/problems/backlog-already-listed");

        // The owner (a county housing caseworker) now reaches the campaign, their members and the matter itself.
        var owned = (await w.Worker.GetAsync($"{Campaigns}/{campaign}")).Expect(HttpStatusCode.OK).Json;
        owned["wholeCampaign"]!.GetValue<bool>().ShouldBeFalse();
        (await w.Worker.GetAsync($"/api/v1/petitions/{old}")).Expect(HttpStatusCode.OK);
        (await w.Worker.GetAsync($"{Campaigns}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(x => x!["id"]!.ToString()).ShouldContain(campaign);

        // 上报化解 → 审核 → 销号.
        var reported = (await w.Worker.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/report",
            new { summary = "已协调县财政足额兑付补偿款", evidence = "兑付凭证及信访人签字确认书" })).Expect(HttpStatusCode.OK);
        reported["status"].ShouldBe("reported");
        reported.ETag.ShouldBe("\"1\"");
        (await ProgressAsync(c.Supervisor, campaign))["reported"]!.GetValue<int>().ShouldBe(1);
        var struck = (await c.Auditor.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/audit", new { approve = true, reasons = "材料齐全，信访人表示满意" }))
            .Expect(HttpStatusCode.OK).Json;
        struck["status"]!.ToString().ShouldBe("struckOff");
        struck["recheckDueOn"]!.ToString().ShouldBe("2026-05-31");
        (await w.Clerk.GetAsync($"/api/v1/petitions/{old}")).Json["flags"]!["backlog"]!.GetValue<bool>().ShouldBeFalse();
        var progress = await ProgressAsync(c.Supervisor, campaign);
        progress["listed"]!.GetValue<int>().ShouldBe(2);
        progress["struckOff"]!.GetValue<int>().ShouldBe(1);
        progress["reported"]!.GetValue<int>().ShouldBe(0);
        progress["resolutionRate"]!.GetValue<double>().ShouldBe(0.5);
        // The dashboard's 积案化解率 for the campaign unit counts the same: one more struck off, two more listed.
        var dashboardAfter = await DashboardBacklogAsync(c);
        (dashboardAfter.StruckOff - dashboardBefore.StruckOff, dashboardAfter.Listed - dashboardBefore.Listed).ShouldBe((1L, 2L));

        // 回头看: refused before its day, listed as pending but not due; on its day, due and recorded.
        var early = await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/recheck", new { result = "stable" });
        early.Status.ShouldBe(HttpStatusCode.Conflict);
        early.ProblemType.ShouldBe("/problems/backlog-recheck-not-due");
        (await c.Supervisor.GetAsync($"{Campaigns}/rechecks?due=true&campaignId={campaign}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().ShouldBeEmpty();
        (await c.Supervisor.GetAsync($"{Campaigns}/rechecks?campaignId={campaign}")).Json["items"]!.AsArray()
            .Select(x => x!["member"]!["memberId"]!.ToString()).ShouldBe([memberId]);
        await w.SetClockAsync("2026-05-30T23:00:00+08:00");
        (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/recheck", new { result = "stable" })).Status.ShouldBe(HttpStatusCode.Conflict);
        await w.SetClockAsync("2026-05-31T09:00:00+08:00");
        var due = (await c.Supervisor.GetAsync($"{Campaigns}/rechecks?due=true&campaignId={campaign}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        due.Select(x => x!["member"]!["memberId"]!.ToString()).ShouldBe([memberId]);
        (await ProgressAsync(c.Supervisor, campaign))["rechecksDue"]!.GetValue<int>().ShouldBe(1);
        var stable = (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/recheck", new { result = "stable", note = "回访信访人，未再信访" }))
            .Expect(HttpStatusCode.OK).Json;
        stable["status"]!.ToString().ShouldBe("struckOff");
        stable["recheckResult"]!.ToString().ShouldBe("stable");
        (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members/{memberId}/recheck", new { result = "stable" })).ProblemType.ShouldBe("/problems/backlog-already-rechecked");
        (await c.Supervisor.GetAsync($"{Campaigns}/rechecks?due=true&campaignId={campaign}")).Json["items"]!.AsArray().ShouldBeEmpty();

        (await ActionsAsync(w, old)).ShouldBe(["register", "backlog-list", "backlog-report", "backlog-audit", "backlog-strike-off", "backlog-recheck"]);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var notices = await db.Notifications.AsNoTracking().Where(n => n.PetitionId == Guid.Parse(old) && n.Kind == "backlog").ToListAsync();
        notices.Select(n => n.Title).ShouldBe(["积案列入：" + Number(notices), "积案上报化解待审核：" + Number(notices), "积案已销号：" + Number(notices), "积案回头看稳定：" + Number(notices)], ignoreOrder: true);
        notices.Where(n => n.Title.StartsWith("积案上报", StringComparison.Ordinal)).Single().RecipientUnitId.ShouldBe(w.County);
        notices.Where(n => !n.Title.StartsWith("积案上报", StringComparison.Ordinal)).ShouldAllBe(n => n.RecipientUserId == c.WorkerId);
        var audited = await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == old).Select(a => a.Action).ToListAsync();
        audited.ShouldContain("petition.backlogStrikeOff");
        audited.ShouldContain("petition.backlogRecheck");
        (await db.AuditEntries.AsNoTracking().CountAsync(a => a.Action == "backlog.campaign.created" && a.TargetId == campaign)).ShouldBe(1);
    }

    static string Number(IReadOnlyList<Notifications.Notification> notices) => notices[0].Title.Split('：')[1];

    [Fact]
    public async Task Matter_listed_in_two_campaigns_stays_a_backlog_case_until_both_strike_it_off()
    {
        var c = await CastAsync();
        var w = c.W;
        var old = await RegisterAsync(w, "征地补偿标准争议多年未解决", receivedAt: "2025-11-20T09:00:00+08:00");
        var first = await CampaignAsync(c, Criteria(minRepeats: 2, openLongerThanDays: 60));
        var second = await CampaignAsync(c, Criteria(minRepeats: 2, openLongerThanDays: 60));
        var inFirst = Member(await ListAsync(c, first, old), old);
        var inSecond = Member(await ListAsync(c, second, old), old);
        async Task StrikeOffAsync(string campaign, string member)
        {
            (await w.Worker.PostAsync($"{Campaigns}/{campaign}/members/{member}/report", new { summary = "已按新标准补足补偿款", evidence = "补偿协议及签收单" })).Expect(HttpStatusCode.OK);
            (await c.Auditor.PostAsync($"{Campaigns}/{campaign}/members/{member}/audit", new { approve = true, reasons = "材料齐全" })).Expect(HttpStatusCode.OK);
        }
        async Task<bool> FlaggedAsync() => (await w.Clerk.GetAsync($"/api/v1/petitions/{old}")).Expect(HttpStatusCode.OK).Json["flags"]!["backlog"]!.GetValue<bool>();

        await StrikeOffAsync(first, inFirst);
        (await FlaggedAsync()).ShouldBeTrue(); // the second campaign still lists it
        await StrikeOffAsync(second, inSecond);
        (await FlaggedAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task Audit_refusing_a_report_sends_it_back_with_reasons_and_the_owner_reports_again()
    {
        var c = await CastAsync();
        var p = await RegisterAsync(c.W, "企业拖欠农民工工资", receivedAt: "2025-10-01T09:00:00+08:00");
        var campaign = await CampaignAsync(c, Criteria(openLongerThanDays: 90), name: "退回测试专项");
        var member = Member(await ListAsync(c, campaign, p), p);
        var report = $"{Campaigns}/{campaign}/members/{member}/report";
        var audit = $"{Campaigns}/{campaign}/members/{member}/audit";
        (await c.W.Worker.PostAsync(report, new { summary = "已督促企业支付", evidence = "支付记录" })).Expect(HttpStatusCode.OK);

        var noReasons = await c.Auditor.PostAsync(audit, new { approve = false, reasons = " " });
        noReasons.Expect(HttpStatusCode.BadRequest).Json["errors"]!["reasons"].ShouldNotBeNull();
        var back = (await c.Auditor.PostAsync(audit, new { approve = false, reasons = "缺少信访人签字确认" })).Expect(HttpStatusCode.OK).Json;
        back["status"]!.ToString().ShouldBe("listed");
        back["returns"]!.GetValue<int>().ShouldBe(1);
        back["auditReasons"]!.ToString().ShouldBe("缺少信访人签字确认");
        var progress = await ProgressAsync(c.Supervisor, campaign);
        progress["sentBack"]!.GetValue<int>().ShouldBe(1);
        progress["struckOff"]!.GetValue<int>().ShouldBe(0);
        progress["resolutionRate"]!.GetValue<double>().ShouldBe(0);
        var events = (await c.W.Clerk.GetAsync($"/api/v1/petitions/{p}/events")).Json["items"]!.AsArray();
        events[^1]!["action"]!.ToString().ShouldBe("backlog-return");
        events[^1]!["note"]!.ToString().ShouldBe("缺少信访人签字确认");
        events[^2]!["action"]!.ToString().ShouldBe("backlog-audit");
        (await c.W.Clerk.GetAsync($"/api/v1/petitions/{p}")).Json["flags"]!["backlog"]!.GetValue<bool>().ShouldBeTrue();

        // Sent back, it is listed again: audit is not open, a new report is.
        (await c.Auditor.PostAsync(audit, new { approve = true })).ProblemType.ShouldBe("/problems/backlog-not-reported");
        (await c.W.Worker.PostAsync(report, new { summary = "已补充材料", evidence = "信访人签字确认书" })).Expect(HttpStatusCode.OK)["status"].ShouldBe("reported");
        // The one who reported does not audit their own report.
        var own = await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members/{member}/audit", new { approve = true });
        own.Status.ShouldBe(HttpStatusCode.OK); // the owner reported, so a supervisor may audit
    }

    [Fact]
    public async Task Recheck_finding_a_relapse_reopens_the_member_counts_it_and_lowers_the_resolution_rate()
    {
        var c = await CastAsync();
        var a = await RegisterAsync(c.W, "征地补偿标准争议", receivedAt: "2025-09-01T09:00:00+08:00");
        var b = await RegisterAsync(c.W, "宅基地确权纠纷", receivedAt: "2025-09-02T09:00:00+08:00");
        var campaign = await CampaignAsync(c, Criteria(openLongerThanDays: 100), name: "反复测试专项");
        var items = await ListAsync(c, campaign, a, b);
        foreach (var p in new[] { a, b })
        {
            var m = Member(items, p);
            // A leader of the campaign's unit may report for the owner; the supervisor audits.
            (await c.Leader.PostAsync($"{Campaigns}/{campaign}/members/{m}/report", new { summary = "化解", evidence = "协议书" })).Expect(HttpStatusCode.OK);
            (await c.Auditor.PostAsync($"{Campaigns}/{campaign}/members/{m}/audit", new { approve = true })).Expect(HttpStatusCode.OK);
        }
        (await ProgressAsync(c.Supervisor, campaign))["resolutionRate"]!.GetValue<double>().ShouldBe(1.0);

        await c.W.SetClockAsync("2026-06-01T10:00:00+08:00");
        var member = Member(items, a);
        var recheck = $"{Campaigns}/{campaign}/members/{member}/recheck";
        (await c.Leader.PostAsync(recheck, new { result = "relapsed" })).Expect(HttpStatusCode.BadRequest).Json["errors"]!["note"].ShouldNotBeNull();
        (await c.Leader.PostAsync(recheck, new { result = "worse", note = "x" })).Expect(HttpStatusCode.BadRequest).Json["errors"]!["result"].ShouldNotBeNull();
        var relapsed = (await c.Leader.PostAsync(recheck, new { result = "relapsed", note = "信访人再次到县信访局反映" })).Expect(HttpStatusCode.OK).Json;
        relapsed["status"]!.ToString().ShouldBe("listed");
        relapsed["relapses"]!.GetValue<int>().ShouldBe(1);
        relapsed["relapsed"]!.GetValue<bool>().ShouldBeTrue();
        relapsed["recheckDueOn"].ShouldBeNull();
        (await c.W.Clerk.GetAsync($"/api/v1/petitions/{a}")).Json["flags"]!["backlog"]!.GetValue<bool>().ShouldBeTrue();

        var progress = await ProgressAsync(c.Supervisor, campaign);
        progress["listed"]!.GetValue<int>().ShouldBe(2);
        progress["struckOff"]!.GetValue<int>().ShouldBe(1);
        progress["relapsed"]!.GetValue<int>().ShouldBe(1);
        progress["resolutionRate"]!.GetValue<double>().ShouldBe(0.5);
        // Listed again, it goes round once more: a report is open, a second re-check is not.
        (await c.Leader.PostAsync(recheck, new { result = "stable" })).ProblemType.ShouldBe("/problems/backlog-not-struck-off");
        (await c.W.Worker.PostAsync($"{Campaigns}/{campaign}/members/{member}/report", new { summary = "再次化解", evidence = "新协议" })).Expect(HttpStatusCode.OK);
        var ledger = (await c.Supervisor.GetAsync($"{Campaigns}/{campaign}/members?status=reported")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        ledger.Select(x => x!["memberId"]!.ToString()).ShouldBe([member]);
    }

    [Fact]
    public async Task Matter_petitioned_again_after_final_closure_is_a_candidate_when_the_campaign_asks_for_it()
    {
        var c = await CastAsync("2025-03-03T10:00:00+08:00");
        var w = c.W;
        var id = await RegisterAsync(w, "物业费收费标准争议");
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "notSupport", text = "符合合同约定。", deliveredOn = "2025-03-03" })).Expect(HttpStatusCode.OK);
        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/request-review", new { requestedOn = "2025-03-03", reason = "不服", unitId = w.CityHousing })).Expect(HttpStatusCode.OK);
        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/review-decision", new { decision = "notSupport", text = "维持。", deliveredOn = "2025-03-03" })).Expect(HttpStatusCode.OK);
        (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/request-re-review", new { requestedOn = "2025-03-03", reason = "不服", unitId = w.ProvinceHousing })).Expect(HttpStatusCode.OK);
        (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/re-review-decision", new { decision = "notSupport", text = "终结。", deliveredOn = "2025-03-03" }))
            .Expect(HttpStatusCode.OK)["status"].ShouldBe("final");
        var quiet = await RegisterAsync(w, "另一件已终结但未再信访的事项");
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        await RegisterAsync(w, "物业费收费标准争议（终结后再次来访）", repeatOf: id);

        var campaign = await CampaignAsync(c, Criteria(petitioningAfterFinal: true), name: "终结后仍信访专项");
        var candidates = (await c.Supervisor.GetAsync($"{Campaigns}/{campaign}/candidates")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var found = candidates.Single(x => x!["petitionId"]!.ToString() == id)!;
        found["reasons"]!.AsArray().Select(r => r!.ToString()).ShouldBe(["afterFinal"]);
        found["status"]!.ToString().ShouldBe("final");
        candidates.Select(x => x!["petitionId"]!.ToString()).ShouldNotContain(quiet);
        // Listed like any other: a final matter takes the annotation though it takes no more steps (Art. 36 ¶3).
        (await ListAsync(c, campaign, id)).Single()!["status"]!.ToString().ShouldBe("listed");
    }

    [Fact]
    public async Task Campaigns_outside_the_jurisdiction_answer_404_wrong_roles_403_and_invalid_requests_400_or_409()
    {
        var c = await CastAsync();
        var w = c.W;
        var p = await RegisterAsync(w, "集贸市场占道经营", receivedAt: "2025-10-10T09:00:00+08:00");
        var outsideMatter = Id(await w.RegisterAsync(w.OtherClerk, Petition("太仓市某小区噪音扰民", b => b["regionCode"] = "320585")));
        var campaign = await CampaignAsync(c, Criteria(openLongerThanDays: 30), name: "权限测试专项");
        var member = Member(await ListAsync(c, campaign, p), p);
        var memberPath = $"{Campaigns}/{campaign}/members/{member}";

        // Outside the jurisdiction (the other county's supervisor): nothing of the campaign exists.
        foreach (var path in new[] { $"{Campaigns}/{campaign}", $"{Campaigns}/{campaign}/members", $"{Campaigns}/{campaign}/candidates" })
            (await c.OutsideSupervisor.GetAsync(path)).Status.ShouldBe(HttpStatusCode.NotFound, path);
        (await c.OutsideSupervisor.PostAsync($"{memberPath}/audit", new { approve = true })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await c.OutsideSupervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = new[] { p }, ownerUserId = c.WorkerId })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await c.OutsideSupervisor.GetAsync(Campaigns)).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(x => x!["id"]!.ToString()).ShouldNotContain(campaign);
        (await c.OutsideSupervisor.GetAsync($"{Campaigns}/rechecks")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().ShouldBeEmpty();
        // A matter outside the caller's jurisdiction is not listed; nor is an unknown campaign or member.
        (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = new[] { outsideMatter }, ownerUserId = c.WorkerId })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await c.Supervisor.GetAsync($"{Campaigns}/{Guid.NewGuid()}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await c.Auditor.PostAsync($"{Campaigns}/{campaign}/members/{Guid.NewGuid()}/audit", new { approve = true })).Status.ShouldBe(HttpStatusCode.NotFound);

        // Wrong roles: an intake clerk reads no campaign; a caseworker neither creates nor lists nor audits; only supervisors audit.
        (await w.Clerk.GetAsync(Campaigns)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Clerk.GetAsync($"{Campaigns}/{campaign}")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Worker.PostAsync(Campaigns, new { name = "x", startsOn = "2026-03-01", endsOn = "2026-03-31", criteria = Criteria(minRepeats: 2) })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Worker.GetAsync($"{Campaigns}/{campaign}/candidates")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Worker.PostAsync($"{memberPath}/audit", new { approve = true })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await c.Leader.PostAsync($"{memberPath}/audit", new { approve = true })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Analyst.PostAsync($"{memberPath}/report", new { summary = "x", evidence = "y" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        // A caseworker of the campaign unit who does not own the member may not report it.
        var stranger = await UserAsync(w, w.County, "caseworker");
        (await stranger.PostAsync($"{memberPath}/report", new { summary = "x", evidence = "y" })).ProblemType.ShouldBe("/problems/backlog-not-owner");

        // Invalid transitions: 409 with a type that says why.
        (await c.Auditor.PostAsync($"{memberPath}/audit", new { approve = true })).ProblemType.ShouldBe("/problems/backlog-not-reported");
        (await c.Supervisor.PostAsync($"{memberPath}/recheck", new { result = "stable" })).ProblemType.ShouldBe("/problems/backlog-not-struck-off");
        (await w.Worker.PostAsync($"{memberPath}/report", new { summary = "化解" })).Expect(HttpStatusCode.BadRequest).Json["errors"]!["evidence"].ShouldNotBeNull();
        (await w.Worker.PostAsync($"{memberPath}/report", new { summary = "化解", evidence = "证明", attachmentIds = new[] { Guid.NewGuid() } }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["attachmentIds"].ShouldNotBeNull();
        (await w.Worker.PostAsync($"{memberPath}/report", new { summary = "化解", evidence = "证明" })).Expect(HttpStatusCode.OK);
        var twice = await w.Worker.PostAsync($"{memberPath}/report", new { summary = "化解", evidence = "证明" });
        twice.Status.ShouldBe(HttpStatusCode.Conflict);
        twice.ProblemType.ShouldBe("/problems/backlog-not-listed");
        (await c.Auditor.PostAsync($"{memberPath}/audit", new { approve = true }, ("If-Match", "\"0\""))).Status.ShouldBe(HttpStatusCode.PreconditionFailed);

        // Validation: 400 with the fields.
        var bad = (await c.Supervisor.PostAsync(Campaigns, new { name = "", startsOn = "2026-03-31", endsOn = "2026-03-01", criteria = new { } })).Expect(HttpStatusCode.BadRequest).Json["errors"]!.AsObject();
        bad.Select(e => e.Key).ShouldBe(["name", "endsOn", "criteria"], ignoreOrder: true);
        (await c.Supervisor.PostAsync(Campaigns, new { name = "x", startsOn = "2026-03-01", endsOn = "2026-03-31", criteria = Criteria(minRepeats: 0) }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["criteria.minRepeats"].ShouldNotBeNull();
        (await c.Supervisor.PostAsync(Campaigns, new { name = "x", unitId = w.OtherCounty, startsOn = "2026-03-01", endsOn = "2026-03-31", criteria = Criteria(minRepeats: 2) }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["unitId"].ShouldNotBeNull();
        (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = Array.Empty<string>(), ownerUserId = Guid.NewGuid() }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["petitionIds", "ownerUserId"], ignoreOrder: true);
        var p2 = await RegisterAsync(w, "农贸市场摊位费纠纷");
        (await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = new[] { p2 }, ownerUserId = c.WorkerId, responsibleUnitIds = new[] { w.OtherCountyBureau } }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["responsibleUnitIds"].ShouldNotBeNull();
        (await w.Worker.PostAsync($"{Campaigns}/{campaign}/members/{member}/report", new { summary = "x" })).Status.ShouldBe(HttpStatusCode.Conflict); // state first: already reported
        (await c.Supervisor.GetAsync($"{Campaigns}?limit=0")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await c.Supervisor.GetAsync($"{Campaigns}?cursor=@@")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await c.Supervisor.GetAsync($"{Campaigns}/{campaign}/members?status=gone")).Status.ShouldBe(HttpStatusCode.BadRequest);

        // After its end a campaign lists nothing more (409); work on its members goes on.
        await w.SetClockAsync("2026-07-01T10:00:00+08:00");
        var ended = await c.Supervisor.PostAsync($"{Campaigns}/{campaign}/members", new { petitionIds = new[] { p2 }, ownerUserId = c.WorkerId });
        ended.Status.ShouldBe(HttpStatusCode.Conflict);
        ended.ProblemType.ShouldBe("/problems/backlog-campaign-ended");
        (await c.Auditor.PostAsync($"{memberPath}/audit", new { approve = true })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Listing_campaigns_pages_by_key_newest_first_with_the_progress_of_each()
    {
        var c = await CastAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await CampaignAsync(c, Criteria(minRepeats: 3), name: $"分页专项{i}"));
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await c.Supervisor.GetAsync($"{Campaigns}?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).Expect(HttpStatusCode.OK).Json;
            page["items"]!.AsArray().Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page["items"]!.AsArray().Select(x => x!["id"]!.ToString()));
            page["items"]!.AsArray().ShouldAllBe(x => x!["progress"] != null);
            cursor = page["nextCursor"]?.ToString();
        } while (cursor is not null);
        seen.Distinct().Count().ShouldBe(seen.Count);
        seen.ShouldBe(seen.Intersect(seen).ToList());
        ids.ShouldAllBe(id => seen.Contains(id));
    }
}

public sealed class BacklogTests_Sqlite(SqliteFactory f) : BacklogTests(f), IClassFixture<SqliteFactory>;
public sealed class BacklogTests_Postgres(PostgresFactory f) : BacklogTests(f), IClassFixture<PostgresFactory>;
