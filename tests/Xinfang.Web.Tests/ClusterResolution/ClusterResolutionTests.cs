using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.ClusterResolution;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// 类案 resolution over HTTP: a lead unit and policy measure set from a cluster (PUT /api/v1/clusters/{key}/resolution),
/// one common reply applied member by member through the ordinary reply step (POST …/batch-reply), and the
/// tracking of the cluster's resolution (GET …/resolution). Each test works in its own month of the controllable
/// clock, so its cluster holds only its own petitions.
/// </summary>
public abstract class ClusterResolutionTests(XinfangFactory factory)
{
    /// <summary>Four petitions about one estate (a made-up name) and four unrelated ones (in a batch of eight, a term of four petitions still names their cluster: CaseClusters.OptionsFor), registered at the county bureau in <paramref name="month"/>.</summary>
    internal static async Task<List<string>> PlantAsync(World w, string month, string estate)
    {
        await w.SetClockAsync($"2026-{month}-20T10:00:00+08:00");
        string[] complaints =
        [
            $"{estate}小区开发商逾期交房两年，业主每月还贷压力巨大，要求{estate}小区尽快交付。",
            $"我是{estate}小区业主，{estate}小区工程停工，开发商逾期交房，购房款已付清。",
            $"{estate}小区交房一再延期，开发商失联，{estate}小区业主要求政府督促复工交房。",
            $"反映{estate}小区逾期交房问题：{estate}小区烂尾至今，业主维权无门。",
        ];
        var planted = new List<string>();
        for (var i = 0; i < complaints.Length; i++)
            planted.Add(Id(await w.RegisterAsync(body: Petition($"{estate}小区逾期交房", b => { b["content"] = complaints[i]; b["receivedAt"] = $"2026-{month}-{5 + i:D2}T09:00:00+08:00"; }))));
        (string Title, string Content)[] others =
        [
            ("路灯损坏", "村口的路灯坏了三个月，晚上出行很不安全，请求维修。"),
            ("养老金发放", "退休后养老金迟迟没有到账，社保窗口说系统问题。"),
            ("河道垃圾", "河道里堆满生活垃圾，夏天臭气熏天，无人清理。"),
            ("医保报销", "住院费用医保报销比例与政策不符，多次咨询没有答复。"),
        ];
        foreach (var (title, content) in others)
            await w.RegisterAsync(body: Petition(title, b => { b["content"] = content; b["receivedAt"] = $"2026-{month}-10T09:00:00+08:00"; }));
        return planted;
    }

