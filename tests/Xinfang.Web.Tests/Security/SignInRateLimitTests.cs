using System.Net;
using System.Net.Http.Json;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>Low sign-in limits; the client address comes from X-Forwarded-For (the loopback proxy is trusted), so each test has its own.</summary>
public static class Limited
{
    public const int PerAddress = 4, PerUser = 3;

    public static XinfangFactory Configure(XinfangFactory f) => f
        .With("Auth:SignInPerAddressPerMinute", PerAddress.ToString())
        .With("Auth:SignInPerUserPerMinute", PerUser.ToString())
        .With("Network:TrustedProxies", "127.0.0.1,::1");
}

public sealed class LimitedSqliteFactory : XinfangFactory
{
    public LimitedSqliteFactory() : base(Provider.Sqlite) => Limited.Configure(this);
}

public sealed class LimitedPostgresFactory : XinfangFactory
{
    public LimitedPostgresFactory() : base(Provider.Postgres) => Limited.Configure(this);
}

/// <summary>
/// Sign-in attempts per client address and per user name (issue #8), on the API's login and the workbench's:
/// beyond the limit within a minute the answer is 429 — a problem for the API, a Chinese page for /staff.
/// </summary>
public abstract class SignInRateLimitTests(XinfangFactory factory)
{
    static int _address;
    static string NewAddress() => $"198.51.100.{Interlocked.Increment(ref _address)}";
    static string NewName() => "rl-" + Guid.NewGuid().ToString("N")[..10];

    async Task<HttpResponseMessage> ApiLoginAsync(string address, string userName, string password = "Wrong-Pass-2026")
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return await http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
    }

    [Fact]
    public async Task Signing_in_through_the_API_more_often_than_the_limit_from_one_address_answers_429_problem()
    {
        var address = NewAddress();
        for (var i = 0; i < Limited.PerAddress; i++)
            (await ApiLoginAsync(address, NewName())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var refused = await ApiLoginAsync(address, NewName());
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("/problems/too-many-requests");
        refused.Headers.RetryAfter.ShouldNotBeNull();
        // Another address is unaffected.
        (await ApiLoginAsync(NewAddress(), NewName())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_in_as_one_user_more_often_than_the_limit_from_many_addresses_answers_429_even_with_the_right_password()
    {
        // One sign-in from the test's own (unforwarded) address, to make the account.
        var admin = await Infrastructure.Api.LoginAsync(factory, "admin", XinfangFactory.AdminPassword);
        var root = (await admin.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]![0]!["id"]!.ToString();
        var name = NewName();
        (await admin.PostAsync("/api/v1/users", new { userName = name, password = World.Password, displayName = "限流", unitId = root, roles = new[] { "caseworker" } }))
            .Expect(HttpStatusCode.Created);
        for (var i = 0; i < Limited.PerUser; i++)
            (await ApiLoginAsync(NewAddress(), name)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiLoginAsync(NewAddress(), name, World.Password)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // The name is compared as Identity compares it.
        (await ApiLoginAsync(NewAddress(), name.ToUpperInvariant(), World.Password)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // Other accounts sign in.
        (await ApiLoginAsync(NewAddress(), "admin", XinfangFactory.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_in_to_the_workbench_more_often_than_the_limit_shows_a_Chinese_page_with_429()
    {
        var b = new Browser(factory, NewAddress());
        for (var i = 0; i < Limited.PerAddress; i++)
            (await b.SignInAsync(NewName())).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var refused = await b.SignInAsync(NewName());
        refused.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Alert.ShouldBe("登录尝试过于频繁，请1分钟后再试");
        refused.Doc.QuerySelector("form[action='/staff/login']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Changing_an_expired_password_without_a_session_counts_as_a_sign_in_attempt()
    {
        var b = new Browser(factory, NewAddress());
        for (var i = 0; i < Limited.PerAddress; i++)
            (await b.PostAsync("/staff/password", new() { ["userName"] = NewName(), ["current"] = "Wrong-Pass-2026", ["password"] = "New-Pass-20261", ["repeat"] = "New-Pass-20261" },
                from: "/staff/password")).Status.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await b.PostAsync("/staff/password", new() { ["userName"] = NewName(), ["current"] = "Wrong-Pass-2026", ["password"] = "New-Pass-20261", ["repeat"] = "New-Pass-20261" },
            from: "/staff/password");
        refused.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Alert.ShouldBe("登录尝试过于频繁，请1分钟后再试");
    }
}

public sealed class SignInRateLimitTests_Sqlite(LimitedSqliteFactory f) : SignInRateLimitTests(f), IClassFixture<LimitedSqliteFactory>;
public sealed class SignInRateLimitTests_Postgres(LimitedPostgresFactory f) : SignInRateLimitTests(f), IClassFixture<LimitedPostgresFactory>;
