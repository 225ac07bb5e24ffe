using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Portal.PortalKit;

namespace Xinfang.Web.Tests.Portal;

/// <summary>A host allowing two online submissions per address and window (Portal:SubmitsPerWindow).</summary>
public sealed class TwoSubmitsSqliteFactory : XinfangFactory
{
    public TwoSubmitsSqliteFactory() : base(Provider.Sqlite) => With("Portal:SubmitsPerWindow", "2");
}

public sealed class TwoSubmitsPostgresFactory : XinfangFactory
{
    public TwoSubmitsPostgresFactory() : base(Provider.Postgres) => With("Portal:SubmitsPerWindow", "2");
}

/// <summary>Per-address submission limit: abuse protection without any outside service.</summary>
public abstract class SubmitLimitTests(XinfangFactory factory)
{
    [Fact]
    public async Task Third_submission_from_one_client_within_the_window_gets_429_problem()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("第一件：桥梁护栏破损"));
        await SubmittedAsync(citizen, Submission("第二件：公交站台缺少遮雨棚"));

        var third = await SubmitAsync(citizen, Submission("第三件：学校门口交通拥堵"));
        third.Status.ShouldBe(HttpStatusCode.TooManyRequests, third.Body);
        third.MediaType.ShouldBe("application/problem+json");
        third.ProblemType.ShouldBe("/problems/too-many-requests");
        third.Json["status"]!.GetValue<int>().ShouldBe(429);
        third["title"].ShouldNotBeNullOrWhiteSpace();

        // The limit is on submitting only: following a matter and getting a challenge still work.
        (await StatusOkAsync(citizen, number, code))["status"]!.ToString().ShouldBe("registered");
        (await citizen.GetAsync($"{Base}/challenge")).Status.ShouldBe(HttpStatusCode.OK);
        // And the refused submission registered nothing.
        (await w.Clerk.GetAsync($"/api/v1/petitions?q={Uri.EscapeDataString("学校门口交通拥堵")}")).Expect(HttpStatusCode.OK)
            .Json["items"]!.AsArray().Count.ShouldBe(0);
    }
}

public sealed class SubmitLimitTests_Sqlite(TwoSubmitsSqliteFactory f) : SubmitLimitTests(f), IClassFixture<TwoSubmitsSqliteFactory>;
public sealed class SubmitLimitTests_Postgres(TwoSubmitsPostgresFactory f) : SubmitLimitTests(f), IClassFixture<TwoSubmitsPostgresFactory>;
