using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>
/// Workflow refusals as a client sees them: 409 with a problem type that says why, 400 naming the field,
/// 403/404 for the wrong unit — and a refused step leaves the matter exactly as it was.
/// </summary>
public abstract class WorkflowRefusalTests(XinfangFactory factory)
{
    /// <summary>Status, version and timeline length, to show a refused step changed nothing.</summary>
    static async Task<(string Status, int Version, int Events)> StateAsync(Api api, string id)
    {
        var p = await api.PetitionAsync(id);
        return (p["status"]!.ToString(), p["version"]!.GetValue<int>(), (await api.EventsAsync(id)).Count);
    }

    static async Task<string> AcceptedByHousingAsync(World w)
    {
        var id = await w.ForwardedToHousingAsync();
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Forwarded and accepted on 22 September 2025, replied on 20 October: the review window runs to 19 November.</summary>
    static async Task<string> RepliedByHousingAsync(World w)
    {
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = await AcceptedByHousingAsync(w);
        await w.SetClockAsync("2025-10-20T15:00:00+08:00");
        var replied = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply",
            new { decision = "support", text = "经核查，责令开发商于年底前交房。", deliveredOn = "2025-10-20" })).Expect(HttpStatusCode.OK).Json;
        replied["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == "reviewRequest")!["dueOn"]!.ToString().ShouldBe("2025-11-19");
        return id;
    }

    [Fact]
    public async Task Reply_on_registered_petition_409_action_not_allowed_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = (await w.RegisterFreshAsync())["id"]!.ToString();
        var before = await StateAsync(w.Clerk, id);

