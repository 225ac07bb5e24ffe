using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Xinfang.Web.Tests.Infrastructure;

/// <summary>
/// A small organisation made through the API by the bootstrap administrator, shared by the tests of a class:
/// province → city → county (two counties), with petition bureaus and housing departments whose functional
/// superiors form the review chain (county housing → city housing → province housing).
/// </summary>
public sealed class World
{
    public const string Password = "Test-Pass-2026";
    static readonly ConditionalWeakTable<XinfangFactory, Task<World>> Cache = new();

    public required XinfangFactory Factory { get; init; }
    public required Api Admin { get; init; }
    public Guid Root, Province, ProvinceHousing, City, CityBureau, CityHousing, County, CountyBureau, CountyHousing, CountyLabour, OtherCounty, OtherCountyBureau;
    public Api Clerk = null!, Worker = null!, Leader = null!, CityReviewer = null!, ProvinceReviewer = null!, OtherClerk = null!, Analyst = null!, CityClerk = null!, LabourWorker = null!;

    public static Task<World> OfAsync(XinfangFactory factory) => Cache.GetValue(factory, f => CreateAsync(f));

    static async Task<World> CreateAsync(XinfangFactory factory)
    {
        var admin = await Api.LoginAsync(factory, "admin", XinfangFactory.AdminPassword);
        var units = (await admin.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var w = new World { Factory = factory, Admin = admin, Root = Guid.Parse(units[0]!["id"]!.ToString()) };
        w.Province = await w.UnitAsync("p", "江苏省人民政府", 1, "government", "320000", w.Root);
        w.ProvinceHousing = await w.UnitAsync("p-zjt", "江苏省住房和城乡建设厅", 1, "department", "320000", w.Province);
        w.City = await w.UnitAsync("c", "苏州市人民政府", 2, "government", "320500", w.Province);
        w.CityBureau = await w.UnitAsync("c-xfj", "苏州市信访局", 2, "petitionBureau", "320500", w.City);
        w.CityHousing = await w.UnitAsync("c-zjj", "苏州市住房和城乡建设局", 2, "department", "320500", w.City, w.ProvinceHousing);
        w.County = await w.UnitAsync("k", "昆山市人民政府", 3, "government", "320583", w.City);
        w.CountyBureau = await w.UnitAsync("k-xfj", "昆山市信访局", 3, "petitionBureau", "320583", w.County, w.CityBureau);
        w.CountyHousing = await w.UnitAsync("k-zjj", "昆山市住房和城乡建设局", 3, "department", "320583", w.County, w.CityHousing);
        w.CountyLabour = await w.UnitAsync("k-rsj", "昆山市人力资源和社会保障局", 3, "department", "320583", w.County);
        w.OtherCounty = await w.UnitAsync("t", "太仓市人民政府", 3, "government", "320585", w.City);
        w.OtherCountyBureau = await w.UnitAsync("t-xfj", "太仓市信访局", 3, "petitionBureau", "320585", w.OtherCounty);
        w.Clerk = await w.UserAsync("clerk", w.CountyBureau, "intakeClerk");
        w.Worker = await w.UserAsync("worker", w.CountyHousing, "caseworker");
        w.Leader = await w.UserAsync("leader", w.CountyHousing, "unitLeader");
        w.LabourWorker = await w.UserAsync("labour", w.CountyLabour, "caseworker");
        w.CityReviewer = await w.UserAsync("city-reviewer", w.CityHousing, "caseworker", "unitLeader");
        w.ProvinceReviewer = await w.UserAsync("province-reviewer", w.ProvinceHousing, "caseworker", "unitLeader");
        w.OtherClerk = await w.UserAsync("other-clerk", w.OtherCountyBureau, "intakeClerk");
        w.Analyst = await w.UserAsync("analyst", w.CityBureau, "analyst");
        w.CityClerk = await w.UserAsync("city-clerk", w.CityBureau, "intakeClerk");
        return w;
    }

    async Task<Guid> UnitAsync(string code, string name, int level, string kind, string region, Guid parent, Guid? superior = null)
    {
        var r = (await Admin.PostAsync("/api/v1/units", new { code, name, level, kind, regionCode = region, parentId = parent, superiorId = superior }))
            .Expect(HttpStatusCode.Created);
        return Guid.Parse(r["id"]);
    }

    async Task<Api> UserAsync(string userName, Guid unit, params string[] roles)
    {
        (await Admin.PostAsync("/api/v1/users", new { userName, password = Password, displayName = userName, unitId = unit, roles })).Expect(HttpStatusCode.Created);
        return await Api.LoginAsync(Factory, userName, Password);
    }

    /// <summary>Moves the server's clock (China time).</summary>
    public async Task SetClockAsync(string chinaTime) =>
        (await Admin.PutAsync("/api/v1/testing/clock", new { now = DateTimeOffset.Parse(chinaTime) })).Expect(HttpStatusCode.OK);

    /// <summary>A valid registration body (Art. 19 complete); <paramref name="change"/> edits it.</summary>
    public static JsonObject Petition(Action<JsonObject>? change = null, string? idNumber = "11010519491231002X", string title = "阳光花园小区逾期交房")
    {
        var body = new JsonObject
        {
            ["channel"] = "visit",
            ["petitioners"] = new JsonArray(new JsonObject
            {
                ["name"] = "张三", ["idNumber"] = idNumber, ["phone"] = "13912345678", ["address"] = "昆山市玉山镇阳光花园3栋201室",
            }),
            ["headcount"] = 1,
            ["title"] = title,
            ["content"] = "诉求：请求开发商按合同交付住房。事实：合同约定2025年6月交房，至今停工。理由：购房款已付清。",
            ["regionCode"] = "320583",
            ["categoryCode"] = "0102",
            ["type"] = "claim",
        };
        change?.Invoke(body);
        return body;
    }

    public async Task<JsonNode> RegisterAsync(Api? by = null, JsonObject? body = null) =>
        (await (by ?? Clerk).PostAsync("/api/v1/petitions", body ?? Petition())).Expect(HttpStatusCode.Created).Json;
}
