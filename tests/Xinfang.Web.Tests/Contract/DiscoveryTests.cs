using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>What integrators discover without reading code: health, the OpenAPI document and the test clock.</summary>
public abstract class DiscoveryTests(XinfangFactory factory)
{
    /// <summary>Every route api.md names, as OpenAPI spells paths.</summary>
    public static readonly string[] ContractPaths =
    [
        "/api/v1/petitions",
        "/api/v1/petitions/{id}",
        "/api/v1/petitions/{id}/events",
        "/api/v1/petitions/{id}/forward",
        "/api/v1/petitions/{id}/assign",
        "/api/v1/petitions/{id}/object",
        "/api/v1/petitions/{id}/accept",
        "/api/v1/petitions/{id}/decline",
        "/api/v1/petitions/{id}/extend",
        "/api/v1/petitions/{id}/reply",
        "/api/v1/petitions/{id}/request-review",
        "/api/v1/petitions/{id}/review-decision",
        "/api/v1/petitions/{id}/request-re-review",
        "/api/v1/petitions/{id}/hearing",
        "/api/v1/petitions/{id}/re-review-decision",
        "/api/v1/petitions/{id}/close",
        "/api/v1/petitions/{id}/withdraw",
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/auth/login",
    ];

    Api Anonymous() => new(factory.CreateClient());

    [Fact]
    public async Task Get_healthz_200_without_token()
    {
        var r = await Anonymous().GetAsync("/healthz");

        r.Status.ShouldBe(HttpStatusCode.OK, r.ToString());
    }

    [Fact]
    public async Task Get_openapi_200_and_describes_every_contract_route()
    {
        var r = (await Anonymous().GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var paths = r.Json["paths"]!.AsObject().Select(p => p.Key).ToList();
        var missing = ContractPaths.Except(paths).ToList();
        missing.ShouldBeEmpty($"OpenAPI paths: {string.Join(", ", paths)}");
    }

    [Fact]
    public async Task Get_openapi_registration_and_list_share_the_collection_path_with_both_methods()
    {
        var r = (await Anonymous().GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var item = r.Json["paths"]!["/api/v1/petitions"] as JsonObject
            ?? throw new Xunit.Sdk.XunitException($"no /api/v1/petitions in {string.Join(", ", r.Json["paths"]!.AsObject().Select(p => p.Key))}");
        item.ContainsKey("get").ShouldBeTrue();
        item.ContainsKey("post").ShouldBeTrue();
        foreach (var action in new[] { "accept", "request-review", "close" })
            (r.Json["paths"]![$"/api/v1/petitions/{{id}}/{action}"]?["post"]).ShouldNotBeNull($"POST {action}");
    }

    [Fact]
    public async Task Request_unknown_route_or_method_404_or_405_problem()
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync("/api/v1/no-such-thing")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await w.Clerk.GetAsync("/api/v1/petitions/not-a-guid")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await w.Clerk.SendAsync(HttpMethod.Delete, "/api/v1/petitions", null)).ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Get_testing_clock_returns_the_time_set()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");

        var r = (await Anonymous().GetAsync("/api/v1/testing/clock")).Expect(HttpStatusCode.OK);

        DateTimeOffset.Parse(r["now"]).ShouldBe(DateTimeOffset.Parse("2025-09-20T10:00:00+08:00"));
        r["now"].ShouldEndWith("+08:00");

        await w.SetClockAsync("2026-02-17T23:59:30+08:00");
        DateTimeOffset.Parse((await Anonymous().GetAsync("/api/v1/testing/clock")).Expect(HttpStatusCode.OK)["now"])
            .ShouldBe(DateTimeOffset.Parse("2026-02-17T23:59:30+08:00"));
    }

    [Fact]
    public async Task Put_testing_clock_without_now_400_problem()
    {
        await World.OfAsync(factory);

        (await Anonymous().PutAsync("/api/v1/testing/clock", new { })).ShouldNameFields("now");
    }

    [Fact]
    public async Task Register_timestamps_follow_the_testing_clock()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-03-03T09:15:00+08:00");

        var p = await w.RegisterFreshAsync();

        DateTimeOffset.Parse(p["registeredAt"]!.ToString()).ShouldBe(DateTimeOffset.Parse("2025-03-03T09:15:00+08:00"));
        DateTimeOffset.Parse(p["receivedAt"]!.ToString()).ShouldBe(DateTimeOffset.Parse("2025-03-03T09:15:00+08:00"));
        p["number"]!.ToString().ShouldStartWith("320583-2025-");
        var events = await w.Clerk.EventsAsync(p["id"]!.ToString());
        DateTimeOffset.Parse(events[0]!["at"]!.ToString()).ShouldBe(DateTimeOffset.Parse("2025-03-03T09:15:00+08:00"));
    }
}

public sealed class DiscoveryTests_Sqlite(SqliteFactory f) : DiscoveryTests(f), IClassFixture<SqliteFactory>;
public sealed class DiscoveryTests_Postgres(PostgresFactory f) : DiscoveryTests(f), IClassFixture<PostgresFactory>;

/// <summary>A host started without Testing:ControllableClock.</summary>
public sealed class FixedClockSqliteFactory : XinfangFactory
{
    public FixedClockSqliteFactory() : base(Provider.Sqlite) => With("Testing:ControllableClock", "false");
}

public sealed class FixedClockPostgresFactory : XinfangFactory
{
    public FixedClockPostgresFactory() : base(Provider.Postgres) => With("Testing:ControllableClock", "false");
}

/// <summary>Without Testing:ControllableClock the testing endpoint does not exist, and the server keeps real time.</summary>
public abstract class TestingClockAbsentTests(XinfangFactory factory)
{
    [Fact]
    public async Task Get_testing_clock_without_setting_404()
    {
        var api = new Api(factory.CreateClient());

        (await api.GetAsync("/api/v1/testing/clock")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_testing_clock_without_setting_404_even_for_admin_and_time_stays_real()
    {
        var admin = await Api.LoginAsync(factory, "admin", XinfangFactory.AdminPassword);

        var r = await admin.PutAsync("/api/v1/testing/clock", new { now = DateTimeOffset.Parse("2020-01-01T00:00:00+08:00") });

        r.Status.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync("/healthz")).Status.ShouldBe(HttpStatusCode.OK);
        // The server's now is still the wall clock: a petition registered now is stamped now.
        var w = await World.OfAsync(factory);
        var p = await w.RegisterFreshAsync();
        var registeredAt = DateTimeOffset.Parse(p["registeredAt"]!.ToString());
        (DateTimeOffset.UtcNow - registeredAt).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(5));
    }
}

public sealed class TestingClockAbsentTests_Sqlite(FixedClockSqliteFactory f) : TestingClockAbsentTests(f), IClassFixture<FixedClockSqliteFactory>;
public sealed class TestingClockAbsentTests_Postgres(FixedClockPostgresFactory f) : TestingClockAbsentTests(f), IClassFixture<FixedClockPostgresFactory>;
