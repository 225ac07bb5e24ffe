using System.Net;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Organisation;

/// <summary>The unit tree (api.md, "Administration and set-up"; domain.md, "Organisation").</summary>
public abstract class UnitTests(XinfangFactory factory)
{
    static string NewCode() => "u-" + Guid.NewGuid().ToString("N")[..10];

    static object UnitBody(Guid? parentId, string? code = null, string regionCode = "320583001", int level = 4, string kind = "government", Guid? superiorId = null) =>
        new { code = code ?? NewCode(), name = "玉山镇人民政府", level, kind, regionCode, parentId, superiorId };

    static void ShouldBeValidation(Reply r, string field)
    {
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.ToString());
        r.MediaType.ShouldBe("application/problem+json");
        r.ProblemType.ShouldBe("/problems/validation");
        r.Json["errors"]![field].ShouldNotBeNull($"errors.{field} missing: {r}");
    }

    [Fact]
    public async Task Listing_units_puts_the_root_first()
    {
        var w = await World.OfAsync(factory);
        foreach (var api in new[] { w.Admin, w.Clerk })
        {
            var items = (await api.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
            var root = items[0]!;
            root["id"]!.ToString().ShouldBe(w.Root.ToString());
            root["parentId"].ShouldBeNull();
            root["level"]!.GetValue<int>().ShouldBe(0);
            root["code"]!.ToString().ShouldBe("root");
            root["name"]!.ToString().ShouldBe("国家信访局");
            // Parents come before their children (tree order).
            var order = items.Select(u => u!["id"]!.ToString()).ToList();
            order.IndexOf(w.Province.ToString()).ShouldBeLessThan(order.IndexOf(w.City.ToString()));
            order.IndexOf(w.City.ToString()).ShouldBeLessThan(order.IndexOf(w.County.ToString()));
            order.IndexOf(w.County.ToString()).ShouldBeLessThan(order.IndexOf(w.CountyHousing.ToString()));
        }
    }

    [Fact]
    public async Task Creating_a_township_unit_under_the_county_returns_201_and_lists_it()
    {
        var w = await World.OfAsync(factory);
        var code = NewCode();
        var created = (await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, code))).Expect(HttpStatusCode.Created);
        var id = created["id"];
        created.Location.ShouldBe($"/api/v1/units/{id}");
        created["parentId"].ShouldBe(w.County.ToString());
        created["regionCode"].ShouldBe("320583001");
        created["kind"].ShouldBe("government");
        (await w.Clerk.GetAsync($"/api/v1/units/{id}")).Expect(HttpStatusCode.OK)["code"].ShouldBe(code);
        var listed = (await w.Admin.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(u => u!["id"]!.ToString()).ToList();
        listed.ShouldContain(id);
        listed.IndexOf(w.County.ToString()).ShouldBeLessThan(listed.IndexOf(id));
    }

    [Fact]
    public async Task Creating_unit_with_unknown_or_missing_parent_is_refused()
    {
        var w = await World.OfAsync(factory);
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(Guid.NewGuid())), "parentId");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(null)), "parentId");
    }

    [Theory]
    [InlineData("32058")]
    [InlineData("3205830")]
    [InlineData("32058A")]
    [InlineData("")]
    public async Task Creating_unit_with_invalid_region_code_is_refused(string regionCode)
    {
        var w = await World.OfAsync(factory);
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, regionCode: regionCode)), "regionCode");
    }

    [Theory]
    [InlineData("k")] // World's county government
    [InlineData(" k ")] // compared after trimming
    public async Task Creating_unit_with_duplicate_code_is_refused(string code)
    {
        var w = await World.OfAsync(factory);
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, code)), "code");
    }

    [Fact]
    public async Task Creating_unit_above_its_parents_level_or_below_its_superior_is_refused()
    {
        var w = await World.OfAsync(factory);
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, level: 2, regionCode: "320583")), "level");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, level: 9)), "level");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, kind: "ministry")), "kind");
        // A functional superior sits at a higher level.
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units",
            UnitBody(w.County, level: 3, regionCode: "320583", kind: "department", superiorId: w.CountyHousing)), "superiorId");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/units",
            UnitBody(w.County, level: 3, regionCode: "320583", kind: "department", superiorId: Guid.NewGuid())), "superiorId");
    }

    [Fact]
    public async Task Reading_an_unknown_unit_answers_404()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.GetAsync($"/api/v1/units/{Guid.NewGuid()}");
        r.Status.ShouldBe(HttpStatusCode.NotFound);
        r.ProblemType.ShouldBe("/problems/not-found");
    }

    [Fact]
    public async Task Creating_a_unit_puts_its_staff_inside_the_parents_jurisdiction()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        var township = (await w.Admin.PostAsync("/api/v1/units", UnitBody(w.County, kind: "government"))).Expect(HttpStatusCode.Created)["id"];
        var clerk = await Security.Staffing.UserAsync(w, Guid.Parse(township), "intakeClerk");
        var countyGov = await Security.Staffing.UserAsync(w, w.County, "supervisor");
        var id = Security.Staffing.Id(await w.RegisterAsync(clerk, Security.Staffing.Petition("乡镇登记的事项")));
        (await countyGov.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await Security.Staffing.ListedAsync(countyGov, $"&unitId={township}")).ShouldContain(id);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class UnitTests_Sqlite(SqliteFactory f) : UnitTests(f), IClassFixture<SqliteFactory>;
public sealed class UnitTests_Postgres(PostgresFactory f) : UnitTests(f), IClassFixture<PostgresFactory>;
