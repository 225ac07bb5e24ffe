using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Art. 30 ¶3 across every read path (Jurisdiction.SightOf): get, events, list, search, near-duplicates, clusters,
/// attachments, reveal, work queues and the /staff pages. The accused unit sees nothing — not even that the matter
/// exists; the receiving bureau under it sees only the notice and finds nothing by content or person; a staff
/// account linked as the accused person sees nothing in any unit, also after moving.
/// </summary>
public abstract class ConfidentialityTests(XinfangFactory factory)
{
    static readonly byte[] Pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"u8.ToArray();

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-20T10:00:00+08:00");
        return w;
    }

    /// <summary>A new signed-in account with its id and user name.</summary>
    async Task<(Infrastructure.Api Api, Guid Id, string UserName)> AccountAsync(World w, Guid unit, params string[] roles)
    {
        var userName = "s-" + Guid.NewGuid().ToString("N")[..12];
        var created = (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = "账号" + userName[2..6], unitId = unit, roles }))
            .Expect(HttpStatusCode.Created).Json;
        var id = Guid.Parse(created["id"]!.ToString());
        // The account was created at the test clock's March date, but password age is judged by the real clock:
        // the page sign-in would ask for a new password. The password counts as just set.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var user = await db.Users.FirstAsync(u => u.Id == id);
            user.PasswordChangedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }
        return (await Infrastructure.Api.LoginAsync(w.Factory, userName, World.Password), id, userName);
    }

    /// <summary>An accusation whose title, content and petitioner are each findable (estate name, phone, ID number).</summary>
    static JsonObject Secret(Guid accusedUnit, string estate, string? accusedUserName = null)
    {
        var body = Accusation(accusedUnit, $"举报{estate}项目审批中有人收受财物");
        body["content"] = $"我是{estate}小区业主，{estate}小区开发商逾期交房，购房款已付清。业主反映审批官员收受开发商财物。";
        if (accusedUserName is not null) body["accused"]!["userName"] = accusedUserName;
        return body;
    }

    static string Phone(JsonObject body) => body["petitioners"]![0]!["phone"]!.ToString();
    static string IdNumber(JsonObject body) => body["petitioners"]![0]!["idNumber"]!.ToString();

    async Task AttachAsync(Infrastructure.Api api, string id)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "files", "举报材料.pdf");
        using var response = await api.Http.PostAsync($"/api/v1/petitions/{id}/attachments", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Search by every criterion that could confirm the matter: number, words of title and content, petitioner's name, phone, ID number.</summary>
    static async Task<IReadOnlyList<string>> FoundAsync(Infrastructure.Api api, JsonObject body, string number, string estate)
    {
        var found = new List<string>();
        foreach (var q in new[]
        {
            "number=" + number, "text=" + Uri.EscapeDataString(estate), "text=" + Uri.EscapeDataString("收受开发商财物"),
            "name=" + Uri.EscapeDataString("张三") + "&phone=" + Phone(body), "idNumber=" + IdNumber(body), "phone=" + Phone(body),
        })
            found.AddRange(Ids(await api.GetAsync("/api/v1/petitions/search?limit=500&" + q)));
        return found;
    }

    /// <summary>Near-duplicate candidates for a draft with the matter's own text and petitioner.</summary>
    static async Task<IReadOnlyList<string>> SimilarAsync(Infrastructure.Api api, JsonObject body)
    {
        var draft = (JsonObject)body.DeepClone();
        draft.Remove("accused");
        draft["type"] = "claim";
        var r = (await api.PostAsync("/api/v1/petitions/similar", draft)).Expect(HttpStatusCode.OK).Json;
        return r["items"]!.AsArray().Select(c => c!["id"]!.ToString()).ToList();
    }

    static async Task<IReadOnlyList<string>> ClusteredAsync(Infrastructure.Api api) =>
        (await api.GetAsync("/api/v1/clusters?from=2026-03-01&to=2026-03-31")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .SelectMany(c => c!["members"]!.AsArray().Select(m => m!["id"]!.ToString())).ToList();

    /// <summary>Three claims about the same estate, so that a cluster forms around it (and a stored petition has candidates).</summary>
    static async Task<List<string>> PlantAsync(World w, Infrastructure.Api by, string estate)
    {
        string[] complaints =
        [
            $"我是{estate}小区业主，{estate}小区开发商逾期交房，购房款已付清。",
            $"{estate}小区交房一再延期，开发商失联，{estate}小区业主要求督促复工交房。",
            $"反映{estate}小区逾期交房问题：{estate}小区烂尾至今，业主维权无门。",
        ];
        var ids = new List<string>();
        foreach (var c in complaints) ids.Add(Id(await w.RegisterAsync(by, Petition($"{estate}小区逾期交房", b => b["content"] = c))));
        return ids;
    }

    /// <summary>Every API read path answers 404 or leaves the matter out.</summary>
    static async Task ShouldFindNothingAsync(Infrastructure.Api api, World w, Guid ownUnit, string id, JsonObject body, string number, string estate, string? other = null)
    {
        await ShouldNotReachAsync(api, w, id, ownUnit);
        (await api.GetAsync($"/api/v1/petitions/{id}/recusals")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync($"/api/v1/petitions/{id}/attachments")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync($"/api/v1/petitions/{id}/similar")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = "探查" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await ListedAsync(api, "&q=" + number)).ShouldNotContain(id);
        (await FoundAsync(api, body, number, estate)).ShouldNotContain(id);
        (await SimilarAsync(api, body)).ShouldNotContain(id);
        (await ClusteredAsync(api)).ShouldNotContain(id);
        if (other is not null)
        {
            var candidates = (await api.GetAsync($"/api/v1/petitions/{other}/similar")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
            candidates.Select(c => c!["id"]!.ToString()).ShouldNotContain(id);
        }
    }

    /// <summary>The same through the pages: the petition page and its files 404, the queues, search and clusters do not show it.</summary>
    async Task ShouldFindNothingOnPagesAsync(string userName, string id, string number, string estate)
    {
        var pages = await PageClient.SignInAsync(factory, userName);
        (await pages.GetAsync($"/staff/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await pages.PostAsync($"/staff/petitions/{id}/reveal", new() { ["reason"] = "探查" }, from: "/staff")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await pages.PostAsync($"/staff/petitions/{id}/recusal", new() { ["reason"] = "探查" }, from: "/staff")).Status.ShouldBe(HttpStatusCode.NotFound);
        foreach (var queue in new[] { "dispose", "accept", "handle", "review" })
            (await pages.GetAsync("/staff?queue=" + queue)).Html.ShouldNotContain(number);
        (await pages.GetAsync("/staff/search?text=" + Uri.EscapeDataString(estate))).Html.ShouldNotContain(number);
        (await pages.GetAsync("/staff/search?number=" + number)).Html.ShouldNotContain(id);
        (await pages.GetAsync("/staff/clusters?from=2026-03-01&to=2026-03-31")).Html.ShouldNotContain(id);
    }

    [Fact]
    public async Task Accused_person_linked_at_registration_finds_the_matter_by_no_path_even_while_their_unit_holds_it_or_after_moving()
    {
        var w = await WorldAsync();
        const string estate = "苍鹭湾";
        var (accusedApi, accusedId, accusedName) = await AccountAsync(w, w.CityBureau, "intakeClerk", "caseworker", "unitLeader");
        var planted = await PlantAsync(w, w.Clerk, estate);
        foreach (var p in planted)
            (await w.Clerk.PostAsync($"/api/v1/petitions/{p}/forward", new { unitId = w.CityBureau, note = "请市信访局处理" })).Expect(HttpStatusCode.OK);
        var body = Secret(w.CountyLabour, estate, accusedName);
        var registered = await w.RegisterAsync(body: body);
        var id = Id(registered);
        var number = registered["number"]!.ToString();
        registered["accused"]!["userId"]!.ToString().ShouldBe(accusedId.ToString());
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CityBureau, note = "请按管理权限处理" })).Expect(HttpStatusCode.OK);
        await AttachAsync(w.CityClerk, id);

        // The accused person's own unit now holds the matter: a colleague sees it everywhere (so each probe can fail) …
        (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["content"]!.ToString().ShouldContain(estate);
        (await FoundAsync(w.CityClerk, body, number, estate)).ShouldContain(id);
        (await SimilarAsync(w.CityClerk, body)).ShouldContain(id);
        (await w.CityClerk.GetAsync($"/api/v1/petitions/{planted[0]}/similar")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(c => c!["id"]!.ToString()).ShouldContain(id);
        (await ClusteredAsync(w.CityClerk)).ShouldContain(id);
        var colleague = await PageClient.SignInAsync(factory, "city-clerk");
        (await colleague.GetAsync("/staff?queue=accept")).Html.ShouldContain(number);

        // … the accused person, with every handling role, nowhere.
        await ShouldFindNothingAsync(accusedApi, w, w.CityBureau, id, body, number, estate, planted[0]);
        await ShouldFindNothingOnPagesAsync(accusedName, id, number, estate);

        // Moved to the county government (which sees the county bureau's matters): still nothing.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var user = await db.Users.FirstAsync(u => u.Id == accusedId);
            user.UnitId = w.County;
            await db.SaveChangesAsync();
        }
        (await ListedAsync(accusedApi)).ShouldContain(planted[0]); // the move took effect
        await ShouldFindNothingAsync(accusedApi, w, w.County, id, body, number, estate, planted[0]);
    }

    [Fact]
    public async Task Accused_unit_finds_the_matter_by_no_path_and_the_receiving_bureau_under_it_sees_only_the_notice()
    {
        var w = await WorldAsync();
        const string estate = "白鹭洲";
        var planted = await PlantAsync(w, w.Clerk, estate);
        // The county bureau registers an accusation against the county government, its parent.
        var body = Secret(w.County, estate);
        var registered = await w.RegisterAsync(body: body);
        var id = Id(registered);
        var number = registered["number"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CityBureau, note = "涉及县政府，请按管理权限处理" })).Expect(HttpStatusCode.OK);
        await AttachAsync(w.CityClerk, id);
        var cityGov = await UserAsync(w, w.City, "supervisor");
        (await FoundAsync(cityGov, body, number, estate)).ShouldContain(id);
        (await ClusteredAsync(cityGov)).ShouldContain(id);

        // The accused government, in every role: nothing at all.
        var (countyGov, _, countyGovName) = await AccountAsync(w, w.County, "unitLeader", "supervisor", "analyst");
        await ShouldFindNothingAsync(countyGov, w, w.County, id, body, number, estate);
        await ShouldFindNothingOnPagesAsync(countyGovName, id, number, estate);

        // The receiving bureau under it must know the matter it passed on, and no more.
        var notice = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        notice["title"]!.ToString().ShouldBe(Xinfang.Web.Petitions.PetitionView.Confidential);
        notice["petitioners"]!.AsArray().ShouldBeEmpty();
        (await ListedAsync(w.Clerk)).ShouldContain(id);
        (await FoundAsync(w.Clerk, body, number, estate)).ShouldNotContain(id);
        (await SimilarAsync(w.Clerk, body)).ShouldNotContain(id);
        (await ClusteredAsync(w.Clerk)).ShouldNotContain(id);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/attachments")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{planted[0]}/similar")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(c => c!["id"]!.ToString()).ShouldNotContain(id);
        var pages = await PageClient.SignInAsync(factory, "clerk");
        var page = (await pages.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        page.Html.ShouldNotContain(estate);
        page.Html.ShouldNotContain(Phone(body));
        page.Html.ShouldNotContain("举报材料.pdf");
        page.Html.ShouldNotContain("涉及县政府");
        (await pages.PostAsync($"/staff/petitions/{id}/reveal", new() { ["reason"] = "核对" })).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Registering_with_an_accused_account_that_does_not_exist_is_refused()
    {
        var w = await WorldAsync();
        var byName = Secret(w.CountyLabour, "赤麻鸭", "no-such-user");
        (await w.Clerk.PostAsync("/api/v1/petitions", byName)).Expect(HttpStatusCode.BadRequest).Json["errors"]!["accused.userName"].ShouldNotBeNull();
        var byId = Secret(w.CountyLabour, "赤麻鸭");
        byId["accused"]!["userId"] = Guid.NewGuid().ToString();
        (await w.Clerk.PostAsync("/api/v1/petitions", byId)).Expect(HttpStatusCode.BadRequest).Json["errors"]!["accused.userId"].ShouldNotBeNull();
    }
}

public sealed class ConfidentialityTests_Sqlite(SqliteFactory f) : ConfidentialityTests(f), IClassFixture<SqliteFactory>;
public sealed class ConfidentialityTests_Postgres(PostgresFactory f) : ConfidentialityTests(f), IClassFixture<PostgresFactory>;
