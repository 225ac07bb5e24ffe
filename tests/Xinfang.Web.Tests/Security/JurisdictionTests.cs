using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Jurisdiction (domain.md, "Organisation"): a user sees what belongs to their unit and its subtree, what was
/// forwarded or assigned to it, and what it first received (首接首办) — anything else is 404 (api.md).
/// The territorial tree of <see cref="World"/>: root → province → city → {county → {county bureau, county
/// housing, county labour}, other county → other county bureau, city bureau, city housing}. The city bureau is
/// the county bureau's functional superior (superiorId), not its territorial ancestor.
/// </summary>
public abstract class JurisdictionTests(XinfangFactory factory)
{
    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        return w;
    }

    [Fact]
    public async Task Registering_at_county_bureau_shows_matter_to_its_unit_and_territorial_ancestors_only()
    {
        var w = await WorldAsync();
        var countyGov = await UserAsync(w, w.County, "unitLeader");
        var cityGov = await UserAsync(w, w.City, "supervisor");
        var provinceGov = await UserAsync(w, w.Province, "analyst");
        var p = await w.RegisterAsync(body: Petition("辖区可见性：县信访局登记"));
        var id = Id(p);

        foreach (var (who, api) in new[] { ("county bureau", w.Clerk), ("county government", countyGov), ("city government", cityGov), ("province government", provinceGov) })
        {
            var got = await api.GetAsync($"/api/v1/petitions/{id}");
            got.Status.ShouldBe(HttpStatusCode.OK, $"{who}: {got}");
            got["number"].ShouldBe(p["number"]!.ToString());
            (await ListedAsync(api)).ShouldContain(id, who);
            (await api.GetAsync($"/api/v1/petitions/{id}/events")).Status.ShouldBe(HttpStatusCode.OK, who);
        }

        // Not ancestors: the city bureau (functional superior only), the county's other departments, the other county.
        foreach (var (who, api) in new[] { ("city bureau clerk", w.CityClerk), ("city bureau analyst", w.Analyst), ("city housing", w.CityReviewer),
                     ("county housing", w.Worker), ("county labour", w.LabourWorker), ("other county bureau", w.OtherClerk) })
        {
            (await api.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound, who);
            (await ListedAsync(api)).ShouldNotContain(id, who);
        }
    }

    [Fact]
    public async Task Reading_a_matter_as_an_ancestor_allows_no_action()
    {
        var w = await WorldAsync();
        var countyGov = await UserAsync(w, w.County, "intakeClerk", "caseworker", "unitLeader");
        var id = Id(await w.RegisterAsync(body: Petition("上级政府只读")));

        var view = (await countyGov.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        view["allowedActions"]!.AsArray().Count.ShouldBe(0);
        var accept = await countyGov.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 });
        accept.Status.ShouldBe(HttpStatusCode.Forbidden);
        accept.ProblemType.ShouldBe("/problems/not-holding-unit");
        var forward = await countyGov.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing });
        forward.Status.ShouldBe(HttpStatusCode.Forbidden);
        forward.ProblemType.ShouldBe("/problems/not-holding-unit");
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK)["version"].ShouldBe("1");
    }

    [Fact]
    public async Task Probing_a_matter_of_a_sibling_county_answers_404_to_every_read_and_action()
    {
        var w = await WorldAsync();
        var p = await w.RegisterAsync(body: Petition("兄弟县不可见"));
        var id = Id(p);

        await ShouldNotReachAsync(w.OtherClerk, w, id, w.OtherCountyBureau);
        // Naming an ineligible review body (its own county government) does not open the matter either.
        (await w.OtherClerk.PostAsync($"/api/v1/petitions/{id}/request-review", new { requestedOn = "2026-03-02", reason = "x", unitId = w.OtherCounty }))
            .Status.ShouldBe(HttpStatusCode.NotFound);
        (await ListedAsync(w.OtherClerk, "&q=" + p["number"])).ShouldBeEmpty();

        // Nothing happened to the matter.
        var after = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        after["status"]!.ToString().ShouldBe("registered");
        after["version"]!.GetValue<int>().ShouldBe(1);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Forwarding_a_matter_shows_it_to_the_target_while_the_receiving_unit_keeps_read_access_only()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Petition("转送后首接单位只读")));
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);

        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);

        // The unit it was forwarded to sees it, with the steps it may take.
        var atTarget = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        atTarget["holdingUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        atTarget["allowedActions"]!.AsArray().Select(a => a!.ToString()).ShouldContain("accept");
        (await ListedAsync(w.Worker)).ShouldContain(id);
        (await ListedAsync(w.Leader)).ShouldContain(id);
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK);

        // The receiving unit still reads it (首接首办) …
        var atReceiver = await w.Clerk.GetAsync($"/api/v1/petitions/{id}");
        atReceiver.Status.ShouldBe(HttpStatusCode.OK);
        atReceiver["status"].ShouldBe("forwarded");
        atReceiver.Json["allowedActions"]!.AsArray().Select(a => a!.ToString()).ShouldNotContain("accept");
        (await ListedAsync(w.Clerk)).ShouldContain(id);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(2);

        // … but no longer holds it: the recipient's steps are refused.
        foreach (var (action, body) in new (string, object)[] { ("accept", new { route = 6 }), ("decline", new { reason = "x" }), ("object", new { reason = "x" }) })
        {
            var refused = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/{action}", body);
            refused.Status.ShouldBe(HttpStatusCode.Forbidden, $"{action}: {refused}");
            refused.ProblemType.ShouldBe("/problems/not-holding-unit");
        }

        // Forwarding opens the matter to the target's line only: not to its siblings nor its functional superior.
        (await w.LabourWorker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.CityReviewer.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        await ShouldNotReachAsync(w.OtherClerk, w, id, w.OtherCountyBureau);
    }

    [Fact]
    public async Task Assigning_down_the_tree_opens_the_matter_to_the_target_and_its_ancestors()
    {
        var w = await WorldAsync();
        var countyGov = await UserAsync(w, w.County, "unitLeader");
        var id = Id(await w.RegisterAsync(w.CityClerk, Petition("市信访局交办县住建局")));
        (await countyGov.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);

        (await w.CityClerk.PostAsync($"/api/v1/petitions/{id}/assign", new { unitId = w.CountyHousing, reportDueOn = "2026-05-29", note = "交办" }))
            .Expect(HttpStatusCode.OK);

        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await countyGov.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await ListedAsync(countyGov)).ShouldContain(id);
        // The county bureau is neither the target nor one of its ancestors.
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.LabourWorker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        // The assigning bureau keeps reading it.
        (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK)["status"].ShouldBe("assigned");
    }

    [Fact]
    public async Task Listing_by_a_unit_outside_the_callers_subtree_answers_404()
    {
        var w = await WorldAsync();
        foreach (var (who, api, unit) in new[]
                 {
                     ("sibling county", w.Clerk, w.OtherCountyBureau), ("own ancestor", w.Clerk, w.City), ("root", w.Clerk, w.Root),
                     ("sibling department", w.Worker, w.CountyBureau), ("unknown unit", w.Clerk, Guid.NewGuid()),
                 })
        {
            var r = await api.GetAsync($"/api/v1/petitions?unitId={unit}");
            r.Status.ShouldBe(HttpStatusCode.NotFound, $"{who}: {r}");
            r.ProblemType.ShouldBe("/problems/not-found");
        }
        (await w.Clerk.GetAsync($"/api/v1/petitions?unitId={w.CountyBureau}")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Listing_by_a_unit_inside_the_callers_subtree_shows_only_that_units_matters()
    {
        var w = await WorldAsync();
        var cityGov = await UserAsync(w, w.City, "supervisor");
        var county = Id(await w.RegisterAsync(body: Petition("昆山市的事项")));
        var other = Id(await w.RegisterAsync(w.OtherClerk, Petition("太仓市的事项")));
        var city = Id(await w.RegisterAsync(w.CityClerk, Petition("苏州市信访局的事项")));

        var all = await ListedAsync(cityGov);
        all.ShouldContain(county);
        all.ShouldContain(other);
        all.ShouldContain(city); // the city bureau's parent is the city government

        var ofOther = await ListedAsync(cityGov, $"&unitId={w.OtherCountyBureau}");
        ofOther.ShouldContain(other);
        ofOther.ShouldNotContain(county);
        ofOther.ShouldNotContain(city);
        var ofCounty = await ListedAsync(cityGov, $"&unitId={w.CountyBureau}");
        ofCounty.ShouldContain(county);
        ofCounty.ShouldNotContain(other);
        ofCounty.ShouldNotContain(city);
        var ofCityBureau = await ListedAsync(cityGov, $"&unitId={w.CityBureau}");
        ofCityBureau.ShouldContain(city);
        ofCityBureau.ShouldNotContain(county);
        ofCityBureau.ShouldNotContain(other);
        // A county government's own list covers its bureau's matters; asked for its housing bureau, nothing of the bureau's.
        var countyGov = await UserAsync(w, w.County, "supervisor");
        (await ListedAsync(countyGov, $"&unitId={w.CountyBureau}")).ShouldContain(county);
        (await ListedAsync(countyGov, $"&unitId={w.CountyHousing}")).ShouldNotContain(county);
    }
}

public sealed class JurisdictionTests_Sqlite(SqliteFactory f) : JurisdictionTests(f), IClassFixture<SqliteFactory>;
public sealed class JurisdictionTests_Postgres(PostgresFactory f) : JurisdictionTests(f), IClassFixture<PostgresFactory>;