        var r = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "support", text = "同意。", deliveredOn = "2025-09-22" });

        r.ShouldBeProblem(HttpStatusCode.Conflict, "/problems/action-not-allowed");
        (await StateAsync(w.Clerk, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Extend_second_time_409_extension_already_used_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = await AcceptedByHousingAsync(w);
        var handleDue = HandleDue(await w.Worker.PetitionAsync(id));

        var first = (await w.Leader.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 10, reason = "需要现场勘验", approvedBy = "王局长" })).Expect(HttpStatusCode.OK).Json;
        HandleDue(first).ShouldBeGreaterThan(handleDue);
        first["extensionUsed"]!.GetValue<bool>().ShouldBeTrue();
        var before = await StateAsync(w.Worker, id);

        var second = await w.Leader.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 5, reason = "仍需调查", approvedBy = "王局长" });

        second.ShouldBeProblem(HttpStatusCode.Conflict, "/problems/extension-already-used");
        (await StateAsync(w.Worker, id)).ShouldBe(before);
        HandleDue(await w.Worker.PetitionAsync(id)).ShouldBe(HandleDue(first));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Extend_outside_1_to_30_days_400_on_days_and_nothing_changed(int days)
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = await AcceptedByHousingAsync(w);
        var before = await StateAsync(w.Worker, id);

        var r = await w.Leader.PostAsync($"/api/v1/petitions/{id}/extend", new { days, reason = "需要现场勘验", approvedBy = "王局长" });

        r.ShouldNameFields("days");
        (await StateAsync(w.Worker, id)).ShouldBe(before);
        (await w.Worker.PetitionAsync(id))["extensionUsed"]!.GetValue<bool>().ShouldBeFalse();
        // The full 30 days remain available.
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 30, reason = "需要现场勘验", approvedBy = "王局长" })).Expect(HttpStatusCode.OK);
    }

    static DateOnly HandleDue(JsonNode p) =>
        DateOnly.Parse(p["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == "handle")!["dueOn"]!.ToString());

    [Fact]
    public async Task Object_after_five_working_days_409_objection_window_lapsed_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        // Forwarded on Saturday 20 September 2025: the five working days are 22–26 September.
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var inTime = await w.ForwardedToHousingAsync();
        var late = await w.ForwardedToHousingAsync();
        (await w.Worker.PetitionAsync(late))["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == "objection")!["dueOn"]!.ToString().ShouldBe("2025-09-26");

        await w.SetClockAsync("2025-09-26T17:00:00+08:00");
        (await w.Worker.PostAsync($"/api/v1/petitions/{inTime}/object", new { reason = "不属于本单位职权范围" })).Expect(HttpStatusCode.OK)["status"].ShouldBe("registered");

        await w.SetClockAsync("2025-09-29T09:00:00+08:00");
        var before = await StateAsync(w.Worker, late);
        var r = await w.Worker.PostAsync($"/api/v1/petitions/{late}/object", new { reason = "不属于本单位职权范围" });

        r.ShouldBeProblem(HttpStatusCode.Conflict, "/problems/objection-window-lapsed");
        (await StateAsync(w.Worker, late)).ShouldBe(before);
        before.Status.ShouldBe("forwarded");
    }

    [Fact]
    public async Task Request_review_after_30_days_409_review_window_lapsed()
    {
        var w = await World.OfAsync(factory);
        var id = await RepliedByHousingAsync(w);
        await w.SetClockAsync("2025-11-21T09:00:00+08:00");
        await w.Worker.WaitForStatusAsync(id, "closed");
        var before = await StateAsync(w.Worker, id);

        var r = await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/request-review",
            new { requestedOn = "2025-11-21", reason = "对处理意见不服", unitId = w.CityHousing });

        r.ShouldBeProblem(HttpStatusCode.Conflict, "/problems/review-window-lapsed");
        (await StateAsync(w.Worker, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Request_review_after_30_days_409_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        var id = await RepliedByHousingAsync(w);
        await w.SetClockAsync("2025-11-21T09:00:00+08:00");
        await w.Worker.WaitForStatusAsync(id, "closed");
        var before = await StateAsync(w.Worker, id);

        foreach (var by in new[] { w.CityReviewer, w.Worker })
        {
            var r = await by.PostAsync($"/api/v1/petitions/{id}/request-review",
                new { requestedOn = "2025-11-21", reason = "对处理意见不服", unitId = w.CityHousing });
            r.ShouldBeProblem(HttpStatusCode.Conflict);
        }
        (await StateAsync(w.Worker, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Request_review_recorded_by_holding_unit_naming_ineligible_unit_400_review_body_not_eligible()
    {
        var w = await World.OfAsync(factory);
        var id = await RepliedByHousingAsync(w);
        var bodies = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/review-bodies")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        bodies.Select(b => Guid.Parse(b!["id"]!.ToString())).ShouldBe([w.County, w.CityHousing], ignoreOrder: true);
        var before = await StateAsync(w.Worker, id);

        foreach (var unit in new[] { w.CountyLabour, w.OtherCountyBureau, w.CountyHousing, w.ProvinceHousing })
        {
            var r = await w.Worker.PostAsync($"/api/v1/petitions/{id}/request-review",
                new { requestedOn = "2025-10-20", reason = "对处理意见不服", unitId = unit });
            r.ShouldBeProblem(HttpStatusCode.BadRequest, "/problems/review-body-not-eligible");
            r.ShouldNameFields("unitId");
        }
        (await StateAsync(w.Worker, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Request_review_recorded_by_ineligible_unit_naming_itself_404_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        var id = await RepliedByHousingAsync(w);
        var before = await StateAsync(w.Worker, id);

        // The county labour bureau is not the level above the housing bureau: the matter stays invisible to it.
        var r = await w.LabourWorker.PostAsync($"/api/v1/petitions/{id}/request-review",
            new { requestedOn = "2025-10-20", reason = "对处理意见不服", unitId = w.CountyLabour });

        r.ShouldBeProblem(HttpStatusCode.NotFound, "/problems/not-found");
        (await StateAsync(w.Worker, id)).ShouldBe(before);
        (await w.LabourWorker.GetAsync($"/api/v1/petitions/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accept_by_unit_not_holding_the_matter_403_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = await w.ForwardedToHousingAsync();
        var before = await StateAsync(w.Clerk, id);

        // The bureau forwarded it and still sees it (首接首办), but the housing bureau holds it now.
        var r = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 });

        r.ShouldBeProblem(HttpStatusCode.Forbidden);
        (await StateAsync(w.Clerk, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Action_on_petition_outside_jurisdiction_or_unknown_404()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = (await w.RegisterFreshAsync())["id"]!.ToString();
        var before = await StateAsync(w.Clerk, id);

        (await w.OtherClerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.OtherCounty })).ShouldBeProblem(HttpStatusCode.NotFound, "/problems/not-found");
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}/events")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Guid.NewGuid()}/forward", new { unitId = w.CountyHousing })).ShouldBeProblem(HttpStatusCode.NotFound);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await StateAsync(w.Clerk, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Step_with_missing_or_invalid_fields_400_naming_them_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = await w.ForwardedToHousingAsync();
        var before = await StateAsync(w.Worker, id);

        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/decline", new { reason = " ", redirect = "astrology" })).ShouldNameFields("reason", "redirect");
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 7 })).ShouldNameFields("route");
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { })).ShouldNameFields("route");
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/object", new { })).ShouldNameFields("reason");
        (await StateAsync(w.Worker, id)).ShouldBe(before);
    }

    [Theory]
    [InlineData("decline", "reason")]
    [InlineData("withdraw", "reason")]
    [InlineData("accept", "note")]
    [InlineData("extend", "reason")]
    [InlineData("extend", "approvedBy")]
    [InlineData("request-review", "reason")]
    public async Task Step_with_overlong_text_400_naming_the_field_and_nothing_changed(string action, string field)
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = action switch
        {
            "extend" => await AcceptedByHousingAsync(w),
            "request-review" => await RepliedByHousingAsync(w),
            _ => await w.ForwardedToHousingAsync(),
        };
        var before = await StateAsync(w.Worker, id);
        var body = action switch
        {
            "request-review" => new JsonObject { ["requestedOn"] = "2025-10-20", ["reason"] = "", ["unitId"] = w.CityHousing },
            "decline" => new JsonObject { ["reason"] = "", ["redirect"] = "other" },
            "withdraw" => new JsonObject { ["reason"] = "" },
            "accept" => new JsonObject { ["route"] = 6, ["note"] = "" },
            _ => new JsonObject { ["days"] = 10, ["reason"] = "需要现场勘验", ["approvedBy"] = "王局长" },
        };
        body[field] = new string('长', 20_001); // longer than any text the store keeps for a step

        var r = await w.Worker.PostAsync($"/api/v1/petitions/{id}/{action}", body);

        r.ShouldNameFields(field);
        (await StateAsync(w.Worker, id)).ShouldBe(before);
    }

    [Fact]
    public async Task Forward_to_unknown_unit_400_on_unit_id_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var id = (await w.RegisterFreshAsync())["id"]!.ToString();
        var before = await StateAsync(w.Clerk, id);

        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = Guid.NewGuid() })).ShouldNameFields("unitId");
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyBureau })).ShouldNameFields("unitId");
        (await StateAsync(w.Clerk, id)).ShouldBe(before);
    }
}

public sealed class WorkflowRefusalTests_Sqlite(SqliteFactory f) : WorkflowRefusalTests(f), IClassFixture<SqliteFactory>;
public sealed class WorkflowRefusalTests_Postgres(PostgresFactory f) : WorkflowRefusalTests(f), IClassFixture<PostgresFactory>;
