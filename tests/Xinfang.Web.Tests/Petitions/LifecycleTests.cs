using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Petitions;

/// <summary>The two example chains of a matter, end to end over HTTP under the controllable clock.</summary>
public abstract class LifecycleTests(XinfangFactory factory)
{
    [Fact]
    public async Task Replied_matter_closes_by_itself_when_its_review_window_lapses()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var p = await w.RegisterAsync();
        var id = p["id"]!.ToString();
        p["status"]!.ToString().ShouldBe("registered");
        p["number"]!.ToString().ShouldStartWith("320583-2025-");
        p["queryCode"]!.ToString().Length.ShouldBeGreaterThanOrEqualTo(10);
        // 15 days from 20 September end on 5 October, inside the National Day holiday: rolled to 9 October.
        Clock(p, "dispose")["dueOn"]!.ToString().ShouldBe("2025-10-09");

        var forwarded = (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK).Json;
        forwarded["status"]!.ToString().ShouldBe("forwarded");
        Clock(forwarded, "notify")["dueOn"]!.ToString().ShouldBe("2025-10-09");
        Clock(forwarded, "objection")["dueOn"]!.ToString().ShouldBe("2025-09-26");

        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var accepted = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK).Json;
        accepted["status"]!.ToString().ShouldBe("accepted");
        Clock(accepted, "handle")["dueOn"]!.ToString().ShouldBe("2025-11-21");
        accepted["clocks"]!.AsArray().Count.ShouldBe(1);

        await w.SetClockAsync("2025-10-20T15:00:00+08:00");
        var replied = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply",
            new { decision = "support", text = "经核查，责令开发商于年底前交房。", deliveredOn = "2025-10-20" })).Expect(HttpStatusCode.OK).Json;
        replied["status"]!.ToString().ShouldBe("replied");
        Clock(replied, "reviewRequest")["dueOn"]!.ToString().ShouldBe("2025-11-19");

        // The window is still open on its last day: closing by hand is refused.
        await w.SetClockAsync("2025-11-19T20:00:00+08:00");
        var early = await w.Worker.PostAsync($"/api/v1/petitions/{id}/close", new { note = "办结" });
        early.Status.ShouldBe(HttpStatusCode.Conflict);
        early.ProblemType.ShouldBe("/problems/window-still-open");

        await w.SetClockAsync("2025-11-20T09:00:00+08:00");
        var closed = await WaitForStatusAsync(w.Worker, id, "closed");
        closed["clocks"]!.AsArray().Count.ShouldBe(0);
        var events = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        events.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "forward", "accept", "reply", "close"]);
        events[^1]!["actorKind"]!.ToString().ShouldBe("system");
        events.Select(e => (int)e!["sequence"]!).ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task Matter_made_final_by_re_review_is_not_accepted_again_when_petitioned_anew()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-03-03T10:00:00+08:00");
        var body = World.Petition(b =>
        {
            b["petitioners"]![0]!["phone"] = "13800000001";
            b["content"] = "诉求：请求查处锦绣华庭物业公司擅自提高停车费。事实：物业断水断电催缴。理由：收费未经业主大会同意。";
        }, idNumber: ValidId("32058319900101123"), title: "锦绣华庭物业乱收费");
        var p = await w.RegisterAsync(body: body);
        var id = p["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/assign", new { unitId = w.CountyHousing, reportDueOn = "2025-05-30", note = "交办" })).Expect(HttpStatusCode.OK)
            .Json["clocks"]!.AsArray().Select(c => c!["name"]!.ToString()).ShouldContain("report");
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        await w.SetClockAsync("2025-04-10T10:00:00+08:00");
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "notSupport", text = "收费符合物业合同约定。", deliveredOn = "2025-04-10" })).Expect(HttpStatusCode.OK);

        // Review by the level above: the county housing bureau's functional superior.
        var bodies = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/review-bodies")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        bodies.Select(b => Guid.Parse(b!["id"]!.ToString())).ShouldBe([w.County, w.CityHousing], ignoreOrder: true);
        await w.SetClockAsync("2025-04-20T10:00:00+08:00");
        var underReview = (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/request-review",
            new { requestedOn = "2025-04-18", reason = "对处理意见不服", unitId = w.CityHousing })).Expect(HttpStatusCode.OK).Json;
        underReview["status"]!.ToString().ShouldBe("underReview");
        Clock(underReview, "review")["dueOn"]!.ToString().ShouldBe("2025-05-19"); // 18 April + 30 = 18 May, a Sunday
        // The county unit no longer holds it: deciding the review is not its step.
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/review-decision", new { decision = "explain", text = "x", deliveredOn = "2025-04-20" }))
            .Status.ShouldBe(HttpStatusCode.Forbidden);
        await w.SetClockAsync("2025-05-12T10:00:00+08:00");
        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/review-decision",
            new { decision = "notSupport", text = "经复查，维持原处理意见。", deliveredOn = "2025-05-12" })).Expect(HttpStatusCode.OK)["status"].ShouldBe("reviewed");

        await w.SetClockAsync("2025-05-20T10:00:00+08:00");
        var underReReview = (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/request-re-review",
            new { requestedOn = "2025-05-20", reason = "对复查意见不服", unitId = w.ProvinceHousing })).Expect(HttpStatusCode.OK).Json;
        Clock(underReReview, "reReview")["dueOn"]!.ToString().ShouldBe("2025-06-19");
        await w.SetClockAsync("2025-06-05T10:00:00+08:00");
        var hearing = (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/hearing", new { startOn = "2025-06-03", endOn = "2025-06-05" })).Expect(HttpStatusCode.OK).Json;
        // Three hearing days do not count (Art. 36): 20 May + 33 days = 22 June, a Sunday → 23 June.
        Clock(hearing, "reReview")["pausedDays"]!.GetValue<int>().ShouldBe(3);
        Clock(hearing, "reReview")["dueOn"]!.ToString().ShouldBe("2025-06-23");
        var final = (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/re-review-decision",
            new { decision = "notSupport", text = "经复核，维持复查意见。本意见为终结意见。", deliveredOn = "2025-06-05" })).Expect(HttpStatusCode.OK).Json;
        final["status"]!.ToString().ShouldBe("final");
        final["clocks"]!.AsArray().Count.ShouldBe(0);
        var afterFinal = await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/close", new { note = "x" });
        afterFinal.Status.ShouldBe(HttpStatusCode.Conflict);
        afterFinal.ProblemType.ShouldBe("/problems/matter-final");

        // The same petitioner on the same facts: registered, linked and flagged — and not accepted again (Art. 36 ¶3).
        await w.SetClockAsync("2025-07-01T10:00:00+08:00");
        var again = await w.RegisterAsync(body: body);
        again["flags"]!["repeat"]!.GetValue<bool>().ShouldBeTrue();
        again["flags"]!["firstTime"]!.GetValue<bool>().ShouldBeFalse();
        again["repeatOf"]!.ToString().ShouldBe(id);
        var againId = again["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{againId}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        var refused = await w.Worker.PostAsync($"/api/v1/petitions/{againId}/accept", new { route = 6 });
        refused.Status.ShouldBe(HttpStatusCode.Conflict);
        refused.ProblemType.ShouldBe("/problems/repeat-of-final");
        refused.MediaType.ShouldBe("application/problem+json");
        refused["title"].ShouldContain("终结");
        refused.Json["repeatOf"]!["number"]!.ToString().ShouldBe(p["number"]!.ToString());
        refused.Json["repeatOf"]!["status"]!.ToString().ShouldBe("final");
        // It can still be declined with reasons, which closes it properly.
        (await w.Worker.PostAsync($"/api/v1/petitions/{againId}/decline", new { reason = "已复核终结，不再受理", redirect = "other" }))
            .Expect(HttpStatusCode.OK)["status"].ShouldBe("declined");
    }

    [Fact]
    public async Task Review_request_made_in_time_but_recorded_after_the_automatic_close_reopens_the_matter()
    {
        var w = await World.OfAsync(factory);
        var id = await RepliedOn3MarchAsync(w, "13800000002", ValidId("32058319800101123"), "翡翠湾小区渗水维修");
        var otherId = await RepliedOn3MarchAsync(w, "13800000003", ValidId("32058319800101124"), "东湖新城供暖不足");
        // Window: 3 March + 30 = 2 April. The sweep closes both matters on 3 April.
        await w.SetClockAsync("2025-04-03T09:00:00+08:00");
        await WaitForStatusAsync(w.Worker, id, "closed");
        await WaitForStatusAsync(w.Worker, otherId, "closed");
        // The letter asking for review arrived on 2 April and is recorded on 7 April: it counts.
        await w.SetClockAsync("2025-04-07T09:00:00+08:00");
        var reopened = (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/request-review",
            new { requestedOn = "2025-04-02", reason = "维修未完成", unitId = w.CityHousing })).Expect(HttpStatusCode.OK).Json;
        reopened["status"]!.ToString().ShouldBe("underReview");
        Clock(reopened, "review")["dueOn"]!.ToString().ShouldBe("2025-05-06"); // 2 April + 30 = 2 May, inside the May Day holiday
        // A request dated after the window stays refused, with the reason.
        var late = await w.CityReviewer.PostAsync($"/api/v1/petitions/{otherId}/request-review", new { requestedOn = "2025-04-03", reason = "不服", unitId = w.CityHousing });
        late.Status.ShouldBe(HttpStatusCode.Conflict);
        late.ProblemType.ShouldBe("/problems/review-window-lapsed");
    }

    static async Task<string> RepliedOn3MarchAsync(World w, string phone, string idNumber, string title)
    {
        await w.SetClockAsync("2025-03-03T10:00:00+08:00");
        var p = await w.RegisterAsync(body: World.Petition(b => b["petitioners"]![0]!["phone"] = phone, idNumber: idNumber, title: title));
        var id = p["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "explain", text = "已处理。", deliveredOn = "2025-03-03" })).Expect(HttpStatusCode.OK);
        return id;
    }

    static JsonNode Clock(JsonNode petition, string name) =>
        petition["clocks"]!.AsArray().FirstOrDefault(c => c!["name"]!.ToString() == name)
        ?? throw new Xunit.Sdk.XunitException($"no clock {name} in {petition["clocks"]}");

    internal static string ValidId(string first17) => first17 + Domain.Petitions.ResidentId.CheckCharacter(first17);

    internal static async Task<JsonNode> WaitForStatusAsync(Infrastructure.Api api, string id, string status, int seconds = 20)
    {
        JsonNode last = null!;
        for (var i = 0; i < seconds * 10; i++)
        {
            last = (await api.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
            if (last["status"]!.ToString() == status) return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"petition {id} stayed {last["status"]} (wanted {status})");
    }
}

public sealed class LifecycleTests_Sqlite(SqliteFactory f) : LifecycleTests(f), IClassFixture<SqliteFactory>;
public sealed class LifecycleTests_Postgres(PostgresFactory f) : LifecycleTests(f), IClassFixture<PostgresFactory>;
