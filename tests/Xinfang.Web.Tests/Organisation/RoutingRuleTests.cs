using System.Net;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Organisation;

/// <summary>
/// Routing rules (region × category → responsible unit, editable by administrators) and the default category
/// taxonomy (domain.md, "Organisation" and "A petition"). Each test uses its own region or category so that the
/// rules of one do not bear on another's matches (the any-category rules live in Zhejiang, 33xxxx).
/// </summary>
public abstract class RoutingRuleTests(XinfangFactory factory)
{
    static readonly string[] TopLevel =
    [
        "城乡建设", "自然资源", "农村农业", "劳动和社会保障", "政法", "纪检监察", "组织人事", "民政", "教育", "卫生健康",
        "生态环境", "交通运输", "商贸旅游", "市场监管", "经济管理", "科技与信息产业", "文化体育", "党务政务", "其他",
    ];

    static async Task<List<string>> MatchAsync(Infrastructure.Api api, string regionCode, string categoryCode) =>
        (await api.GetAsync($"/api/v1/routing-rules/match?regionCode={regionCode}&categoryCode={categoryCode}")).Expect(HttpStatusCode.OK)
            .Json["items"]!.AsArray().Select(u => u!["id"]!.ToString()).ToList();

    static Task<Reply> DeleteAsync(Infrastructure.Api api, string id) => api.SendAsync(HttpMethod.Delete, $"/api/v1/routing-rules/{id}", null);

