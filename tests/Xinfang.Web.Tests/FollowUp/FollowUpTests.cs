using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.FollowUp;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// 回访 and satisfaction over HTTP: the follow-up tasks of replied matters (GET /api/v1/follow-ups?due=true), a
/// follow-up with the petitioner's stated satisfaction (POST /api/v1/petitions/{id}/follow-ups), and the rule staff
/// and the portal share — one rating per matter per stage, only after an answer, within 30 days of its delivery.
/// </summary>
public abstract class FollowUpTests(XinfangFactory factory)
{
    /// <summary>A claim registered at the county bureau, forwarded to county housing, accepted there and (optionally) replied to on <paramref name="day"/>.</summary>
    static async Task<(string Id, string Number, string QueryCode)> MatterAsync(World w, string day, bool reply = true)
    {
        await w.SetClockAsync($"{day}T10:00:00+08:00");
        var p = await w.RegisterAsync(body: Petition("回访测试事项"));
        var id = Id(p);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "转住建局" })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        if (reply) (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "support", text = "予以支持。", deliveredOn = day })).Expect(HttpStatusCode.OK);
        return (id, p["number"]!.ToString(), p["queryCode"]!.ToString());
    }

    static async Task<List<string>> DueAsync(Api api) =>
        (await api.GetAsync("/api/v1/follow-ups?due=true&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(i => i!["petitionId"]!.ToString()).ToList();

    static async Task WaitForStatusAsync(Api api, string id, string status)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await api.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["status"]!.ToString() == status) return;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"{id} did not become {status}");
    }

    static async Task<List<string>> ActionsAsync(Api api, string id) =>
        (await api.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(e => e!["action"]!.ToString()).ToList();

    static Task<Reply> PortalRateAsync(World w, string number, string code, string rating = "basicallySatisfied") =>
        w.Clerk.PostAsync($"/api/v1/public/petitions/{number}/rating", new { queryCode = code, rating, comment = "态度很好" });

    static object Call(string? satisfaction = "satisfied", bool reached = true) =>
        new { channel = "phone", result = "电话联系信访人，告知处理结果，信访人表示理解。", reachedPetitioner = reached, satisfaction };

    [Fact]
    public async Task Recording_a_follow_up_with_satisfaction_after_a_reply_takes_the_matter_off_the_due_list_and_leaves_follow_up_and_rating_on_its_timeline()
    {
        var w = await World.OfAsync(factory);
        var (id, number, _) = await MatterAsync(w, "2026-06-01");
        var task = (await w.Worker.GetAsync("/api/v1/follow-ups?due=true&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(i => i!["petitionId"]!.ToString() == id)!;
        task["stage"]!.ToString().ShouldBe("reply");
        task["answeredOn"]!.ToString().ShouldBe("2026-06-01");
        task["ratingOpenUntil"]!.ToString().ShouldBe("2026-07-01");
        task["decidingUnitName"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        (await DueAsync(w.Clerk)).ShouldContain(id); // the bureau that received it follows its matters too
        (await DueAsync(w.OtherClerk)).ShouldNotContain(id);

        await w.SetClockAsync("2026-06-08T10:00:00+08:00");
        var recorded = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call())).Expect(HttpStatusCode.Created).Json;
        recorded["number"]!.ToString().ShouldBe(number);
        recorded["satisfactionName"]!.ToString().ShouldBe("满意");

        (await DueAsync(w.Worker)).ShouldNotContain(id);
        (await w.Worker.GetAsync("/api/v1/follow-ups?due=false&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(i => i!["petitionId"]!.ToString() == id)!["rated"]!.GetValue<bool>().ShouldBeTrue();
        var actions = await ActionsAsync(w.Worker, id);
        actions.TakeLast(2).ShouldBe(["follow-up", "rating"]);
        var record = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/follow-ups")).Expect(HttpStatusCode.OK).Json;
        record["followUps"]!.AsArray().Single()!["channel"]!.ToString().ShouldBe("phone");
        var rating = record["ratings"]!.AsArray().Single()!;
        rating["level"]!.ToString().ShouldBe("satisfied");
        rating["channel"]!.ToString().ShouldBe("phone");
        rating["recordedByUserId"].ShouldNotBeNull();
        record["ratingOpenUntil"].ShouldBeNull();

        // A second follow-up of the same stage is recorded; a second rating is not, whoever records it.
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call(satisfaction: null))).Expect(HttpStatusCode.Created);
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call("dissatisfied"))).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/already-rated");
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}/follow-ups")).Json["ratings"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Rating_on_the_portal_leaves_a_rating_annotation_and_then_staff_cannot_rate_the_same_stage_and_vice_versa()
    {
        var w = await World.OfAsync(factory);
        var (online, onlineNumber, onlineCode) = await MatterAsync(w, "2026-07-01");
        (await PortalRateAsync(w, onlineNumber, onlineCode)).Expect(HttpStatusCode.Created);
        (await ActionsAsync(w.Worker, online)).Last().ShouldBe("rating");
        (await w.Worker.GetAsync($"/api/v1/petitions/{online}/follow-ups")).Json["ratings"]!.AsArray().Single()!["channelName"]!.ToString().ShouldBe("网上评价");
        (await w.Worker.PostAsync($"/api/v1/petitions/{online}/follow-ups", Call())).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/already-rated");
        // The refused rating left no follow-up behind; one without a rating is still recorded.
        (await w.Worker.GetAsync($"/api/v1/petitions/{online}/follow-ups")).Json["followUps"]!.AsArray().ShouldBeEmpty();
        (await w.Worker.PostAsync($"/api/v1/petitions/{online}/follow-ups", Call(satisfaction: null))).Expect(HttpStatusCode.Created);

        var (called, calledNumber, calledCode) = await MatterAsync(w, "2026-07-02");
        (await w.Worker.PostAsync($"/api/v1/petitions/{called}/follow-ups", Call("basicallySatisfied"))).Expect(HttpStatusCode.Created);
        (await PortalRateAsync(w, calledNumber, calledCode, "dissatisfied")).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/already-rated");
    }

    [Fact]
    public async Task Rating_before_a_reply_or_after_the_thirty_day_window_is_refused_for_staff_and_portal()
    {
        var w = await World.OfAsync(factory);
        var (accepted, acceptedNumber, acceptedCode) = await MatterAsync(w, "2026-08-03", reply: false);
        (await w.Worker.PostAsync($"/api/v1/petitions/{accepted}/follow-ups", Call())).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/follow-up-before-reply");
        (await PortalRateAsync(w, acceptedNumber, acceptedCode)).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/rating-before-reply");
        (await DueAsync(w.Worker)).ShouldNotContain(accepted);

        var (late, lateNumber, lateCode) = await MatterAsync(w, "2026-08-04");
        // Day 30 after delivery is the last day; day 31 is too late. The review window lapsed with it: the sweep closes
        // the matter, and a follow-up racing that step would (rightly) be a concurrent change, so it is awaited.
        await w.SetClockAsync("2026-09-04T10:00:00+08:00");
        await WaitForStatusAsync(w.Worker, late, "closed");
        (await w.Worker.PostAsync($"/api/v1/petitions/{late}/follow-ups", Call())).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/rating-window-lapsed");
        (await PortalRateAsync(w, lateNumber, lateCode)).Expect(HttpStatusCode.Conflict).ProblemType.ShouldBe("/problems/rating-window-lapsed");
        // The follow-up itself is still due and may be recorded without a rating.
        (await DueAsync(w.Worker)).ShouldContain(late);
        (await w.Worker.PostAsync($"/api/v1/petitions/{late}/follow-ups", Call(satisfaction: null, reached: false))).Expect(HttpStatusCode.Created);

        var (onTime, _, _) = await MatterAsync(w, "2026-08-05");
        await w.SetClockAsync("2026-09-04T10:00:00+08:00");
        (await w.Worker.PostAsync($"/api/v1/petitions/{onTime}/follow-ups", Call())).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Recording_a_follow_up_outside_the_jurisdiction_is_404_as_a_reader_403_and_with_a_bad_body_400()
    {
        var w = await World.OfAsync(factory);
        var (id, _, _) = await MatterAsync(w, "2026-10-09");
        (await w.OtherClerk.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call())).Expect(HttpStatusCode.NotFound);
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}/follow-ups")).Expect(HttpStatusCode.NotFound);
        (await w.Analyst.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call())).Expect(HttpStatusCode.Forbidden);
        var supervisor = await UserAsync(w, w.County, "supervisor");
        (await supervisor.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call())).Expect(HttpStatusCode.Forbidden);
        (await supervisor.GetAsync($"/api/v1/petitions/{id}/follow-ups")).Expect(HttpStatusCode.OK);
        (await w.Admin.GetAsync("/api/v1/follow-ups")).Expect(HttpStatusCode.Forbidden);

        var bad = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/follow-ups", new { channel = "fax", result = "", satisfaction = "great" })).Expect(HttpStatusCode.BadRequest).Json["errors"]!.AsObject();
        bad.Select(e => e.Key).ShouldBe(["channel", "result", "reachedPetitioner", "satisfaction"], ignoreOrder: true);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/follow-ups", Call(reached: false))).Expect(HttpStatusCode.BadRequest)
            .Json["errors"]!["satisfaction"]![0]!.ToString().ShouldBe("未联系到信访人，不能记录其满意度");
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}/follow-ups")).Json["followUps"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Follow_up_page_lists_the_due_matter_refuses_a_form_without_result_in_chinese_then_records_it_and_the_petition_page_shows_it()
    {
        var w = await World.OfAsync(factory);
        var (id, number, _) = await MatterAsync(w, "2026-11-02");
        var pages = await PageClient.SignInAsync(factory, "worker");

        var list = (await pages.GetAsync("/staff/follow-ups")).Expect(HttpStatusCode.OK);
        list.Doc.QuerySelector("nav a[href='/staff/follow-ups']")!.TextContent.ShouldBe("回访");
        list.Doc.GetElementById("p-" + id)!.TextContent.ShouldContain(number);

        var refused = (await pages.PostAsync($"/staff/follow-ups/{id}", new() { ["channel"] = "visit", ["reachedPetitioner"] = "true", ["result"] = "", ["satisfaction"] = "satisfied" }))
            .Expect(HttpStatusCode.BadRequest);
        refused.FieldError("result").ShouldBe("请填写回访情况");
        refused.Doc.QuerySelector($"#p-{id} details")!.HasAttribute("open").ShouldBeTrue();

        var done = await pages.PostAsync($"/staff/follow-ups/{id}", new() { ["channel"] = "visit", ["reachedPetitioner"] = "true", ["result"] = "上门走访，信访人认可处理结果。", ["satisfaction"] = "satisfied" });
        done.Status.ShouldBe(HttpStatusCode.Redirect);
        (await pages.GetAsync(done.Location!)).Expect(HttpStatusCode.OK).Doc.GetElementById("p-" + id).ShouldBeNull();

        var petition = (await pages.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        var section = petition.Doc.GetElementById("follow-up-section")!.TextContent;
        section.ShouldContain("上门回访");
        section.ShouldContain("上门走访，信访人认可处理结果。");
        section.ShouldContain("满意");
        petition.Doc.QuerySelector("ol.timeline")!.TextContent.ShouldContain("满意（答复，上门回访）");
    }
}

public sealed class FollowUpTests_Sqlite(SqliteFactory f) : FollowUpTests(f), IClassFixture<SqliteFactory>;
public sealed class FollowUpTests_Postgres(PostgresFactory f) : FollowUpTests(f), IClassFixture<PostgresFactory>;