    /// <summary>The key of the cluster holding <paramref name="member"/>, as the caller lists the county's clusters of the month.</summary>
    internal static async Task<string> KeyAsync(Api api, string month, string member)
    {
        var items = (await api.GetAsync($"/api/v1/clusters?regionCode=320583&from=2026-{month}-01&to=2026-{month}-28")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        return items.Single(c => c!["members"]!.AsArray().Any(m => m!["id"]!.ToString() == member))!["key"]!.ToString();
    }

    internal static async Task ForwardAndAcceptAsync(World w, string id, bool accept = true)
    {
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "转住建局" })).Expect(HttpStatusCode.OK);
        if (accept) (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
    }

    static async Task<List<string>> ActionsAsync(Api api, string id) =>
        (await api.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(e => e!["action"]!.ToString()).ToList();

    static object Reply(IEnumerable<string> ids, string month) =>
        new { petitionIds = ids, decision = "explain", text = "经调查，开发商已重组，县政府协调复工，预计年内交房。", deliveredOn = $"2026-{month}-20" };

    [Fact]
    public async Task Designating_lead_unit_and_measure_annotates_every_member_notifies_the_lead_unit_and_lets_it_track_the_cluster()
    {
        var w = await World.OfAsync(factory);
        var planted = await PlantAsync(w, "02", "翠鸮湾");
        var supervisor = await UserAsync(w, w.City, "supervisor");
        var key = await KeyAsync(supervisor, "02", planted[0]);

        // Before a measure is set: the cluster as the caller sees it, nothing designated.
        var before = (await supervisor.GetAsync($"/api/v1/clusters/{key}/resolution")).Expect(HttpStatusCode.OK).Json;
        before["designated"]!.GetValue<bool>().ShouldBeFalse();
        before["members"]!.AsArray().Select(m => m!["id"]!.ToString()).ShouldBe(planted, ignoreOrder: true);

        var set = (await supervisor.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = "由县住建局牵头，协调开发商复工，统一答复交房时间。" }))
            .Expect(HttpStatusCode.OK).Json;
        set["designated"]!.GetValue<bool>().ShouldBeTrue();
        set["leadUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        set["leadUnitName"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        set["total"]!.GetValue<int>().ShouldBe(4);

        // The lead unit was never sent these matters, yet now reads them all and tracks the cluster from the snapshot.
        var tracked = (await w.Leader.GetAsync($"/api/v1/clusters/{key}/resolution")).Expect(HttpStatusCode.OK).Json;
        tracked["measure"]!.ToString().ShouldStartWith("由县住建局牵头");
        tracked["members"]!.AsArray().Select(m => m!["id"]!.ToString()).ShouldBe(planted, ignoreOrder: true);
        foreach (var id in planted)
        {
            var events = (await w.Leader.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
            var measure = events.Single(e => e!["action"]!.ToString() == "cluster-measure")!;
            measure["targetUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
            measure["note"]!.ToString().ShouldStartWith("由县住建局牵头");
            // An annotation, not a step: the status stays where it was.
            measure["fromStatus"]!.ToString().ShouldBe(measure["toStatus"]!.ToString());
        }

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var notice = await db.Notifications.AsNoTracking().SingleAsync(n => n.RecipientUnitId == w.CountyHousing && n.Kind == "cluster" && n.Link == "/staff/clusters/" + key);
        notice.Title.ShouldContain("类案牵头办理");
        (await db.AuditEntries.AsNoTracking().CountAsync(a => a.Action == "cluster.measureSet" && a.TargetId == key)).ShouldBe(1);
        (await db.AuditEntries.AsNoTracking().CountAsync(a => a.Action == "petition.clusterMeasure" && planted.Contains(a.TargetId!))).ShouldBe(4);
    }

    [Fact]
    public async Task Batch_reply_on_three_members_replies_each_replyable_one_on_its_own_timeline_and_refuses_the_one_not_accepted()
    {
        var w = await World.OfAsync(factory);
        var planted = await PlantAsync(w, "03", "青鹭台");
        await ForwardAndAcceptAsync(w, planted[0]);
        await ForwardAndAcceptAsync(w, planted[1]);
        await ForwardAndAcceptAsync(w, planted[2], accept: false); // forwarded, not yet accepted: no reply allowed
        var supervisor = await UserAsync(w, w.City, "supervisor");
        var key = await KeyAsync(supervisor, "03", planted[0]);
        (await supervisor.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = "统一政策答复" })).Expect(HttpStatusCode.OK);
        var versions = new Dictionary<string, int>();
        foreach (var id in planted[..2]) versions[id] = (await w.Leader.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<int>();

        var result = (await w.Leader.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply(planted[..3], "03"))).Expect(HttpStatusCode.OK).Json;
        result["replied"]!.GetValue<int>().ShouldBe(2);
        result["refused"]!.GetValue<int>().ShouldBe(1);
        var items = result["items"]!.AsArray().ToDictionary(i => i!["petitionId"]!.ToString(), i => i!);
        items[planted[0]]!["outcome"]!.ToString().ShouldBe("replied");
        items[planted[1]]!["outcome"]!.ToString().ShouldBe("replied");
        items[planted[2]]!["outcome"]!.ToString().ShouldBe("refused");
        items[planted[2]]!["problem"]!["type"]!.ToString().ShouldBe("/problems/action-not-allowed");
        items[planted[2]]!["number"]!.ToString().ShouldStartWith("320583-");

        foreach (var id in planted[..2])
        {
            var p = (await w.Leader.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
            p["status"]!.ToString().ShouldBe("replied");
            // Its own step: one version further than before (its own concurrency), its own reply event and clocks.
            p["version"]!.GetValue<int>().ShouldBe(versions[id] + 1);
            p["clocks"]!.AsArray().Select(c => c!["name"]!.ToString()).ShouldContain("reviewRequest");
            (await ActionsAsync(w.Leader, id)).Count(a => a == "reply").ShouldBe(1);
        }
        (await ActionsAsync(w.Leader, planted[2])).ShouldNotContain("reply");
        (await w.Leader.GetAsync($"/api/v1/petitions/{planted[2]}")).Json["status"]!.ToString().ShouldBe("forwarded");

        // Tracking: two of four answered.
        var tracked = (await w.Leader.GetAsync($"/api/v1/clusters/{key}/resolution")).Expect(HttpStatusCode.OK).Json;
        tracked["total"]!.GetValue<int>().ShouldBe(4);
        tracked["replied"]!.GetValue<int>().ShouldBe(2);
        tracked["closed"]!.GetValue<int>().ShouldBe(0);
        tracked["resolved"]!.GetValue<int>().ShouldBe(2);
        tracked["resolutionShare"]!.GetValue<double>().ShouldBe(0.5);
        tracked["members"]!.AsArray().Single(m => m!["id"]!.ToString() == planted[0])!["statusName"]!.ToString().ShouldBe("已答复");

        // A member not of the cluster is refused by itself; the same reply again is refused by the workflow.
        var stranger = Id(await w.RegisterAsync(body: Petition("路灯损坏", b => b["content"] = "村口的路灯坏了三个月，请求维修。")));
        var again = (await w.Leader.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply([planted[0], stranger], "03"))).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        again.Select(i => i!["problem"]!["type"]!.ToString()).ShouldBe(["/problems/action-not-allowed", "/problems/not-cluster-member"]);
        (await ActionsAsync(w.Leader, planted[0])).Count(a => a == "reply").ShouldBe(1);
    }

    [Fact]
    public async Task Two_batch_replies_at_once_reply_each_member_exactly_once()
    {
        var w = await World.OfAsync(factory);
        var planted = await PlantAsync(w, "04", "白鹇湖");
        foreach (var id in planted[..3]) await ForwardAndAcceptAsync(w, id);
        var supervisor = await UserAsync(w, w.City, "supervisor");
        var key = await KeyAsync(supervisor, "04", planted[0]);
        (await supervisor.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = "统一政策答复" })).Expect(HttpStatusCode.OK);

        var both = await Task.WhenAll(
            w.Leader.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply(planted[..3], "04")),
            w.Worker.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply(planted[..3].AsEnumerable().Reverse(), "04")));
        var outcomes = both.SelectMany(r => r.Expect(HttpStatusCode.OK).Json["items"]!.AsArray()).ToList();
        foreach (var id in planted[..3])
        {
            outcomes.Count(o => o!["petitionId"]!.ToString() == id && o["outcome"]!.ToString() == "replied").ShouldBe(1, id);
            (await ActionsAsync(w.Leader, id)).Count(a => a == "reply").ShouldBe(1);
        }
    }

    [Fact]
    public async Task Designating_or_replying_as_a_wrong_role_outside_the_jurisdiction_or_with_a_lead_unit_outside_the_subtree_is_refused()
    {
        var w = await World.OfAsync(factory);
        var planted = await PlantAsync(w, "05", "紫鹬坪");
        await ForwardAndAcceptAsync(w, planted[0]);
        var supervisor = await UserAsync(w, w.City, "supervisor");
        var key = await KeyAsync(supervisor, "05", planted[0]);
        var body = new { leadUnitId = w.CountyHousing, measure = "统一政策答复" };

        // Roles: caseworkers, clerks and analysts do not set measures; supervisors do not write opinions.
        (await w.Worker.PutAsync($"/api/v1/clusters/{key}/resolution", body)).Expect(HttpStatusCode.Forbidden);
        (await w.Clerk.PutAsync($"/api/v1/clusters/{key}/resolution", body)).Expect(HttpStatusCode.Forbidden);
        (await w.Analyst.PutAsync($"/api/v1/clusters/{key}/resolution", body)).Expect(HttpStatusCode.Forbidden);
        (await supervisor.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply([planted[0]], "05"))).Expect(HttpStatusCode.Forbidden);
        (await w.Admin.GetAsync($"/api/v1/clusters/{key}/resolution")).Expect(HttpStatusCode.Forbidden);

        // Jurisdiction: the other county sees no such cluster.
        var otherLeader = await UserAsync(w, w.OtherCounty, "unitLeader", "caseworker");
        (await otherLeader.GetAsync($"/api/v1/clusters/{key}/resolution")).Expect(HttpStatusCode.NotFound);
        (await otherLeader.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.OtherCountyBureau, measure = "越权" })).Expect(HttpStatusCode.NotFound);
        (await otherLeader.PostAsync($"/api/v1/clusters/{key}/batch-reply", Reply([planted[0]], "05"))).Expect(HttpStatusCode.NotFound);
        (await supervisor.GetAsync("/api/v1/clusters/all_20260501_20260528_" + Guid.NewGuid().ToString("N") + "/resolution")).Expect(HttpStatusCode.NotFound);

        // The lead unit is the designator's own or below; members must be the cluster's.
        var countyLeader = await UserAsync(w, w.County, "unitLeader");
        var outside = (await countyLeader.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CityHousing, measure = "上级牵头" })).Expect(HttpStatusCode.BadRequest);
        outside.Json["errors"]!["leadUnitId"]![0]!.ToString().ShouldBe("牵头单位应为本单位或本单位的下级单位");
        (await countyLeader.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = "x", memberIds = new[] { Guid.NewGuid() } }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["memberIds"].ShouldNotBeNull();
        (await countyLeader.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = " " }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["measure"].ShouldNotBeNull();
        // A chosen subset is what the resolution tracks.
        (await countyLeader.PutAsync($"/api/v1/clusters/{key}/resolution", new { leadUnitId = w.CountyHousing, measure = "县政府牵头", memberIds = planted[..2] }))
            .Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>().ShouldBe(2);
        (await w.Leader.PostAsync($"/api/v1/clusters/{key}/batch-reply", new { petitionIds = new[] { planted[0] }, decision = "maybe", text = "", deliveredOn = (string?)null }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["decision", "text", "deliveredOn"], ignoreOrder: true);
    }

    [Fact]
    public async Task Cluster_page_forms_refuse_in_chinese_then_set_the_measure_and_reply_to_the_ticked_members()
    {
        var w = await World.OfAsync(factory);
        var planted = await PlantAsync(w, "06", "苍鹭洲");
        foreach (var id in planted[..2]) await ForwardAndAcceptAsync(w, id);
        var userName = "sup-" + Guid.NewGuid().ToString("N")[..8];
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = w.City, roles = new[] { "supervisor" } }))
            .Expect(HttpStatusCode.Created);
        var key = await KeyAsync(w.Clerk, "06", planted[0]);
        var url = "/staff/clusters/" + key;

        var supervisor = await PageClient.SignInAsync(factory, userName);
        var page = (await supervisor.GetAsync(url)).Expect(HttpStatusCode.OK);
        page.Doc.GetElementById("resolution-section")!.TextContent.ShouldContain("尚未确定牵头单位和政策措施");
        page.Doc.GetElementById("batch-section").ShouldBeNull(); // supervisors do not write opinions
        var refused = (await supervisor.PostAsync(url + "/resolution", new() { ["leadUnitId"] = "", ["measure"] = "统一答复" })).Expect(HttpStatusCode.BadRequest);
        refused.FieldError("leadUnitId").ShouldBe("请选择牵头单位");
        var set = await supervisor.PostAsync(url + "/resolution", new() { ["leadUnitId"] = w.CountyHousing.ToString(), ["measure"] = "协调复工，统一答复。" });
        set.Status.ShouldBe(HttpStatusCode.Redirect);
        (await supervisor.GetAsync(set.Location!)).Expect(HttpStatusCode.OK).Notice.ShouldContain("已确定牵头单位和政策措施");

        // The lead unit's leader cannot group the cluster itself: the page comes from the stored resolution.
        var leader = await PageClient.SignInAsync(factory, "leader");
        var lead = (await leader.GetAsync(url)).Expect(HttpStatusCode.OK);
        lead.Doc.QuerySelectorAll("#batch-section input[name=petitionIds]").Select(i => i.GetAttribute("value")).ShouldBe(planted[..2], ignoreOrder: true);
        var none = (await leader.PostAsync(url + "/batch-reply", new() { ["decision"] = "explain", ["text"] = "协调复工，统一答复。", ["deliveredOn"] = "2026-06-20" }))
            .Expect(HttpStatusCode.BadRequest);
        none.FieldError("petitionIds").ShouldBe("请选择要答复的事项");
        var replied = await leader.PostAsync(url + "/batch-reply", new()
        {
            ["petitionIds"] = planted[0], ["decision"] = "explain", ["text"] = "协调复工，统一答复。", ["deliveredOn"] = "2026-06-20",
        });
        replied.Expect(HttpStatusCode.OK).Notice.ShouldContain("已答复 1 件");
        replied.Doc.GetElementById("resolution-section")!.TextContent.ShouldContain("共 4 件，已答复 1 件，已办结 0 件，化解率 25%");
        (await leader.GetAsync("/staff/clusters/all_20260601_20260628_" + Guid.NewGuid().ToString("N"))).Expect(HttpStatusCode.NotFound);
    }
}

public sealed class ClusterResolutionTests_Sqlite(SqliteFactory f) : ClusterResolutionTests(f), IClassFixture<SqliteFactory>;
public sealed class ClusterResolutionTests_Postgres(PostgresFactory f) : ClusterResolutionTests(f), IClassFixture<PostgresFactory>;
