using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Art. 30 ¶3 (domain.md, "Handling paths"): an accusation (检举控告) and the petitioner's identity are never shown
/// or sent to the accused unit. The server never forwards or assigns it to the accused unit; to the accused unit
/// and the units under it the matter does not exist (Jurisdiction.SightOf), except to the unit under it that
/// received or holds it, which sees title and content replaced by a notice, no petitioners, no accused, and no
/// event notes. ConfidentialityTests probes every other read path.
/// </summary>
public abstract class AccusationConfidentialityTests(XinfangFactory factory)
{
    const string Notice = "（检举控告内容依法保密，不向被检举控告单位公开）";

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        return w;
    }

    static void ShouldBeConfidential(JsonNode view)
    {
        view["title"]!.ToString().ShouldBe(Notice);
        view["content"]!.ToString().ShouldBe(Notice);
        view["petitioners"]!.AsArray().Count.ShouldBe(0);
        view["accused"].ShouldBeNull();
        view["type"]!.ToString().ShouldBe("accusation");
    }

    static void ShouldBeInFull(JsonNode view, Guid accused, string title, bool masked)
    {
        view["title"]!.ToString().ShouldBe(title);
        view["content"]!.ToString().ShouldContain("收受开发商财物");
        view["accused"]!["unitId"]!.ToString().ShouldBe(accused.ToString());
        view["accused"]!["personName"]!.ToString().ShouldBe("某某");
        var person = view["petitioners"]!.AsArray().Single()!;
        person["name"]!.ToString().ShouldBe("张三");
        person["masked"]!.GetValue<bool>().ShouldBe(masked);
        person["idNumber"]!.ToString().Contains('*').ShouldBe(masked);
    }

    static void ShouldBeRefusedAsAccused(Reply r)
    {
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.ToString());
        r.ProblemType.ShouldBe("/problems/accusation-to-accused");
        r.Json["errors"]!["unitId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Forwarding_or_assigning_accusation_to_accused_unit_is_refused()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Accusation(w.CountyLabour)));

        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyLabour, note = "请核查" }));
        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/assign", new { unitId = w.CountyLabour, reportDueOn = "2026-05-29" }));
        var unchanged = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        unchanged["status"]!.ToString().ShouldBe("registered");
        unchanged["version"]!.GetValue<int>().ShouldBe(1);
        await ShouldNotReachAsync(w.LabourWorker, w, id, w.CountyLabour);
    }

    [Fact]
    public async Task Handling_accusation_elsewhere_keeps_it_out_of_the_accused_units_reach()
    {
        var w = await WorldAsync();
        const string title = "举报县人社局某某收受贿赂";
        var registered = await w.RegisterAsync(body: Accusation(w.CountyLabour, title));
        var id = Id(registered);
        // The registering clerk is not in the accused unit's subtree: the matter in full.
        ShouldBeInFull(registered, w.CountyLabour, title, masked: false);

        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        ShouldBeInFull((await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json, w.CountyLabour, title, masked: false);
        var countyGov = await UserAsync(w, w.County, "supervisor");
        ShouldBeInFull((await countyGov.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json, w.CountyLabour, title, masked: true);

        // No legitimate path reaches the accused unit: the recipient cannot pass it on, and an objection returns it
        // to the bureau, which still may not send it to the accused.
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyLabour })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/object", new { reason = "应由纪检监察机关处理" })).Expect(HttpStatusCode.OK);
        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/assign", new { unitId = w.CountyLabour, reportDueOn = "2026-05-29" }));
        await ShouldNotReachAsync(w.LabourWorker, w, id, w.CountyLabour);
        // A second account of the accused unit, with every handling role, fares no better.
        var labourLeader = await UserAsync(w, w.CountyLabour, "intakeClerk", "caseworker", "unitLeader");
        await ShouldNotReachAsync(labourLeader, w, id, w.CountyLabour);
    }

    [Fact]
    public async Task Reading_accusation_from_inside_the_accused_subtree_shows_only_the_confidentiality_notice()
    {
        var w = await WorldAsync();
        const string title = "举报昆山市政府某某违规审批";
        // The county bureau's clerk registers an accusation against the county government, its own parent:
        // the clerk's unit is inside the accused's subtree.
        var registered = await w.RegisterAsync(body: Accusation(w.County, title));
        var id = Id(registered);
        ShouldBeConfidential(registered);
        registered["queryCode"]!.ToString().ShouldNotBeNullOrWhiteSpace(); // the petitioner still gets the code
        ShouldBeConfidential((await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json);

        // Never to the accused unit; up to the city bureau instead.
        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.County, note = "x" }));
        ShouldBeConfidential((await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CityBureau, note = "请按管理权限处理：涉及县政府" }))
            .Expect(HttpStatusCode.OK).Json);

        // The receiving bureau inside the accused subtree: the notice, no notes in the timeline.
        ShouldBeConfidential((await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json);
        var listed = (await w.Clerk.GetAsync("/api/v1/petitions?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(p => p!["id"]!.ToString() == id)!;
        ShouldBeConfidential(listed);
        var events = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        events.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "forward"]);
        events.ShouldAllBe(e => e!["note"] == null && e!["data"] == null);
        // The accused government itself, though its bureau's matters are in its jurisdiction: nothing, not even the notice.
        var countyGov = await UserAsync(w, w.County, "unitLeader");
        await ShouldNotReachAsync(countyGov, w, id, w.County);
        // Units under the accused that the matter never reached do not see it at all.
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);

        // Outside the accused subtree: in full (personal data masked for non-handling roles), notes included.
        var cityGov = await UserAsync(w, w.City, "supervisor");
        ShouldBeInFull((await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json, w.County, title, masked: false);
        ShouldBeInFull((await w.Analyst.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json, w.County, title, masked: true);
        ShouldBeInFull((await cityGov.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json, w.County, title, masked: true);
        var full = (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        full[1]!["note"]!.ToString().ShouldBe("请按管理权限处理：涉及县政府");
        full[1]!["targetUnitId"]!.ToString().ShouldBe(w.CityBureau.ToString());
        // The sibling county sees nothing.
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Searching_titles_from_inside_the_accused_subtree_does_not_reveal_the_accusation()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Accusation(w.County, "举报县政府副县长某某收受巨额贿赂")));
        var countyGov = await UserAsync(w, w.County, "unitLeader");
        (await ListedAsync(countyGov)).ShouldNotContain(id); // the accused unit does not learn that the matter exists …
        (await ListedAsync(countyGov, "&q=" + Uri.EscapeDataString("副县长某某"))).ShouldNotContain(id);
        (await ListedAsync(w.Clerk)).ShouldContain(id); // … its receiving bureau does (with the notice), but may not probe its title
        (await ListedAsync(w.Clerk, "&q=" + Uri.EscapeDataString("收受巨额贿赂"))).ShouldNotContain(id);
        // Outside the accused subtree the search works as usual.
        var cityGov = await UserAsync(w, w.City, "supervisor");
        (await ListedAsync(cityGov, "&q=" + Uri.EscapeDataString("副县长某某"))).ShouldContain(id);
    }

    [Fact]
    public async Task Forwarding_accusation_to_a_unit_under_the_accused_is_refused()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Accusation(w.County, "举报县政府某某（转送下属单位）")));
        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "x" }));
        ShouldBeRefusedAsAccused(await w.Clerk.PostAsync($"/api/v1/petitions/{id}/assign", new { unitId = w.CountyLabour, reportDueOn = "2026-05-29" }));
    }

    [Fact]
    public async Task Registering_accused_details_on_a_non_accusation_is_refused()
    {
        var w = await WorldAsync();
        var body = Accusation(w.CountyLabour);
        body["type"] = "claim";
        var r = await w.Clerk.PostAsync("/api/v1/petitions", body);
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Json["errors"]!["accused"].ShouldNotBeNull();
    }
}

public sealed class AccusationConfidentialityTests_Sqlite(SqliteFactory f) : AccusationConfidentialityTests(f), IClassFixture<SqliteFactory>;
public sealed class AccusationConfidentialityTests_Postgres(PostgresFactory f) : AccusationConfidentialityTests(f), IClassFixture<PostgresFactory>;
