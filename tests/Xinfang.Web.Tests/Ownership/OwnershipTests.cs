using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Ownership;

/// <summary>
/// 领导包案 (Art. 18, domain.md "Supervision and accountability") over HTTP: a unit leader or supervisor names one
/// owning leader or two (双包案: the territory's and the department's) among the unit leaders who see the matter;
/// the owner writes the plan (一案一策, versioned), marks steps done, reports progress and records the outcome
/// (三到位一处理), which closes the ownership. Each change is an annotation on the matter's timeline with its audit
/// row; each named leader gets a notice; the leader's own list shows the matters with their clocks.
/// </summary>
public abstract class OwnershipTests(XinfangFactory factory)
{
    /// <summary>Accounts of this class beyond <see cref="World"/>'s: the county government's leader (属地), a supervisor, and others.</summary>
    sealed class Cast
    {
        public (Infrastructure.Api Api, Guid Id) CountyLeader, Supervisor, LabourLeader, OtherLeader, BureauLeader;
        public Guid Leader, Worker;
    }

    static readonly ConditionalWeakTable<XinfangFactory, Task<Cast>> Casts = new();

    async Task<(World W, Cast C)> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        var c = await Casts.GetValue(factory, _ => CastAsync(w));
        await w.SetClockAsync("2026-04-01T10:00:00+08:00");
        return (w, c);
    }

    static async Task<Cast> CastAsync(World w)
    {
        // Accounts are stamped by the server's clock; the real one keeps their passwords fresh for the pages.
        await w.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("O"));
        var users = (await w.Admin.GetAsync("/api/v1/users?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Guid IdOf(string name) => Guid.Parse(users.Single(u => u!["userName"]!.ToString() == name)!["id"]!.ToString());
        return new Cast
        {
            CountyLeader = await UserAsync(w, "county-leader", "昆山市副市长", w.County, "unitLeader"),
            Supervisor = await UserAsync(w, "bureau-supervisor", "督查员甲", w.CountyBureau, "supervisor"),
            LabourLeader = await UserAsync(w, "labour-leader", "人社局长", w.CountyLabour, "unitLeader"),
            OtherLeader = await UserAsync(w, "other-leader", "太仓信访局长", w.OtherCountyBureau, "unitLeader"),
            BureauLeader = await UserAsync(w, "bureau-leader", "昆山信访局长", w.CountyBureau, "unitLeader"),
            Leader = IdOf("leader"),
            Worker = IdOf("worker"),
        };
    }

    static async Task<(Infrastructure.Api, Guid)> UserAsync(World w, string userName, string displayName, Guid unit, params string[] roles)
    {
        var created = (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName, unitId = unit, roles })).Expect(HttpStatusCode.Created);
        return (await Infrastructure.Api.LoginAsync(w.Factory, userName, World.Password), Guid.Parse(created["id"]));
    }

    /// <summary>A matter registered at the county bureau and forwarded to the county housing bureau (so its leader sees it).</summary>
    static async Task<string> ForwardedAsync(World w, string title)
    {
        var id = Id(await w.RegisterAsync(body: Petition(title)));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        return id;
    }

    static object Leaders(params (Guid UserId, string Capacity)[] leaders) =>
        new { leaders = leaders.Select(l => new { userId = l.UserId, capacity = l.Capacity }).ToArray(), note = "重点疑难信访事项" };

    static async Task<JsonNode> AssignAsync(Infrastructure.Api by, string petitionId, HttpStatusCode expected, params (Guid, string)[] leaders) =>
        (await by.PostAsync($"/api/v1/petitions/{petitionId}/ownership", Leaders(leaders))).Expect(expected).Json;

    async Task<List<(string Action, string? Detail)>> AuditOfAsync(string petitionId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        return (await db.AuditEntries.AsNoTracking().Where(a => a.TargetId == petitionId).OrderBy(a => a.Sequence).Select(a => new { a.Action, a.Detail }).ToListAsync())
            .Select(a => (a.Action, a.Detail)).ToList();
    }

    async Task<int> NoticesAsync(Guid userId, string petitionId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var pid = Guid.Parse(petitionId);
        return await db.Notifications.AsNoTracking().CountAsync(n => n.RecipientUserId == userId && n.PetitionId == pid && n.Kind == "ownership");
    }

    static async Task<IReadOnlyList<string>> TimelineAsync(Infrastructure.Api api, string petitionId) =>
        (await api.GetAsync($"/api/v1/petitions/{petitionId}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(e => e!["action"]!.ToString()).ToList();

    [Fact]
    public async Task Assigning_one_leader_then_two_records_timeline_notices_and_audit_and_keeps_one_ownership()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案：拆迁安置久拖未决");

        var response = await c.CountyLeader.Api.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.CountyLeader.Id, "territory")));
        var one = response.Expect(HttpStatusCode.Created).Json;
        response.Location.ShouldBe($"/api/v1/ownerships/{one["id"]}");
        response.ETag.ShouldBe("\"1\"");
        one["status"]!.ToString().ShouldBe("active");
        one["leaders"]!.AsArray().Single()!["capacity"]!.ToString().ShouldBe("territory");
        one["leaders"]![0]!["name"]!.ToString().ShouldBe("昆山市副市长");
        one["note"]!.ToString().ShouldBe("重点疑难信访事项");
        (await NoticesAsync(c.CountyLeader.Id, id)).ShouldBe(1);

        // 双包案: the supervisor adds the department's leader; the ownership stays the same one.
        var two = await AssignAsync(c.Supervisor.Api, id, HttpStatusCode.OK, (c.CountyLeader.Id, "territory"), (c.Leader, "department"));
        two["id"]!.ToString().ShouldBe(one["id"]!.ToString());
        two["leaders"]!.AsArray().Select(l => l!["capacity"]!.ToString()).ShouldBe(["territory", "department"]);
        two["version"]!.GetValue<int>().ShouldBe(2);
        (await NoticesAsync(c.Leader, id)).ShouldBe(1);
        (await NoticesAsync(c.CountyLeader.Id, id)).ShouldBe(1); // still owns: not told again
        // The same leaders again: nothing to change.
        (await c.Supervisor.Api.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.CountyLeader.Id, "territory"), (c.Leader, "department"))))
            .Status.ShouldBe(HttpStatusCode.Conflict);

        // Re-assigning to the department's leader alone releases the territory's, who stays on record.
        var reassigned = await AssignAsync(c.Supervisor.Api, id, HttpStatusCode.OK, (c.Leader, "department"));
        reassigned["leaders"]!.AsArray().Single()!["userId"]!.ToString().ShouldBe(c.Leader.ToString());
        reassigned["formerLeaders"]!.AsArray().Single()!["userId"]!.ToString().ShouldBe(c.CountyLeader.Id.ToString());
        (await NoticesAsync(c.CountyLeader.Id, id)).ShouldBe(2); // told of the release

        var timeline = await TimelineAsync(w.Clerk, id);
        timeline.Count(a => a == "ownership-assign").ShouldBe(3);
        var events = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var first = events.First(e => e!["action"]!.ToString() == "ownership-assign")!;
        first["note"]!.ToString().ShouldContain("昆山市副市长（属地）");
        first["data"]!["ownershipId"]!.ToString().ShouldBe(one["id"]!.ToString());
        first["toStatus"]!.ToString().ShouldBe("forwarded"); // an annotation, not a step
        (await AuditOfAsync(id)).Count(a => a.Action == "petition.ownershipAssign").ShouldBe(3);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["status"]!.ToString().ShouldBe("forwarded");
    }

    [Fact]
    public async Task Assigning_three_duplicates_non_leaders_or_the_wrong_capacity_is_refused_with_field_errors()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案：企业欠薪");
        var by = c.CountyLeader.Api;

        var three = await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.CountyLeader.Id, "territory"), (c.Leader, "department"), (c.BureauLeader.Id, "department"));
        three["errors"]!["leaders"].ShouldNotBeNull();
        (await AssignAsync(by, id, HttpStatusCode.BadRequest)).ToJsonString().ShouldContain("leaders");
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.Leader, "department"), (c.Leader, "territory")))["errors"]!["leaders"]![0]!.ToString().ShouldContain("重复");
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.Leader, "department"), (c.BureauLeader.Id, "department")))["errors"]!["leaders"]![0]!.ToString().ShouldContain("属地领导和部门领导各一名");
        // A caseworker is no leader; a leader of a unit that does not see the matter may not own it.
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.Worker, "department")))["errors"]!["leaders[0].userId"].ShouldNotBeNull();
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.LabourLeader.Id, "department")))["errors"]!["leaders[0].userId"].ShouldNotBeNull();
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (Guid.NewGuid(), "department")))["errors"]!["leaders[0].userId"].ShouldNotBeNull();
        // A department's leader is not the territory's, nor the other way round.
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.Leader, "territory")))["errors"]!["leaders[0].capacity"].ShouldNotBeNull();
        (await AssignAsync(by, id, HttpStatusCode.BadRequest, (c.CountyLeader.Id, "department")))["errors"]!["leaders[0].capacity"].ShouldNotBeNull();

        // Outside the jurisdiction the matter does not exist; a role that does not assign is refused.
        var outside = await c.OtherLeader.Api.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.OtherLeader.Id, "department")));
        outside.Status.ShouldBe(HttpStatusCode.NotFound);
        outside.ProblemType.ShouldBe("/problems/not-found");
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.CountyLeader.Id, "territory")))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.CountyLeader.Id, "territory")))).Status.ShouldBe(HttpStatusCode.Forbidden);

        // A leader recused from the matter (Art. 28 ¶3) cannot own it.
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = "与被反映企业负责人系亲属" })).Expect(HttpStatusCode.Created);
        var recused = await c.CountyLeader.Api.PostAsync($"/api/v1/petitions/{id}/ownership", Leaders((c.Leader, "department")));
        recused.Status.ShouldBe(HttpStatusCode.Conflict);
        recused.ProblemType.ShouldBe("/problems/leader-recused");

        // Nothing of it reached the matter.
        (await TimelineAsync(w.Clerk, id)).ShouldNotContain("ownership-assign");
        (await w.Clerk.GetAsync("/api/v1/ownerships?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => r!["petitionId"]!.ToString()).ShouldNotContain(id);
    }

    [Fact]
    public async Task Writing_the_plan_with_a_stale_version_answers_412_and_only_an_owner_writes_it()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案：物业费纠纷");
        var o = await AssignAsync(c.CountyLeader.Api, id, HttpStatusCode.Created, (c.Leader, "department"));
        var oid = o["id"]!.ToString();
        var plan = new
        {
            summary = "召开协调会，督促物业公司与业主委员会达成协议",
            steps = new object[]
            {
                new { title = "走访信访人，了解诉求", dueOn = "2026-04-03", responsibleUnitId = w.CountyHousing },
                new { title = "召开协调会", dueOn = "2026-04-15" },
            },
        };

        // Only a current owner writes the plan; other leaders who see the matter are refused, outsiders never find it.
        var notOwner = await c.CountyLeader.Api.PutAsync($"/api/v1/ownerships/{oid}/plan", plan);
        notOwner.Status.ShouldBe(HttpStatusCode.Forbidden);
        notOwner.ProblemType.ShouldBe("/problems/not-owner");
        (await c.OtherLeader.Api.PutAsync($"/api/v1/ownerships/{oid}/plan", plan)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Worker.PutAsync($"/api/v1/ownerships/{oid}/plan", plan)).Status.ShouldBe(HttpStatusCode.Forbidden);

        var stale = await w.Leader.SendAsync(HttpMethod.Put, $"/api/v1/ownerships/{oid}/plan", plan, ("If-Match", "\"7\""));
        stale.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Json["currentVersion"]!.GetValue<int>().ShouldBe(1);
        var saved = await w.Leader.SendAsync(HttpMethod.Put, $"/api/v1/ownerships/{oid}/plan", plan, ("If-Match", "\"1\""));
        saved.Expect(HttpStatusCode.OK);
        saved.ETag.ShouldBe("\"2\"");
        var steps = saved.Json["steps"]!.AsArray();
        steps.Select(s => s!["title"]!.ToString()).ShouldBe(["走访信访人，了解诉求", "召开协调会"]);
        steps[0]!["responsibleUnitName"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        // Another tab that read version 1 is now stale.
        (await w.Leader.SendAsync(HttpMethod.Put, $"/api/v1/ownerships/{oid}/plan", plan, ("If-Match", "\"1\""))).Status.ShouldBe(HttpStatusCode.PreconditionFailed);

        // Invalid plans: no summary, no steps, a due date before the ownership, a unit that does not see the matter.
        var bad = (await w.Leader.PutAsync($"/api/v1/ownerships/{oid}/plan", new { summary = " ", steps = Array.Empty<object>() })).Expect(HttpStatusCode.BadRequest).Json["errors"]!;
        bad["summary"].ShouldNotBeNull();
        bad["steps"].ShouldNotBeNull();
        var early = (await w.Leader.PutAsync($"/api/v1/ownerships/{oid}/plan", new { summary = "方案", steps = new[] { new { title = "x", dueOn = "2026-03-01", responsibleUnitId = w.OtherCountyBureau } } }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!;
        early["steps[0].dueOn"].ShouldNotBeNull();
        early["steps[0].responsibleUnitId"].ShouldNotBeNull();

        // A step done; it cannot be done twice, nor dropped from the plan.
        var stepId = steps[0]!["id"]!.ToString();
        var done = (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/plan/steps/{stepId}/done", new { note = "已走访，信访人诉求明确" })).Expect(HttpStatusCode.OK).Json;
        done["stepsDone"]!.GetValue<int>().ShouldBe(1);
        done["nextStep"]!["title"]!.ToString().ShouldBe("召开协调会");
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/plan/steps/{stepId}/done", new { note = "again" })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/plan/steps/{Guid.NewGuid()}/done", new { })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Leader.PutAsync($"/api/v1/ownerships/{oid}/plan", new { summary = "新方案", steps = new[] { new { title = "只留一步", dueOn = "2026-04-20" } } }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["steps"]![0]!.ToString().ShouldContain("已完成");
        // Rewritten keeping the done step by its id.
        var rewritten = (await w.Leader.PutAsync($"/api/v1/ownerships/{oid}/plan", new
        {
            summary = "新方案",
            steps = new object[] { new { id = stepId, title = "走访信访人", dueOn = "2026-04-03" }, new { title = "签订调解协议", dueOn = "2026-04-20" } },
        })).Expect(HttpStatusCode.OK).Json;
        rewritten["steps"]![0]!["doneAt"].ShouldNotBeNull();
        rewritten["stepsTotal"]!.GetValue<int>().ShouldBe(2);

        (await TimelineAsync(w.Clerk, id)).Count(a => a == "ownership-plan").ShouldBe(3);
        (await AuditOfAsync(id)).Count(a => a.Action == "petition.ownershipPlan").ShouldBe(3);
    }

    [Fact]
    public async Task Recording_progress_then_the_outcome_closes_the_ownership_and_nothing_more_is_written()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案：征地补偿标准争议");
        var oid = (await AssignAsync(c.Supervisor.Api, id, HttpStatusCode.Created, (c.CountyLeader.Id, "territory"), (c.Leader, "department")))["id"]!.ToString();

        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = " " })).Expect(HttpStatusCode.BadRequest).Json["errors"]!["text"].ShouldNotBeNull();
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "明天的会", at = "2026-04-02T09:00:00+08:00" }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["at"].ShouldNotBeNull();
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "包案以前的事", at = "2026-04-01T09:30:00+08:00" }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["at"].ShouldNotBeNull();
        (await w.Worker.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "承办人代写" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await c.OtherLeader.Api.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "外地" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await c.CountyLeader.Api.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "约见信访人，听取诉求" })).Expect(HttpStatusCode.OK);
        var progress = (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "召开联席会议，明确补偿依据" })).Expect(HttpStatusCode.OK).Json["progress"]!.AsArray();
        progress.Select(x => x!["text"]!.ToString()).ShouldBe(["召开联席会议，明确补偿依据", "约见信访人，听取诉求"], ignoreOrder: true);
        progress.Select(x => x!["byName"]!.ToString()).ShouldBe(["leader", "昆山市副市长"], ignoreOrder: true);

        // 三到位一处理: at least one part in place, each part in place saying what was done, and a summary.
        var none = (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/outcome", new { summary = "已化解" })).Expect(HttpStatusCode.BadRequest).Json["errors"]!;
        none["outcome"].ShouldNotBeNull();
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/outcome", new { resolved = new { achieved = true }, summary = "已化解" }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["resolved.note"].ShouldNotBeNull();
        var closed = (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/outcome", new
        {
            resolved = new { achieved = true, note = "按政策补足补偿款" },
            counselled = new { achieved = true, note = "对超出政策部分耐心解释" },
            relieved = new { achieved = false },
            handledByLaw = new { achieved = false },
            summary = "信访人签字息诉罢访",
        })).Expect(HttpStatusCode.OK).Json;
        closed["status"]!.ToString().ShouldBe("closed");
        closed["outcome"]!["resolved"]!["achieved"]!.GetValue<bool>().ShouldBeTrue();
        closed["outcome"]!["relieved"]!["achieved"]!.GetValue<bool>().ShouldBeFalse();
        closed["outcome"]!["summary"]!.ToString().ShouldBe("信访人签字息诉罢访");

        // Closed: nothing more is written to it; a new ownership may start.
        (await w.Leader.PostAsync($"/api/v1/ownerships/{oid}/progress", new { text = "结案后" })).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/ownership-ended");
        (await c.Supervisor.Api.PostAsync($"/api/v1/ownerships/{oid}/release", new { note = "x" })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await w.Clerk.GetAsync($"/api/v1/ownerships/{oid}")).Expect(HttpStatusCode.OK).Json["status"]!.ToString().ShouldBe("closed");

        var timeline = await TimelineAsync(w.Clerk, id);
        timeline.Count(a => a == "ownership-progress").ShouldBe(2);
        timeline.Last().ShouldBe("ownership-outcome");
        var audit = await AuditOfAsync(id);
        audit.Count(a => a.Action == "petition.ownershipProgress").ShouldBe(2);
        audit.Count(a => a.Action == "petition.ownershipOutcome").ShouldBe(1);
        // The portal never shows the offices' internal record to the petitioner.
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["status"]!.ToString().ShouldBe("forwarded");
    }

    [Fact]
    public async Task Releasing_an_ownership_needs_a_reason_and_tells_the_leaders()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案：道路施工噪声");
        var oid = (await AssignAsync(c.BureauLeader.Api, id, HttpStatusCode.Created, (c.Leader, "department")))["id"]!.ToString();
        (await w.Worker.PostAsync($"/api/v1/ownerships/{oid}/release", new { note = "x" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await c.Supervisor.Api.PostAsync($"/api/v1/ownerships/{oid}/release", new { note = "" })).Expect(HttpStatusCode.BadRequest);
        var released = (await c.Supervisor.Api.PostAsync($"/api/v1/ownerships/{oid}/release", new { note = "已转为一般程序办理" })).Expect(HttpStatusCode.OK).Json;
        released["status"]!.ToString().ShouldBe("released");
        released["endNote"]!.ToString().ShouldBe("已转为一般程序办理");
        (await NoticesAsync(c.Leader, id)).ShouldBe(2);
        // A new ownership may start afresh.
        var again = await AssignAsync(c.BureauLeader.Api, id, HttpStatusCode.Created, (c.Leader, "department"));
        again["id"]!.ToString().ShouldNotBe(oid);
        (await TimelineAsync(w.Clerk, id)).Count(a => a == "ownership-assign").ShouldBe(3);
    }

    [Fact]
    public async Task Leader_sees_own_ownerships_with_clocks_next_and_overdue_steps_in_the_list_and_on_the_page()
    {
        var (w, c) = await WorldAsync();
        var first = await ForwardedAsync(w, "包案台账一：供暖不达标");
        var second = await ForwardedAsync(w, "包案台账二：学区划分争议");
        var notMine = await ForwardedAsync(w, "包案台账三：出租车营运证");
        var o1 = (await AssignAsync(c.CountyLeader.Api, first, HttpStatusCode.Created, (c.Leader, "department")))["id"]!.ToString();
        var o2 = (await AssignAsync(c.CountyLeader.Api, second, HttpStatusCode.Created, (c.CountyLeader.Id, "territory"), (c.Leader, "department")))["id"]!.ToString();
        var o3 = (await AssignAsync(c.CountyLeader.Api, notMine, HttpStatusCode.Created, (c.CountyLeader.Id, "territory")))["id"]!.ToString();
        (await w.Leader.PutAsync($"/api/v1/ownerships/{o1}/plan", new
        {
            summary = "协调供热公司整改",
            steps = new[] { new { title = "现场测温", dueOn = "2026-04-01" }, new { title = "督促整改", dueOn = "2026-04-30" } },
        })).Expect(HttpStatusCode.OK);

        var mine = (await w.Leader.GetAsync($"/api/v1/ownerships?leaderId={c.Leader}&status=active&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var ids = mine.Select(r => r!["id"]!.ToString()).ToList();
        ids.ShouldContain(o1);
        ids.ShouldContain(o2);
        ids.ShouldNotContain(o3);
        ids.IndexOf(o2).ShouldBeLessThan(ids.IndexOf(o1)); // newest first
        var row = mine.Single(r => r!["id"]!.ToString() == o1)!;
        row["petitionId"]!.ToString().ShouldBe(first);
        row["title"]!.ToString().ShouldBe("包案台账一：供暖不达标");
        row["number"]!.ToString().ShouldNotBeNullOrEmpty();
        row["clocks"]!.AsArray().ShouldNotBeEmpty();
        row["clocks"]![0]!["dueOn"].ShouldNotBeNull();
        row["stepsTotal"]!.GetValue<int>().ShouldBe(2);
        row["nextStep"]!["title"]!.ToString().ShouldBe("现场测温");
        row["assignedOn"]!.ToString().ShouldBe("2026-04-01");

        // Pages of one (all assigned at the same instant: the id breaks the tie) walk the whole ledger in its order.
        var all = (await w.Leader.GetAsync($"/api/v1/ownerships?leaderId={c.Leader}&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => r!["id"]!.ToString()).ToList();
        var walked = new List<string>();
        string? cursor = null;
        do
        {
            var page1 = (await w.Leader.GetAsync($"/api/v1/ownerships?leaderId={c.Leader}&limit=1" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).Expect(HttpStatusCode.OK).Json;
            walked.AddRange(page1["items"]!.AsArray().Select(r => r!["id"]!.ToString()));
            cursor = page1["nextCursor"]?.ToString();
        } while (cursor is not null && walked.Count <= all.Count);
        walked.ShouldBe(all);
        var one = await w.Leader.GetAsync($"/api/v1/ownerships/{o1}");
        one.ETag.ShouldBe($"\"{one.Json["version"]}\"");
        (await w.Leader.GetAsync("/api/v1/ownerships?cursor=%%%")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Leader.GetAsync("/api/v1/ownerships?status=finished")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Leader.GetAsync($"/api/v1/ownerships?unitId={w.OtherCounty}")).Status.ShouldBe(HttpStatusCode.NotFound);
        // The other county sees none of it.
        (await c.OtherLeader.Api.GetAsync("/api/v1/ownerships?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => r!["id"]!.ToString()).ShouldNotContain(o1);
        (await c.OtherLeader.Api.GetAsync($"/api/v1/ownerships/{o1}")).Status.ShouldBe(HttpStatusCode.NotFound);

        // A day later the first step is overdue.
        await w.SetClockAsync("2026-04-02T10:00:00+08:00");
        var later = (await w.Leader.GetAsync($"/api/v1/ownerships/{o1}")).Expect(HttpStatusCode.OK).Json;
        later["overdueSteps"]!.GetValue<int>().ShouldBe(1);
        later["nextStep"]!["overdue"]!.GetValue<bool>().ShouldBeTrue();

        // 我的包案: the leader's page shows the matter, its clock badge and the overdue step.
        var pages = await PageClient.SignInAsync(factory, "leader");
        var page = (await pages.GetAsync("/staff/ownership")).Expect(HttpStatusCode.OK);
        var mineTable = page.Doc.QuerySelector("section[aria-labelledby=mine] table")!;
        var line = mineTable.QuerySelectorAll("tbody tr").Single(tr => tr.TextContent.Contains("包案台账一：供暖不达标"));
        line.QuerySelector(".badge")!.TextContent.ShouldContain("到期");
        line.TextContent.ShouldContain("逾期步骤 1 个");
        line.TextContent.ShouldContain("现场测温");
        mineTable.TextContent.ShouldNotContain("包案台账三：出租车营运证");
        page.Doc.QuerySelector("header nav")!.TextContent.ShouldContain("我的包案");
        var detail = (await pages.GetAsync($"/staff/ownership/{o1}")).Expect(HttpStatusCode.OK);
        detail.Doc.QuerySelector("form[action$='/plan']").ShouldNotBeNull();
        detail.Doc.QuerySelector("form[action$='/progress']").ShouldNotBeNull();
        detail.Doc.QuerySelector("form[action$='/outcome']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Pages_assign_write_the_plan_and_progress_and_a_stale_page_is_told_so()
    {
        var (w, c) = await WorldAsync();
        var id = await ForwardedAsync(w, "包案页面：老旧小区加装电梯");
        var pages = await PageClient.SignInAsync(factory, "bureau-leader");
        var petitionPage = (await pages.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        petitionPage.Doc.QuerySelector($"a[href='/staff/ownership/petition/{id}']").ShouldNotBeNull();
        var assignPage = (await pages.GetAsync($"/staff/ownership/petition/{id}")).Expect(HttpStatusCode.OK);
        assignPage.Doc.QuerySelectorAll("#assign-department option").Select(o => o.GetAttribute("value")).ShouldContain(c.Leader.ToString());
        assignPage.Doc.QuerySelectorAll("#assign-territory option").Select(o => o.GetAttribute("value")).ShouldContain(c.CountyLeader.Id.ToString());
        var none = await pages.PostAsync($"/staff/ownership/petition/{id}", new() { ["note"] = "x" });
        none.Status.ShouldBe(HttpStatusCode.BadRequest);
        none.FieldError("leaders").ShouldNotBeNull();
        var assigned = await pages.PostAsync($"/staff/ownership/petition/{id}", new() { ["department"] = c.Leader.ToString(), ["note"] = "局长包案" });
        assigned.Status.ShouldBe(HttpStatusCode.Redirect);
        var oid = assigned.Location!.Split('/', '?')[3];

        var leader = await PageClient.SignInAsync(factory, "leader");
        var detail = (await leader.GetAsync($"/staff/ownership/{oid}")).Expect(HttpStatusCode.OK);
        var version = detail.Doc.QuerySelector("form[action$='/plan'] input[name=__version]")!.GetAttribute("value")!;
        var plan = await leader.PostAsync($"/staff/ownership/{oid}/plan", new()
        {
            ["__version"] = version, ["summary"] = "争取加装电梯补贴", ["steps[0].title"] = "征求业主意见", ["steps[0].dueOn"] = "2026-04-10",
            ["steps[0].responsibleUnitId"] = w.CountyHousing.ToString(), ["steps[1].title"] = "", ["steps[1].dueOn"] = "",
        });
        plan.Status.ShouldBe(HttpStatusCode.Redirect);
        // The same page posted again carries the old version: refused in words, the form keeps what was typed.
        var stale = await leader.PostAsync($"/staff/ownership/{oid}/plan", new() { ["__version"] = version, ["summary"] = "另一方案", ["steps[0].title"] = "x", ["steps[0].dueOn"] = "2026-04-10" });
        stale.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Alert.ShouldContain("已被他人修改");
        var progress = await leader.PostAsync($"/staff/ownership/{oid}/progress", new() { ["text"] = "与业主代表座谈", ["at"] = "2026-04-01T10:00" });
        progress.Status.ShouldBe(HttpStatusCode.Redirect);
        var after = (await leader.GetAsync(progress.Location!)).Expect(HttpStatusCode.OK);
        after.Notice.ShouldContain("进展已记录");
        after.Doc.QuerySelector("ol.plan-steps")!.TextContent.ShouldContain("征求业主意见");
        after.Doc.QuerySelector("ol.progress-notes")!.TextContent.ShouldContain("与业主代表座谈");
        // The matter's page shows the annotations on its timeline.
        var timeline = (await leader.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK).Doc.QuerySelector("ol.timeline")!.TextContent;
        timeline.ShouldContain("领导包案");
        timeline.ShouldContain("包案方案");
        timeline.ShouldContain("包案进展");
    }
}

public sealed class OwnershipTests_Sqlite(SqliteFactory f) : OwnershipTests(f), IClassFixture<SqliteFactory>;
public sealed class OwnershipTests_Postgres(PostgresFactory f) : OwnershipTests(f), IClassFixture<PostgresFactory>;
