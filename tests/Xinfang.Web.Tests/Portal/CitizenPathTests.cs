using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Portal.PortalKit;

namespace Xinfang.Web.Tests.Portal;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// A citizen's whole path on the portal — submit, follow, download the answer, rate, ask for review and
/// re-review, withdraw — with the staff's steps in between, under the controllable clock.
/// </summary>
public abstract class CitizenPathTests(XinfangFactory factory)
{
    const string ReplyText = "经核查，开发商已承诺于年底前完成整改，您提出的退还全部购房款的请求缺乏合同依据，不予支持。";
    const string ReviewText = "经复查，原处理意见认定事实清楚，维持原处理意见。";

    [Fact]
    public async Task Citizen_submits_follows_rates_requests_review_and_withdraws_online()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("翠湖湾楼盘延期交付"));

        // Staff: the county bureau forwards to the county housing bureau, which accepts and replies.
        var id = await StaffIdAsync(w.Clerk, number);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        await SetAsync(w, t0.AddDays(2));
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        var accepted = await StatusOkAsync(citizen, number, code);
        accepted["status"]!.ToString().ShouldBe("accepted");
        accepted["currentClock"]!["name"]!.ToString().ShouldBe("handle");
        accepted["nextStep"]!.ToString().ShouldContain("信访处理意见书");
        accepted["canRate"]!.GetValue<bool>().ShouldBeFalse();

        var replyDay = t0.AddDays(20);
        await SetAsync(w, replyDay);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "notSupport", text = ReplyText, deliveredOn = Day(replyDay) }))
            .Expect(HttpStatusCode.OK);

        // The portal shows the written answer and what the petitioner may do now.
        var replied = await StatusOkAsync(citizen, number, code);
        replied["status"]!.ToString().ShouldBe("replied");
        replied["statusName"]!.ToString().ShouldBe("已答复");
        var reply = Event(replied, "reply");
        reply["unitName"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        reply["decision"]!.ToString().ShouldBe("notSupport");
        reply["decisionName"]!.ToString().ShouldBe("不予支持");
        reply["text"]!.ToString().ShouldBe(ReplyText);
        reply["hasDocument"]!.GetValue<bool>().ShouldBeTrue();
        replied["canRate"]!.GetValue<bool>().ShouldBeTrue();
        replied["ratingStage"]!.ToString().ShouldBe("reply");
        replied["canRequestReview"]!.GetValue<bool>().ShouldBeTrue();
        replied["reviewKind"]!.ToString().ShouldBe("review");
        replied["canWithdraw"]!.GetValue<bool>().ShouldBeTrue();
        replied["currentClock"]!["name"]!.ToString().ShouldBe("reviewRequest");
        replied["reviewWindowDueOn"]!.ToString().ShouldBe(replied["currentDueOn"]!.ToString());
        replied["nextStep"]!.ToString().ShouldContain("复查");
        Bodies(replied).ShouldBe(new Dictionary<Guid, string> { [w.CityHousing] = "苏州市住房和城乡建设局", [w.County] = "昆山市人民政府" }, ignoreOrder: true);

        // The answer as a document to keep.
        var seq = reply["sequence"]!.GetValue<int>();
        var document = await citizen.GetAsync($"{Base}/petitions/{number}/documents/{seq}?queryCode={code}");
        document.Status.ShouldBe(HttpStatusCode.OK);
        document.MediaType.ShouldBe("text/plain");
        document.Body.ShouldContain("信访处理意见书");
        document.Body.ShouldContain(ReplyText);
        document.Body.ShouldContain(number);
        document.Body.ShouldContain("昆山市住房和城乡建设局");
        document.Body.ShouldContain("不予支持");
        (await citizen.GetAsync($"{Base}/petitions/{number}/documents/1?queryCode={code}")).Status.ShouldBe(HttpStatusCode.NotFound); // registration: no document
        (await citizen.GetAsync($"{Base}/petitions/{number}/documents/{seq}?queryCode={RandomCode(code)}")).Status.ShouldBe(HttpStatusCode.NotFound);

        // Rating the reply: once.
        var rating = await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "dissatisfied", comment = "开发商并未整改" });
        rating.Status.ShouldBe(HttpStatusCode.Created, rating.Body);
        rating["stage"].ShouldBe("reply");
        rating["rating"].ShouldBe("dissatisfied");
        rating["ratingName"].ShouldBe("不满意");
        var again = await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "satisfied" });
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.MediaType.ShouldBe("application/problem+json");
        again.ProblemType.ShouldBe("/problems/already-rated");
        var rated = await StatusOkAsync(citizen, number, code);
        rated["canRate"]!.GetValue<bool>().ShouldBeFalse();
        rated["ratings"]!.AsArray().Select(r => (r!["stage"]!.ToString(), r["rating"]!.ToString(), r["ratingName"]!.ToString()))
            .ShouldBe([("reply", "dissatisfied", "不满意")]);

        // Review (复查) by the city housing bureau, chosen among the listed bodies.
        await SetAsync(w, replyDay.AddDays(5));
        var review = await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code, reason = "开发商至今未整改，对处理意见不服", unitId = w.CityHousing });
        review.Status.ShouldBe(HttpStatusCode.OK, review.Body);
        var underReview = review.Json;
        underReview["status"]!.ToString().ShouldBe("underReview");
        underReview["statusName"]!.ToString().ShouldBe("复查中");
        underReview["canRequestReview"]!.GetValue<bool>().ShouldBeFalse();
        underReview["currentClock"]!["name"]!.ToString().ShouldBe("review");
        Event(underReview, "request-review")["unitName"]!.ToString().ShouldBe("苏州市住房和城乡建设局");

        // The city reviewer finds it in the city housing bureau's list and decides.
        (await StaffIdAsync(w.CityReviewer, number)).ShouldBe(id);
        var atCity = (await w.CityReviewer.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        atCity["status"]!.ToString().ShouldBe("underReview");
        Guid.Parse(atCity["holdingUnitId"]!.ToString()).ShouldBe(w.CityHousing);
        var reviewDay = replyDay.AddDays(15);
        await SetAsync(w, reviewDay);
        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/review-decision", new { decision = "notSupport", text = ReviewText, deliveredOn = Day(reviewDay) }))
            .Expect(HttpStatusCode.OK);

        var reviewed = await StatusOkAsync(citizen, number, code);
        reviewed["status"]!.ToString().ShouldBe("reviewed");
        reviewed["canRequestReview"]!.GetValue<bool>().ShouldBeTrue();
        reviewed["reviewKind"]!.ToString().ShouldBe("reReview");
        reviewed["nextStep"]!.ToString().ShouldContain("复核");
        Bodies(reviewed).ShouldBe(new Dictionary<Guid, string> { [w.City] = "苏州市人民政府", [w.ProvinceHousing] = "江苏省住房和城乡建设厅" }, ignoreOrder: true);
        var decision = Event(reviewed, "review-decision");
        decision["unitName"]!.ToString().ShouldBe("苏州市住房和城乡建设局");
        decision["text"]!.ToString().ShouldBe(ReviewText);
        decision["decisionName"]!.ToString().ShouldBe("不予支持");
        (await citizen.GetAsync($"{Base}/petitions/{number}/documents/{decision["sequence"]}?queryCode={code}")).Expect(HttpStatusCode.OK)
            .Body.ShouldContain("复查意见书");
        // The review opinion is a new answer: it may be rated in its turn.
        reviewed["canRate"]!.GetValue<bool>().ShouldBeTrue();
        reviewed["ratingStage"]!.ToString().ShouldBe("review");
        var reviewRating = await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "basicallySatisfied" });
        reviewRating.Status.ShouldBe(HttpStatusCode.Created, reviewRating.Body);
        reviewRating["stage"].ShouldBe("review");
        reviewRating["ratingName"].ShouldBe("基本满意");

        // Re-review (复核) from a unit that is not a level above the reviewing body: refused with the field.
        var ineligible = await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code, reason = "对复查意见不服", unitId = w.CountyHousing });
        ineligible.Status.ShouldBe(HttpStatusCode.BadRequest, ineligible.Body);
        ineligible.MediaType.ShouldBe("application/problem+json");
        ineligible.Json["errors"]!["unitId"].ShouldNotBeNull();
        (await StatusOkAsync(citizen, number, code))["status"]!.ToString().ShouldBe("reviewed");

        // Withdrawal ends it; nothing more can be done from the portal.
        var withdrawn = await citizen.PostAsync($"{Base}/petitions/{number}/withdraw", new { queryCode = code, reason = "已与开发商协商解决" });
        withdrawn.Status.ShouldBe(HttpStatusCode.OK, withdrawn.Body);
        var after = withdrawn.Json;
        after["status"]!.ToString().ShouldBe("withdrawn");
        after["statusName"]!.ToString().ShouldBe("已撤回");
        after["canWithdraw"]!.GetValue<bool>().ShouldBeFalse();
        after["canRequestReview"]!.GetValue<bool>().ShouldBeFalse();
        after["canRate"]!.GetValue<bool>().ShouldBeFalse();
        after["reviewBodies"]!.AsArray().Count.ShouldBe(0);
        Event(after, "withdraw")["text"]!.ToString().ShouldBe("已与开发商协商解决");
        after["timeline"]!.AsArray().Select(e => e!["action"]!.ToString())
            .ShouldBe(["register", "forward", "accept", "reply", "request-review", "review-decision", "withdraw"]);
        (await citizen.PostAsync($"{Base}/petitions/{number}/withdraw", new { queryCode = code, reason = "再次撤回" })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await w.CityReviewer.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["status"]!.ToString().ShouldBe("withdrawn");
    }

    [Fact]
    public async Task Request_review_from_a_unit_not_listed_is_refused_as_review_body_not_eligible()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 1);
        var citizen = Citizen(factory);
        var (number, code) = await RepliedAsync(w, citizen, t0, "金鸡湖畔小区违规加装围墙");
        // The city petition bureau is not the level above the county housing bureau.
        var r = await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code, reason = "不服", unitId = w.CityBureau });
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.Body);
        r.Json["errors"]!["unitId"].ShouldNotBeNull();
        (await StatusOkAsync(citizen, number, code))["status"]!.ToString().ShouldBe("replied");
        // Reason and unit are required.
        var empty = await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code });
        empty.Status.ShouldBe(HttpStatusCode.BadRequest);
        empty.Json["errors"]!["reason"].ShouldNotBeNull();
        empty.Json["errors"]!["unitId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Request_review_from_an_ineligible_unit_answers_the_review_body_problem_type()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 2);
        var citizen = Citizen(factory);
        var (number, code) = await RepliedAsync(w, citizen, t0, "玉峰山公园游乐设施老化");
        var r = await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code, reason = "不服", unitId = w.CityBureau });
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.Body);
        r.ProblemType.ShouldBe("/problems/review-body-not-eligible");
        r.Json["errors"]!["unitId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Rate_before_any_reply_is_refused_as_rating_before_reply()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w, 3);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("亭林路人行道砖块松动"));
        var r = await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "satisfied" });
        r.Status.ShouldBe(HttpStatusCode.Conflict, r.Body);
        r.MediaType.ShouldBe("application/problem+json");
        r.ProblemType.ShouldBe("/problems/rating-before-reply");
        // An unknown rating is a field error.
        var bad = await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "great" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Json["errors"]!["rating"].ShouldNotBeNull();
        // No review can be asked for before a reply either.
        (await StatusOkAsync(citizen, number, code))["canRequestReview"]!.GetValue<bool>().ShouldBeFalse();
        (await citizen.PostAsync($"{Base}/petitions/{number}/review-request", new { queryCode = code, reason = "不服", unitId = w.CityHousing }))
            .Status.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rate_after_the_window_is_refused_once_the_sweep_has_closed_the_matter()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 4);
        var citizen = Citizen(factory);
        var (late, lateCode) = await RepliedAsync(w, citizen, t0, "淀山湖镇养殖场污水直排");
        var (inTime, inTimeCode) = await RepliedAsync(w, citizen, t0, "锦溪镇老街消防通道堵塞");
        var windowEnds = DateOnly.Parse((await StatusOkAsync(citizen, late, lateCode))["reviewWindowDueOn"]!.ToString());
        windowEnds.ShouldBeGreaterThanOrEqualTo(DateOnly.FromDateTime(t0.Date).AddDays(30));

        // The last day of the window: rating still possible.
        var lastDay = new DateTimeOffset(windowEnds.ToDateTime(new TimeOnly(20, 0)), China);
        await SetAsync(w, lastDay);
        (await StatusOkAsync(citizen, inTime, inTimeCode))["canRate"]!.GetValue<bool>().ShouldBeTrue();
        (await citizen.PostAsync($"{Base}/petitions/{inTime}/rating", new { queryCode = inTimeCode, rating = "satisfied" })).Status.ShouldBe(HttpStatusCode.Created);

        // The day after (31+ days after the reply): the sweep closes the matter, and rating is refused.
        await SetAsync(w, lastDay.AddHours(13));
        var closed = await WaitForPortalStatusAsync(citizen, late, lateCode, "closed");
        closed["statusName"]!.ToString().ShouldBe("已办结");
        closed["canRate"]!.GetValue<bool>().ShouldBeFalse();
        closed["canRequestReview"]!.GetValue<bool>().ShouldBeFalse();
        closed["canWithdraw"]!.GetValue<bool>().ShouldBeFalse();
        Event(closed, "close")["text"]!.ToString().ShouldContain("期限届满");
        var r = await citizen.PostAsync($"{Base}/petitions/{late}/rating", new { queryCode = lateCode, rating = "dissatisfied" });
        r.Status.ShouldBe(HttpStatusCode.Conflict, r.Body);
        r.MediaType.ShouldBe("application/problem+json");
        r.ProblemType.ShouldBe("/problems/rating-window-lapsed");
        // Review can no longer be asked for either.
        var review = await citizen.PostAsync($"{Base}/petitions/{late}/review-request", new { queryCode = lateCode, reason = "不服", unitId = w.CityHousing });
        review.Status.ShouldBe(HttpStatusCode.Conflict, review.Body);
        review.ProblemType.ShouldBe("/problems/review-window-lapsed");
    }

    /// <summary>An online petition answered by the county housing bureau on <paramref name="t0"/> (clock left there).</summary>
    static async Task<(string Number, string Code)> RepliedAsync(World w, Api citizen, DateTimeOffset t0, string title)
    {
        await SetAsync(w, t0);
        var (number, code) = await SubmittedAsync(citizen, Submission(title));
        var id = await StaffIdAsync(w.Clerk, number);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "explain", text = "已责成有关部门处理。", deliveredOn = Day(t0) }))
            .Expect(HttpStatusCode.OK);
        return (number, code);
    }

    static Dictionary<Guid, string> Bodies(JsonNode status) =>
        status["reviewBodies"]!.AsArray().ToDictionary(b => Guid.Parse(b!["id"]!.ToString()), b => b!["name"]!.ToString());

    static async Task<JsonNode> WaitForPortalStatusAsync(Api citizen, string number, string code, string status, int seconds = 20)
    {
        JsonNode last = null!;
        for (var i = 0; i < seconds * 10; i++)
        {
            last = await StatusOkAsync(citizen, number, code);
            if (last["status"]!.ToString() == status) return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{number} stayed {last["status"]} (wanted {status})");
    }
}

public sealed class CitizenPathTests_Sqlite(PortalSqliteFactory f) : CitizenPathTests(f), IClassFixture<PortalSqliteFactory>;
public sealed class CitizenPathTests_Postgres(PortalPostgresFactory f) : CitizenPathTests(f), IClassFixture<PortalPostgresFactory>;
