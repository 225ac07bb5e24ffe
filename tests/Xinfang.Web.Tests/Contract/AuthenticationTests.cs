using System.Net;
using System.Net.Http.Headers;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>Sign-in and its refusals: bearer tokens, 401 problems that say why, and lockout after repeated failures.</summary>
public abstract class AuthenticationTests(XinfangFactory factory)
{
    Api Anonymous() => new(factory.CreateClient());

    async Task<string> NewUserNameAsync(World w)
    {
        var userName = $"auth-{Guid.NewGuid():N}"[..20];
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = "登录测试", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        return userName;
    }

    [Theory]
    [InlineData("/api/v1/petitions")]
    [InlineData("/api/v1/units")]
    [InlineData("/api/v1/users")]
    public async Task Get_without_token_401_problem(string path)
    {
        await World.OfAsync(factory);

        var r = await Anonymous().GetAsync(path);

        r.ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Register_without_token_401_problem_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();

        var r = await Anonymous().PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition());

        r.ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Get_with_forged_token_401_problem()
    {
        await World.OfAsync(factory);
        var api = Anonymous();
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged-token-that-was-never-issued");

        (await api.GetAsync("/api/v1/petitions")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_right_password_returns_bearer_token_that_opens_the_api()
    {
        var w = await World.OfAsync(factory);
        var userName = await NewUserNameAsync(w);
        var api = Anonymous();

        var r = (await api.PostAsync("/api/v1/auth/login", new { userName, password = World.Password })).Expect(HttpStatusCode.OK);

        r["tokenType"].ShouldBe("Bearer");
        r["accessToken"].ShouldNotBeNullOrWhiteSpace();
        r.Json["expiresIn"]!.GetValue<long>().ShouldBe(3600);
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", r["accessToken"]);
        (await api.GetAsync("/api/v1/petitions")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_wrong_password_401_invalid_credentials()
    {
        var w = await World.OfAsync(factory);
        var userName = await NewUserNameAsync(w);

        var r = await Anonymous().PostAsync("/api/v1/auth/login", new { userName, password = "Wrong-Pass-2026" });

        r.ShouldBeProblem(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
        r.Body.ShouldNotContain("accessToken");
    }

    [Fact]
    public async Task Login_unknown_user_401_same_answer_as_wrong_password()
    {
        await World.OfAsync(factory);

        var r = await Anonymous().PostAsync("/api/v1/auth/login", new { userName = "nobody-" + Guid.NewGuid().ToString("N")[..8], password = "Wrong-Pass-2026" });

        r.ShouldBeProblem(HttpStatusCode.Unauthorized, "/problems/invalid-credentials");
    }

    [Fact]
    public async Task Login_after_five_wrong_passwords_401_locked_out_even_with_right_password()
    {
        var w = await World.OfAsync(factory);
        var userName = await NewUserNameAsync(w);
        var api = Anonymous();

        for (var i = 0; i < 5; i++)
            (await api.PostAsync("/api/v1/auth/login", new { userName, password = $"Wrong-Pass-{i}" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var right = await api.PostAsync("/api/v1/auth/login", new { userName, password = World.Password });

        right.ShouldBeProblem(HttpStatusCode.Unauthorized, "/problems/locked-out");
        right.Body.ShouldNotContain("accessToken");
        // Others are not affected.
        (await Anonymous().PostAsync("/api/v1/auth/login", new { userName = "clerk", password = World.Password })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_malformed_body_400_problem()
    {
        await World.OfAsync(factory);

        (await Anonymous().PostAsync("/api/v1/auth/login", "{\"userName\": ")).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await Anonymous().PostAsync("/api/v1/auth/login", new { userName = "", password = "" })).ShouldBeProblem(HttpStatusCode.BadRequest);
    }
}

public sealed class AuthenticationTests_Sqlite(SqliteFactory f) : AuthenticationTests(f), IClassFixture<SqliteFactory>;
public sealed class AuthenticationTests_Postgres(PostgresFactory f) : AuthenticationTests(f), IClassFixture<PostgresFactory>;