    [Fact]
    public async Task Listing_categories_shows_the_default_top_level()
    {
        var w = await World.OfAsync(factory);
        var items = (await w.Clerk.GetAsync("/api/v1/categories")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var top = items.Where(c => c!["level"]!.GetValue<int>() == 1).ToList();
        top.Select(c => c!["code"]!.ToString()).ShouldBe(Enumerable.Range(1, 19).Select(i => i.ToString("D2")));
        top.Select(c => c!["name"]!.ToString()).ShouldBe(TopLevel);
        top.ShouldAllBe(c => c!["parentCode"] == null);
        // Second level hangs under its parent, e.g. 0102 房地产开发与交付 under 01 城乡建设.
        var second = items.Single(c => c!["code"]!.ToString() == "0102")!;
        second["parentCode"]!.ToString().ShouldBe("01");
        second["level"]!.GetValue<int>().ShouldBe(2);
        second["name"]!.ToString().ShouldBe("房地产开发与交付");
    }

    [Fact]
    public async Task Creating_a_county_rule_returns_201_and_matches_it_first()
    {
        var w = await World.OfAsync(factory);
        var created = (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320583", categoryCode = "0102", unitId = w.CountyHousing }))
            .Expect(HttpStatusCode.Created);
        var id = created["id"];
        created.Location.ShouldBe($"/api/v1/routing-rules/{id}");
        created["unitId"].ShouldBe(w.CountyHousing.ToString());

        var duplicate = await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320583", categoryCode = "0102", unitId = w.CountyHousing });
        duplicate.Status.ShouldBe(HttpStatusCode.Conflict);
        duplicate.ProblemType.ShouldBe("/problems/duplicate-rule");

        (await MatchAsync(w.Clerk, "320583", "0102"))[0].ShouldBe(w.CountyHousing.ToString());
        // A township of the county (9-digit code) falls back to the county's rule.
        (await MatchAsync(w.Clerk, "320583001", "0102"))[0].ShouldBe(w.CountyHousing.ToString());
        (await w.Clerk.GetAsync("/api/v1/routing-rules")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => r!["id"]!.ToString()).ShouldContain(id);

        (await DeleteAsync(w.Admin, id)).Status.ShouldBe(HttpStatusCode.NoContent);
        (await MatchAsync(w.Clerk, "320583", "0102")).ShouldNotContain(w.CountyHousing.ToString());
        (await DeleteAsync(w.Admin, id)).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Matching_a_region_without_its_own_rule_uses_the_province_rule()
    {
        var w = await World.OfAsync(factory);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320000", categoryCode = "04", unitId = w.ProvinceHousing })).Expect(HttpStatusCode.Created);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320500", categoryCode = "0401", unitId = w.CityHousing })).Expect(HttpStatusCode.Created);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320583", categoryCode = "0401", unitId = w.CountyLabour })).Expect(HttpStatusCode.Created);

        // 太仓 (320585) has no rule of its own: the city's (more specific region) comes before the province's.
        (await MatchAsync(w.Clerk, "320585", "0401")).ShouldBe([w.CityHousing.ToString(), w.ProvinceHousing.ToString()]);
        // 昆山 has its own: county, then city, then province.
        (await MatchAsync(w.Clerk, "320583", "0401")).ShouldBe([w.CountyLabour.ToString(), w.CityHousing.ToString(), w.ProvinceHousing.ToString()]);
        // The province rule for category 04 covers its sub-categories; the city rule for 0401 does not cover 0402.
        (await MatchAsync(w.Clerk, "320585", "0402")).ShouldBe([w.ProvinceHousing.ToString()]);
        // Another province matches nothing.
        (await MatchAsync(w.Clerk, "340100", "0401")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Creating_or_deleting_a_rule_as_non_admin_is_forbidden()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Clerk.PostAsync("/api/v1/routing-rules", new { regionCode = "320585", categoryCode = "0103", unitId = w.OtherCountyBureau });
        r.Status.ShouldBe(HttpStatusCode.Forbidden);
        r.ProblemType.ShouldBe("/problems/forbidden");
        (await w.Leader.PostAsync("/api/v1/routing-rules", new { regionCode = "320585", categoryCode = "0103", unitId = w.OtherCountyBureau })).Status.ShouldBe(HttpStatusCode.Forbidden);
        var id = (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320585", categoryCode = "0103", unitId = w.OtherCountyBureau }))
            .Expect(HttpStatusCode.Created)["id"];
        (await DeleteAsync(w.Clerk, id)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await MatchAsync(w.Clerk, "320585", "0103")).ShouldContain(w.OtherCountyBureau.ToString());
    }

    [Fact]
    public async Task Creating_a_rule_with_unknown_region_category_or_unit_is_refused()
    {
        var w = await World.OfAsync(factory);
        foreach (var (field, body) in new (string, object)[]
                 {
                     ("regionCode", new { regionCode = "3205", categoryCode = "01", unitId = w.CountyHousing }),
                     ("categoryCode", new { regionCode = "320583", categoryCode = "9999", unitId = w.CountyHousing }),
                     ("unitId", new { regionCode = "320583", categoryCode = "01", unitId = Guid.NewGuid() }),
                 })
        {
            var r = await w.Admin.PostAsync("/api/v1/routing-rules", body);
            r.Status.ShouldBe(HttpStatusCode.BadRequest, r.ToString());
            r.Json["errors"]![field].ShouldNotBeNull(r.ToString());
        }
        (await w.Clerk.GetAsync("/api/v1/routing-rules/match?regionCode=abc&categoryCode=01")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_a_rule_for_any_category_matches_every_category_after_specific_rules()
    {
        var w = await World.OfAsync(factory);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "330481", categoryCode = "1101", unitId = w.CityHousing })).Expect(HttpStatusCode.Created);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "330481", categoryCode = (string?)null, unitId = w.OtherCounty })).Expect(HttpStatusCode.Created);
        (await MatchAsync(w.Clerk, "330481", "1101")).Take(2).ShouldBe([w.CityHousing.ToString(), w.OtherCounty.ToString()]);
        (await MatchAsync(w.Clerk, "330481", "1102")).ShouldContain(w.OtherCounty.ToString());
        (await MatchAsync(w.Clerk, "330481", "1102")).ShouldNotContain(w.CityHousing.ToString());
    }

    [Fact]
    public async Task Creating_a_duplicate_any_category_rule_answers_409()
    {
        var w = await World.OfAsync(factory);
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "330100", categoryCode = (string?)null, unitId = w.CityBureau })).Expect(HttpStatusCode.Created);
        var duplicate = await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "330100", categoryCode = (string?)null, unitId = w.CityBureau });
        duplicate.Status.ShouldBe(HttpStatusCode.Conflict, duplicate.ToString());
        duplicate.ProblemType.ShouldBe("/problems/duplicate-rule");
    }
}

public sealed class RoutingRuleTests_Sqlite(SqliteFactory f) : RoutingRuleTests(f), IClassFixture<SqliteFactory>;
public sealed class RoutingRuleTests_Postgres(PostgresFactory f) : RoutingRuleTests(f), IClassFixture<PostgresFactory>;
