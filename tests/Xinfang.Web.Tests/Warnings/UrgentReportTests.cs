using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Warnings.WarningsKit;

namespace Xinfang.Web.Tests.Warnings;

/// <summary>
/// Art. 25 over HTTP: a major or urgent matter, flagged at registration or later, is reported at once to the petition
/// bureau one level up, which sees it in its queue, may open the matter and acknowledges the report exactly once.
/// </summary>
public abstract class UrgentReportTests(WarningsFactory factory)
{
    [Fact]
    public async Task Registering_urgent_matter_reports_it_to_city_bureau_which_acknowledges_it_once()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync("2026-02-02T10:00:00+08:00");
        var registered = await w.RegisterAsync(body: Fresh("紧急测试：群体聚集苗头", b => b["urgent"] = true));
        var id = registered["id"]!.ToString();
        registered["flags"]!["urgent"]!.GetValue<bool>().ShouldBeTrue();

        var queue = (await w.CityClerk.GetAsync("/api/v1/urgent-reports?acknowledged=false")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var report = queue.Single(r => r!["petitionId"]!.ToString() == id)!;
        report["fromUnitId"]!.ToString().ShouldBe(w.CountyBureau.ToString());
        report["toUnitId"]!.ToString().ShouldBe(w.CityBureau.ToString());
        report["atRegistration"]!.GetValue<bool>().ShouldBeTrue();
        report["acknowledgedAt"].ShouldBeNull();
        report["title"]!.ToString().ShouldBe("紧急测试：群体聚集苗头");
        // The report gave the bureau the matter itself, and its notice.
        (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await NoticesAsync(w.CityClerk)).ShouldContain(n => n["petitionId"]!.ToString() == id && n["kind"]!.ToString() == "urgentReport");
        var events = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var annotation = events.Single(e => e!["action"]!.ToString() == "urgent-report")!;
        annotation["targetUnitId"]!.ToString().ShouldBe(w.CityBureau.ToString());
        // Nobody else's queue has it.
        (await w.OtherClerk.GetAsync("/api/v1/urgent-reports")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(r => r!["petitionId"]!.ToString() == id);
        (await w.Clerk.GetAsync("/api/v1/urgent-reports")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(r => r!["petitionId"]!.ToString() == id);

        var reportId = report["id"]!.ToString();
        (await w.Analyst.PostAsync($"/api/v1/urgent-reports/{reportId}/acknowledge", null)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.OtherClerk.PostAsync($"/api/v1/urgent-reports/{reportId}/acknowledge", null)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Clerk.PostAsync($"/api/v1/urgent-reports/{reportId}/acknowledge", null)).Status.ShouldBe(HttpStatusCode.NotFound);
        var acknowledged = (await w.CityClerk.PostAsync($"/api/v1/urgent-reports/{reportId}/acknowledge", null)).Expect(HttpStatusCode.OK).Json;
        acknowledged["acknowledgedAt"].ShouldNotBeNull();
        acknowledged["acknowledgedByName"]!.ToString().ShouldBe("city-clerk");
        var again = await w.CityClerk.PostAsync($"/api/v1/urgent-reports/{reportId}/acknowledge", null);
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.ProblemType.ShouldBe("/problems/already-acknowledged");

        (await w.CityClerk.GetAsync("/api/v1/urgent-reports?acknowledged=false")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(r => r!["id"]!.ToString() == reportId);
        (await w.CityClerk.GetAsync("/api/v1/urgent-reports?acknowledged=true")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldContain(r => r!["id"]!.ToString() == reportId);
        events = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        events.Count(e => e!["action"]!.ToString() == "urgent-acknowledge").ShouldBe(1);
    }

    [Fact]
    public async Task Flagging_later_by_holding_unit_reports_to_city_bureau_and_second_flag_is_refused_with_409()
    {
        var kit = await OfAsync(factory);
        var w = kit.World;
        await w.SetClockAsync("2026-02-03T10:00:00+08:00");
        var id = (await w.RegisterAsync(body: Fresh("紧急测试：事后标记")))["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请处理" })).Expect(HttpStatusCode.OK);

        var blank = await w.Worker.PostAsync($"/api/v1/petitions/{id}/urgent", new { reason = " " });
        blank.Status.ShouldBe(HttpStatusCode.BadRequest);
        blank.Json["errors"]!["reason"].ShouldNotBeNull();
        (await kit.CountySupervisor.PostAsync($"/api/v1/petitions/{id}/urgent", new { reason = "可能引发群体性事件" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.OtherClerk.PostAsync($"/api/v1/petitions/{id}/urgent", new { reason = "可能引发群体性事件" })).Status.ShouldBe(HttpStatusCode.NotFound);

        var created = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/urgent", new { reason = "可能引发群体性事件" })).Expect(HttpStatusCode.Created).Json;
        created["fromUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        created["toUnitId"]!.ToString().ShouldBe(w.CityBureau.ToString());
        created["reason"]!.ToString().ShouldBe("可能引发群体性事件");
        created["atRegistration"]!.GetValue<bool>().ShouldBeFalse();
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["flags"]!["urgent"]!.GetValue<bool>().ShouldBeTrue();
        (await w.CityClerk.GetAsync("/api/v1/urgent-reports")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldContain(r => r!["petitionId"]!.ToString() == id);

        var again = await w.Worker.PostAsync($"/api/v1/petitions/{id}/urgent", new { reason = "再次上报" });
        again.Status.ShouldBe(HttpStatusCode.Conflict);
        again.ProblemType.ShouldBe("/problems/already-urgent");
    }

    [Fact]
    public async Task Flagging_matter_of_township_reports_to_county_bureau_not_city()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync("2026-02-04T10:00:00+08:00");
        var town = Guid.Parse((await w.Admin.PostAsync("/api/v1/units", new
        {
            code = "k-ys", name = "玉山镇人民政府", level = 4, kind = "government", regionCode = "320583001", parentId = w.County,
        })).Expect(HttpStatusCode.Created)["id"]);
        var townClerk = await UserAsync(w, "town-clerk", town, "intakeClerk");
        var id = (await w.RegisterAsync(townClerk, Fresh("紧急测试：乡镇上报", b => b["urgent"] = true)))["id"]!.ToString();

        var report = (await w.Clerk.GetAsync("/api/v1/urgent-reports?acknowledged=false")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(r => r!["petitionId"]!.ToString() == id)!;
        report["fromUnitId"]!.ToString().ShouldBe(town.ToString());
        report["toUnitId"]!.ToString().ShouldBe(w.CountyBureau.ToString());
        (await w.CityClerk.GetAsync("/api/v1/urgent-reports")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(r => r!["petitionId"]!.ToString() == id);
    }
}

public sealed class UrgentReportTests_Sqlite(WarningsSqliteFactory f) : UrgentReportTests(f), IClassFixture<WarningsSqliteFactory>;
public sealed class UrgentReportTests_Postgres(WarningsPostgresFactory f) : UrgentReportTests(f), IClassFixture<WarningsPostgresFactory>;
