using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Roles on petitions (api.md, "Authentication"; domain.md, "Who uses it"): analysts read with personal data
/// masked and cannot act; the administrators (三员分立) manage the system, not the matters.
/// </summary>
public abstract class RoleTests(XinfangFactory factory)
{
    const string IdNumber = "11010519491231002X";

    async Task<(World W, string Id)> MatterAtCityBureauAsync(string title)
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        // World.Petition's petitioner: ID 11010519491231002X, phone 13912345678.
        var p = await w.RegisterAsync(w.CityClerk, World.Petition(title: title));
        return (w, Id(p));
    }

    static JsonNode FirstPetitioner(JsonNode petition) => petition["petitioners"]!.AsArray()[0]!;

    [Fact]
    public async Task Reading_as_analyst_masks_identity_number_and_phone()
    {
        var (w, id) = await MatterAtCityBureauAsync("分析员查看脱敏");

        var asAnalyst = (await w.Analyst.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        var person = FirstPetitioner(asAnalyst);
        person["name"]!.ToString().ShouldBe("张三");
        person["idNumber"]!.ToString().ShouldBe("110105********002X");
        person["phone"]!.ToString().ShouldBe("139****5678");
        person["address"].ShouldBeNull();
        person["masked"]!.GetValue<bool>().ShouldBeTrue();
        asAnalyst["title"]!.ToString().ShouldBe("分析员查看脱敏");

        // Lists mask alike.
        var listed = (await w.Analyst.GetAsync("/api/v1/petitions?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(p => p!["id"]!.ToString() == id)!;
        FirstPetitioner(listed)["idNumber"]!.ToString().ShouldBe("110105********002X");
        FirstPetitioner(listed)["phone"]!.ToString().ShouldBe("139****5678");
        FirstPetitioner(listed)["masked"]!.GetValue<bool>().ShouldBeTrue();

        // A handling role of the same unit sees the petitioner in full.
        var asClerk = FirstPetitioner((await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json);
        asClerk["idNumber"]!.ToString().ShouldBe(IdNumber);
        asClerk["phone"]!.ToString().ShouldBe("13912345678");
        asClerk["address"]!.ToString().ShouldBe("昆山市玉山镇阳光花园3栋201室");
        asClerk["masked"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Reading_as_supervisor_masks_personal_data_too()
    {
        var (w, id) = await MatterAtCityBureauAsync("督查员查看脱敏");
        var supervisor = await UserAsync(w, w.CityBureau, "supervisor");
        var person = FirstPetitioner((await supervisor.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json);
        person["idNumber"]!.ToString().ShouldBe("110105********002X");
        person["masked"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Acting_as_analyst_is_forbidden()
    {
        var (w, id) = await MatterAtCityBureauAsync("分析员不得办理");
        var view = (await w.Analyst.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        view["allowedActions"]!.AsArray().Count.ShouldBe(0);

        foreach (var (action, body) in new (string, object)[]
                 {
                     ("forward", new { unitId = w.CountyHousing }), ("accept", new { route = 6 }),
                     ("decline", new { reason = "x" }), ("withdraw", new { reason = "x" }),
                 })
        {
            var r = await w.Analyst.PostAsync($"/api/v1/petitions/{id}/{action}", body);
            r.Status.ShouldBe(HttpStatusCode.Forbidden, $"{action}: {r}");
            r.ProblemType.ShouldBe("/problems/role-not-permitted");
        }
        var register = await w.Analyst.PostAsync("/api/v1/petitions", Petition("分析员登记"));
        register.Status.ShouldBe(HttpStatusCode.Forbidden);
        register.ProblemType.ShouldBe("/problems/forbidden");

        (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK)["version"].ShouldBe("1");
    }

    [Fact]
    public async Task Reading_or_registering_as_system_admin_is_forbidden()
    {
        var (w, id) = await MatterAtCityBureauAsync("系统管理员不得查看");
        var reads = new[] { "/api/v1/petitions", $"/api/v1/petitions/{id}", $"/api/v1/petitions/{id}/events", $"/api/v1/petitions/{id}/review-bodies" };
        foreach (var path in reads)
        {
            var r = await w.Admin.GetAsync(path);
            r.Status.ShouldBe(HttpStatusCode.Forbidden, $"{path}: {r}");
            r.MediaType.ShouldBe("application/problem+json");
        }
        (await w.Admin.PostAsync("/api/v1/petitions", Petition("管理员登记"))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Admin.PostAsync($"/api/v1/petitions/{id}/withdraw", new { reason = "x" })).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("securityAdmin")]
    [InlineData("auditAdmin")]
    public async Task Reading_or_registering_as_security_or_audit_admin_is_forbidden(string role)
    {
        var (w, id) = await MatterAtCityBureauAsync("安全审计管理员不得查看-" + role);
        var admin = await UserAsync(w, w.CityBureau, role);
        (await admin.GetAsync("/api/v1/petitions")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsync("/api/v1/petitions", Petition("管理员登记-" + role))).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Calling_without_a_token_answers_401()
    {
        var w = await World.OfAsync(factory);
        var anonymous = new Infrastructure.Api(factory.CreateClient());
        (await anonymous.GetAsync("/api/v1/petitions")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/v1/petitions", Petition("未登录"))).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/v1/units")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/v1/users", new { userName = "nobody", password = World.Password, displayName = "x", unitId = w.Root, roles = new[] { "systemAdmin" } }))
            .Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class RoleTests_Sqlite(SqliteFactory f) : RoleTests(f), IClassFixture<SqliteFactory>;
public sealed class RoleTests_Postgres(PostgresFactory f) : RoleTests(f), IClassFixture<PostgresFactory>;
