using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xinfang.Web.Dashboard;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using Xunit;

namespace Xinfang.Web.Tests.Dashboard;

/// <summary>
/// GET /api/v1/measures, /trend, /breakdown, /alerts over real HTTP: figures computed by hand for a small scenario,
/// the counts maintained on every step equal to a recount from scratch, jurisdiction and roles.
/// Each test uses its own months, so the shared store of the class does not mix their figures.
/// </summary>
public abstract class MeasuresApiTests(XinfangFactory factory)
{
    static async Task<Infrastructure.Api> CountyAnalystAsync(World w)
    {
        const string name = "county-analyst";
        if ((await w.Admin.GetAsync("/api/v1/users")).Body.Contains($"\"{name}\"", StringComparison.Ordinal)) return await Infrastructure.Api.LoginAsync(w.Factory, name, World.Password);
        (await w.Admin.PostAsync("/api/v1/users", new { userName = name, password = World.Password, displayName = name, unitId = w.County, roles = new[] { "analyst" } })).Expect(HttpStatusCode.Created);
        return await Infrastructure.Api.LoginAsync(w.Factory, name, World.Password);
    }

    static async Task WaitForStatusAsync(Infrastructure.Api api, string id, string status)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await api.GetAsync($"/api/v1/petitions/{id}")).Json["status"]!.ToString() == status) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{id} never became {status}");
    }

    static double? Rate(JsonNode figures, string name) => figures[name]!["value"]?.GetValue<double?>();
    static (long N, long D) Parts(JsonNode figures, string name) => (figures[name]!["numerator"]!.GetValue<long>(), figures[name]!["denominator"]!.GetValue<long>());

    /// <summary>A registration by its own petitioner, so no two matters of a scenario are linked as repeats.</summary>
    static JsonObject Own(string who, string channel, bool categorised = true) => World.Petition(p =>
    {
        p["channel"] = channel;
        p["petitioners"]![0]!["name"] = who;
        p["petitioners"]![0]!["phone"] = "139" + Math.Abs(who.GetHashCode() % 100_000_000).ToString("D8");
        p["petitioners"]![0]!.AsObject().Remove("idNumber");
        p["title"] = who + "反映的问题";
        p["content"] = $"诉求：{who}请求解决{channel}问题。事实：{who}所述情况属实。理由：{who}认为应当依法处理。";
        if (!categorised) p.Remove("categoryCode");
    });

    [Fact]
    public async Task Measures_of_a_county_for_a_quarter_match_the_figures_computed_by_hand_and_a_recount()
    {
        var w = await World.OfAsync(factory);
        var analyst = await CountyAnalystAsync(w);
        // 2026-01-05 (Monday): three matters received by the county bureau.
        await w.SetClockAsync("2026-01-05T09:00:00+08:00");
        var a = (await w.RegisterAsync(body: Own("甲某", "online")))["id"]!.ToString();
        var b = (await w.RegisterAsync(body: Own("乙某", "visit")))["id"]!.ToString();
        var c = (await w.RegisterAsync(body: Own("丙某", "letter", categorised: false)))["id"]!.ToString();
        foreach (var id in new[] { a, b })
        {
            (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
            // Accepted on 01-05: the opinion is due 60 days later, 2026-03-06 (a Friday).
            (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        }
        // 02-10: A answered in time (36 days after receipt).
        await w.SetClockAsync("2026-02-10T10:00:00+08:00");
        (await w.Worker.PostAsync($"/api/v1/petitions/{a}/reply", new { decision = "explain", text = "已督促开发商交房。", deliveredOn = "2026-02-10" })).Expect(HttpStatusCode.OK);
        // 03-20: B answered late (74 days after receipt); A's review window (30 days) has lapsed, the sweep closes it.
        await w.SetClockAsync("2026-03-20T10:00:00+08:00");
        (await w.Worker.PostAsync($"/api/v1/petitions/{b}/reply", new { decision = "support", text = "支持交房诉求。", deliveredOn = "2026-03-20" })).Expect(HttpStatusCode.OK);
        await WaitForStatusAsync(w.Clerk, a, "closed");

        var m = (await analyst.GetAsync($"/api/v1/measures?unitId={w.County}&from=2026-01-01&to=2026-03-31")).Expect(HttpStatusCode.OK).Json;
        var f = m["figures"]!;
        f["received"]!.GetValue<long>().ShouldBe(3);
        // Disposal due 01-20: A and B forwarded on 01-05 (on time), C never disposed (overdue).
        Parts(f, "timelyAcceptance").ShouldBe((2, 3));
        // Opinions due 03-06: A on time, B late.
        Parts(f, "onTimeCompletion").ShouldBe((1, 2));
        Parts(f, "evaluationRate").ShouldBe((0, 2));
        Parts(f, "satisfaction").ShouldBe((0, 0));
        Rate(f, "satisfaction").ShouldBeNull();
        Parts(f, "repeatRate").ShouldBe((0, 3));
        Parts(f, "firstTimeResolution").ShouldBe((1, 1));
        Parts(f, "onlineShare").ShouldBe((1, 3));
        f["averageHandlingDays"]!.GetValue<double>().ShouldBe(55.0); // (36 + 74) / 2
        Parts(f, "backlogResolution").ShouldBe((0, 0));
        f["overdue"]!.GetValue<long>().ShouldBe(1);
        m["pyramid"]!.AsArray().Select(l => l!["count"]!.GetValue<long>()).ShouldBe([0, 0, 0, 3, 0]);
        var overdue = m["overdueByUnit"]!.AsArray().Single()!;
        overdue["unitId"]!.ToString().ShouldBe(w.CountyBureau.ToString());
        overdue["disposalOverdue"]!.GetValue<long>().ShouldBe(1);

        var channels = (await analyst.GetAsync($"/api/v1/measures/breakdown?unitId={w.County}&by=channel&from=2026-01-01&to=2026-03-31")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        channels.Select(i => (i!["value"]!.ToString(), i["received"]!.GetValue<long>())).OrderBy(x => x.Item1).ShouldBe([("letter", 1L), ("online", 1L), ("visit", 1L)]);
        var categories = (await analyst.GetAsync($"/api/v1/measures/breakdown?unitId={w.County}&by=category&from=2026-01-01&to=2026-03-31")).Json["items"]!.AsArray();
        categories.Select(i => (i!["value"]!.ToString(), i["received"]!.GetValue<long>())).OrderBy(x => x.Item1).ShouldBe([("", 1L), ("01", 2L)]);
        var units = (await analyst.GetAsync($"/api/v1/measures/breakdown?unitId={w.County}&by=unit&from=2026-01-01&to=2026-03-31")).Json["items"]!.AsArray();
        var housing = units.Single(i => i!["value"]!.ToString() == w.CountyHousing.ToString("N"))!;
        housing["label"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        Parts(housing["figures"]!, "onTimeCompletion").ShouldBe((1, 2));
        units.Single(i => i!["value"]!.ToString() == w.CountyBureau.ToString("N"))!["received"]!.GetValue<long>().ShouldBe(3);

        var trend = (await analyst.GetAsync($"/api/v1/measures/trend?unitId={w.County}&by=month&from=2026-01-01&to=2026-03-31")).Expect(HttpStatusCode.OK).Json["points"]!.AsArray();
        trend.Select(p => p!["figures"]!["received"]!.GetValue<long>()).ShouldBe([3, 0, 0]);
        Parts(trend[0]!["figures"]!, "timelyAcceptance").ShouldBe((2, 3));
        Parts(trend[2]!["figures"]!, "onTimeCompletion").ShouldBe((1, 2));

        // The counts maintained step by step equal a recount from the facts.
        using (var scope = factory.Services.CreateScope())
            await MeasureRebuild.RecountAsync(scope.ServiceProvider.GetRequiredService<XinfangDb>(), default);
        var again = (await analyst.GetAsync($"/api/v1/measures?unitId={w.County}&from=2026-01-01&to=2026-03-31")).Expect(HttpStatusCode.OK);
        again.Json["figures"]!.ToJsonString().ShouldBe(f.ToJsonString());
        again.Json["overdueByUnit"]!.ToJsonString().ShouldBe(m["overdueByUnit"]!.ToJsonString());

        // The province sees the same matters in its own scope (every ancestor keeps its own counts).
        (await w.Admin.PostAsync("/api/v1/users", new { userName = "province-analyst", password = World.Password, displayName = "p", unitId = w.Province, roles = new[] { "supervisor" } })).Expect(HttpStatusCode.Created);
        var supervisor = await Infrastructure.Api.LoginAsync(w.Factory, "province-analyst", World.Password);
        var p = (await supervisor.GetAsync($"/api/v1/measures?from=2026-01-01&to=2026-03-31")).Expect(HttpStatusCode.OK).Json;
        p["unitId"]!.ToString().ShouldBe(w.Province.ToString());
        Parts(p["figures"]!, "timelyAcceptance").ShouldBe((2, 3));
    }

    [Fact]
    public async Task Drill_down_page_lists_the_overdue_matter_behind_the_figure()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-05-04T09:00:00+08:00");
        var id = (await w.RegisterAsync(body: World.Petition(p => p["title"] = "五月未处理的事项")))["id"]!.ToString();
        await w.SetClockAsync("2026-06-15T09:00:00+08:00");
        var pages = await PageClient.SignInAsync(factory, "clerk");
        var html = (await pages.GetAsync($"/staff/dashboard/drill?measure=disposal.overdue&from=2026-05-01&to=2026-06-30")).Expect(HttpStatusCode.OK).Html;
        html.ShouldContain("五月未处理的事项");
        html.ShouldContain($"/staff/petitions/{id}");
        var dashboard = (await pages.GetAsync("/staff/dashboard?from=2026-05-01&to=2026-05-31")).Expect(HttpStatusCode.OK).Html;
        dashboard.ShouldContain("及时受理率");
        dashboard.ShouldContain("<svg");
        dashboard.ShouldContain("measure=disposal.due");
    }

    [Fact]
    public async Task Alerts_flag_a_category_that_rose_this_week_with_its_p_value()
    {
        var w = await World.OfAsync(factory);
        var analyst = await CountyAnalystAsync(w);
        // Eight quiet weeks with one matter each in category 01, then six in the week to 2026-09-30.
        for (var week = 8; week >= 1; week--)
        {
            await w.SetClockAsync(new DateTimeOffset(2026, 9, 30, 9, 0, 0, TimeSpan.FromHours(8)).AddDays(-7 * week).ToString("O"));
            await w.RegisterAsync();
        }
        await w.SetClockAsync("2026-09-30T09:00:00+08:00");
        for (var i = 0; i < 6; i++) await w.RegisterAsync();
        var alerts = (await analyst.GetAsync($"/api/v1/measures/alerts?unitId={w.County}")).Expect(HttpStatusCode.OK).Json;
        alerts["weekFrom"]!.ToString().ShouldBe("2026-09-24");
        var rise = alerts["items"]!.AsArray().Single(a => a!["by"]!.ToString() == "category")!;
        rise["value"]!.ToString().ShouldBe("01");
        rise["thisWeek"]!.GetValue<long>().ShouldBe(6);
        rise["baseline"]!.GetValue<double>().ShouldBe(1.0);
        // P(X ≥ 6 | λ = 1) = 1 − Σ_{i≤5} e^{−1}/i! ≈ 0.000594
        rise["pValue"]!.GetValue<double>().ShouldBe(0.000594, 0.000001);
        alerts["method"]!.ToString().ShouldContain("泊松检验");
    }

    [Fact]
    public async Task Measures_outside_the_callers_subtree_are_not_found_and_administrators_are_refused()
    {
        var w = await World.OfAsync(factory);
        (await w.Analyst.GetAsync($"/api/v1/measures?unitId={w.County}")).Code.ShouldBe(404);
        (await w.Clerk.GetAsync($"/api/v1/measures/breakdown?unitId={w.OtherCountyBureau}&by=category")).Code.ShouldBe(404);
        (await w.Clerk.GetAsync($"/api/v1/measures/trend?unitId={Guid.NewGuid()}")).Code.ShouldBe(404);
        (await w.Admin.GetAsync("/api/v1/measures")).Code.ShouldBe(403);
        (await w.Clerk.GetAsync("/api/v1/measures?from=2026-13-01")).Code.ShouldBe(400);
        (await w.Clerk.GetAsync("/api/v1/measures/breakdown?by=petitioner")).Code.ShouldBe(400);
        (await w.Clerk.GetAsync("/api/v1/measures/trend?by=day")).Code.ShouldBe(400);
        var own = (await w.Clerk.GetAsync("/api/v1/measures")).Expect(HttpStatusCode.OK).Json;
        own["unitId"]!.ToString().ShouldBe(w.CountyBureau.ToString());
    }
}

public sealed class MeasuresApiTests_Sqlite(SqliteFactory f) : MeasuresApiTests(f), IClassFixture<SqliteFactory>;
public sealed class MeasuresApiTests_Postgres(PostgresFactory f) : MeasuresApiTests(f), IClassFixture<PostgresFactory>;
