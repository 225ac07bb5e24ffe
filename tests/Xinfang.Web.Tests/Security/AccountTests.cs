using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>User administration (api.md, "Administration and set-up"): only the system administrator creates
/// accounts; the three administrator roles are never held by one account (三员分立); the password policy holds.</summary>
public abstract class AccountTests(XinfangFactory factory)
{
    static string NewName() => "acct-" + Guid.NewGuid().ToString("N")[..10];

    static object UserBody(Guid unit, string[] roles, string? userName = null, string password = World.Password) =>
        new { userName = userName ?? NewName(), password, displayName = "测试用户", unitId = unit, roles };

    static void ShouldBeValidation(Reply r, string field)
    {
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.ToString());
        r.MediaType.ShouldBe("application/problem+json");
        r.Json["errors"]![field].ShouldNotBeNull($"errors.{field} missing: {r}");
    }

    [Theory]
    [InlineData("systemAdmin", "auditAdmin")]
    [InlineData("systemAdmin", "securityAdmin")]
    [InlineData("securityAdmin", "auditAdmin")]
    public async Task Creating_user_with_two_administrator_roles_is_refused(string first, string second)
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.PostAsync("/api/v1/users", UserBody(w.Root, [first, second]));
        ShouldBeValidation(r, "roles");
        r.Json["errors"]!["roles"]![0]!.ToString().ShouldContain("三员分立");
    }

    [Fact]
    public async Task Creating_user_with_one_administrator_role_succeeds_and_can_sign_in()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        var created = (await w.Admin.PostAsync("/api/v1/users", UserBody(w.Province, ["securityAdmin"], name))).Expect(HttpStatusCode.Created);
        created.Location.ShouldNotBeNull();
        created["userName"].ShouldBe(name);
        created.Json["roles"]!.AsArray().Select(x => x!.ToString()).ShouldBe(["securityAdmin"]);
        created["unitId"].ShouldBe(w.Province.ToString());
        var security = await Infrastructure.Api.LoginAsync(factory, name, World.Password);
        // A security administrator reads the accounts but does not create them.
        (await security.GetAsync("/api/v1/users")).Status.ShouldBe(HttpStatusCode.OK);
        (await security.PostAsync("/api/v1/users", UserBody(w.Province, ["caseworker"]))).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Creating_user_or_unit_as_non_admin_is_forbidden()
    {
        var w = await World.OfAsync(factory);
        var audit = await UserAsync(w, w.Root, "auditAdmin");
        foreach (var (who, api) in new[] { ("intake clerk", w.Clerk), ("unit leader", w.Leader), ("analyst", w.Analyst), ("audit admin", audit) })
        {
            var user = await api.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["intakeClerk"]));
            user.Status.ShouldBe(HttpStatusCode.Forbidden, $"{who}: {user}");
            user.ProblemType.ShouldBe("/problems/forbidden");
            var unit = await api.PostAsync("/api/v1/units",
                new { code = "nx-" + Guid.NewGuid().ToString("N")[..8], name = "某街道办事处", level = 4, kind = "government", regionCode = "320583001", parentId = w.County });
            unit.Status.ShouldBe(HttpStatusCode.Forbidden, $"{who}: {unit}");
            unit.ProblemType.ShouldBe("/problems/forbidden");
        }
        (await w.Clerk.GetAsync("/api/v1/users")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await audit.GetAsync("/api/v1/users")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("short1A")] // too short
    [InlineData("nouppercase123")] // no upper-case letter
    [InlineData("NoDigitsInHere")] // no digit
    [InlineData("")]
    public async Task Creating_user_with_weak_password_is_refused(string password)
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["intakeClerk"], name, password)), "password");
        // Nothing was created: the name is still free.
        (await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["intakeClerk"], name))).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("CLERK")] // Identity compares normalised names
    public async Task Creating_user_with_taken_name_is_refused(string userName)
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["intakeClerk"], userName));
        ShouldBeValidation(r, "userName");
        // The original account is untouched.
        await Infrastructure.Api.LoginAsync(factory, "clerk", World.Password);
    }

    [Fact]
    public async Task Creating_user_with_unknown_role_or_unit_is_refused()
    {
        var w = await World.OfAsync(factory);
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["superuser"])), "roles");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, [])), "roles");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/users", UserBody(Guid.NewGuid(), ["caseworker"])), "unitId");
        ShouldBeValidation(await w.Admin.PostAsync("/api/v1/users", new { userName = "", password = World.Password, displayName = "x", unitId = w.County, roles = new[] { "caseworker" } }), "userName");
    }

    [Fact]
    public async Task Signing_in_with_wrong_password_answers_401()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        (await w.Admin.PostAsync("/api/v1/users", UserBody(w.County, ["caseworker"], name))).Expect(HttpStatusCode.Created);
        var http = factory.CreateClient();
        using var response = await http.PostAsync("/api/v1/auth/login",
            new StringContent($$"""{"userName":"{{name}}","password":"Wrong-Pass-2026"}""", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task System_admin_changing_roles_and_unit_applies_at_once_and_is_on_the_audit_trail()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        var created = (await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyHousing, ["analyst"], name))).Expect(HttpStatusCode.Created);
        var id = created["id"];
        var user = await Infrastructure.Api.LoginAsync(factory, name, World.Password);
        (await user.PostAsync("/api/v1/petitions", World.Petition())).Status.ShouldBe(HttpStatusCode.Forbidden); // an analyst does not register

        var changed = (await w.Admin.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "intakeClerk", "unitLeader" }, unitId = w.CountyBureau })).Expect(HttpStatusCode.OK);
        changed.Json["roles"]!.AsArray().Select(x => x!.ToString()).Order().ShouldBe(["intakeClerk", "unitLeader"]);
        changed["unitId"].ShouldBe(w.CountyBureau.ToString());
        // The same token, the new roles and unit: registering is now allowed, from the bureau.
        var registered = (await user.PostAsync("/api/v1/petitions", Petition("调入信访局后登记"))).Expect(HttpStatusCode.Created);
        registered["receivingUnitId"].ShouldBe(w.CountyBureau.ToString());

        var auditor = await UserAsync(w, w.Root, "auditAdmin");
        var entries = (await auditor.GetAsync($"/api/v1/audit?target={id}&action=user.")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var roles = entries.Single(e => e!["action"]!.ToString() == "user.rolesChanged")!;
        roles["detail"]!["before"]!.AsArray().Select(x => x!.ToString()).ShouldBe(["analyst"]);
        roles["detail"]!["after"]!.AsArray().Select(x => x!.ToString()).Order().ShouldBe(["intakeClerk", "unitLeader"]);
        roles["actorUserName"]!.ToString().ShouldBe("admin");
        var unit = entries.Single(e => e!["action"]!.ToString() == "user.unitChanged")!;
        unit["detail"]!["from"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        unit["detail"]!["to"]!.ToString().ShouldBe(w.CountyBureau.ToString());
    }

    [Fact]
    public async Task Changing_roles_is_refused_for_joined_admin_roles_own_account_other_roles_and_outside_the_subtree()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        var id = (await w.Admin.PostAsync("/api/v1/users", UserBody(w.CountyBureau, ["intakeClerk"], name))).Expect(HttpStatusCode.Created)["id"];

        var joined = await w.Admin.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "systemAdmin", "auditAdmin" } });
        ShouldBeValidation(joined, "roles");
        joined.Json["errors"]!["roles"]![0]!.ToString().ShouldContain("三员分立");
        ShouldBeValidation(await w.Admin.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "boss" } }), "roles");
        ShouldBeValidation(await w.Admin.PutAsync($"/api/v1/users/{id}", new { unitId = Guid.NewGuid() }), "unitId");

        var me = (await w.Admin.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Single(u => u!["userName"]!.ToString() == "admin")!["id"]!.ToString();
        (await w.Admin.PutAsync($"/api/v1/users/{me}", new { roles = new[] { "systemAdmin", "caseworker" } })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Leader.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "unitLeader" } })).Status.ShouldBe(HttpStatusCode.Forbidden);
        var security = await UserAsync(w, w.Root, "securityAdmin");
        (await security.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "unitLeader" } })).Status.ShouldBe(HttpStatusCode.Forbidden);
        // A county's system administrator manages only the county's accounts.
        var countyAdmin = await UserAsync(w, w.OtherCounty, "systemAdmin");
        (await countyAdmin.PutAsync($"/api/v1/users/{id}", new { roles = new[] { "unitLeader" } })).Status.ShouldBe(HttpStatusCode.NotFound);

        // Nothing changed.
        var after = (await w.Admin.GetAsync("/api/v1/users")).Json["items"]!.AsArray().Single(u => u!["userName"]!.ToString() == name)!;
        after["roles"]!.AsArray().Select(x => x!.ToString()).ShouldBe(["intakeClerk"]);
        after["unitId"]!.ToString().ShouldBe(w.CountyBureau.ToString());
    }
}

public sealed class AccountTests_Sqlite(SqliteFactory f) : AccountTests(f), IClassFixture<SqliteFactory>;
public sealed class AccountTests_Postgres(PostgresFactory f) : AccountTests(f), IClassFixture<PostgresFactory>;
