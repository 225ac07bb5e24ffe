using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Xinfang.Web.Tests.Contract;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Reliability;

/// <summary>
/// /metrics (Operations/PrometheusExposition.cs): the meter "Xinfang" in Prometheus text, readable with the
/// configured token; registrations by channel, workflow steps by action, refused sign-ins, problem responses by
/// status and sweep passes move as the server works.
/// </summary>
public abstract class MetricsTests(XinfangFactory factory)
{
    public const string Token = "metrics-token-for-tests-2026";

    [Fact]
    public async Task Metrics_with_token_count_registrations_steps_refused_sign_ins_problems_and_sweeps()
    {
        var w = await World.OfAsync(factory);
        var before = await ScrapeAsync();

        var id = await w.ForwardedToHousingAsync();
        using (var anonymous = factory.CreateClient())
        using (var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "worker", password = "Wrong-Pass-0000" }))
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }, ("If-Match", "\"99\""))).Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);

        var after = await ScrapeAsync();
        Delta(before, after, "xinfang_petitions_registered_total{channel=\"visit\"}").ShouldBe(1, after);
        Delta(before, after, "xinfang_workflow_steps_total{action=\"forward\"}").ShouldBe(1, after);
        Delta(before, after, "xinfang_workflow_steps_total{action=\"accept\"}").ShouldBe(1, after);
        Delta(before, after, "xinfang_signin_failures_total{surface=\"api\"}").ShouldBe(1, after);
        Delta(before, after, "xinfang_http_problems_total{status=\"401\"}").ShouldBe(1, after);
        Delta(before, after, "xinfang_http_problems_total{status=\"412\"}").ShouldBe(1, after);
        after.ShouldContain("# TYPE xinfang_petitions_registered_total counter");
        after.ShouldContain("# TYPE xinfang_sweep_duration_seconds histogram");
        after.ShouldContain("xinfang_sweep_duration_seconds_bucket{le=\"+Inf\"}");

        // The sweep ticks every half second here: its pass count grows.
        var clock = Stopwatch.StartNew();
        var later = after;
        while (Value(later, "xinfang_sweep_duration_seconds_count") <= Value(after, "xinfang_sweep_duration_seconds_count") && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            later = await ScrapeAsync();
        }
        Value(later, "xinfang_sweep_duration_seconds_count").ShouldBeGreaterThan(Value(after, "xinfang_sweep_duration_seconds_count"), later);
        Value(later, "xinfang_sweep_duration_seconds_bucket{le=\"+Inf\"}").ShouldBe(Value(later, "xinfang_sweep_duration_seconds_count"));
    }

    [Fact]
    public async Task Metrics_without_token_or_with_a_wrong_one_is_not_found_in_process()
    {
        using var http = factory.CreateClient();
        using var none = await http.GetAsync("/metrics");
        none.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        using var wrong = await http.SendAsync(request);
        wrong.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await wrong.Content.ReadAsStringAsync()).ShouldNotContain("xinfang_");
    }

    [Fact]
    public async Task Readyz_when_every_migration_is_applied_answers_ready()
    {
        using var http = factory.CreateClient();
        using var ready = await http.GetAsync("/readyz");
        var body = await ready.Content.ReadAsStringAsync();
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        System.Text.Json.Nodes.JsonNode.Parse(body)!["migrations"]!.GetValue<int>()
            .ShouldBe(Xinfang.Web.Data.Migrator.Scripts(sqlite: factory.Provider == Provider.Sqlite).Count);
    }

    async Task<string> ScrapeAsync()
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return text;
    }

    static double Delta(string before, string after, string series) => Value(after, series) - Value(before, series);

    /// <summary>The value of one series line ("name{labels} value"), 0 when absent.</summary>
    public static double Value(string exposition, string series) =>
        exposition.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();
}

public sealed class MetricsSqliteFactory : XinfangFactory
{
    public MetricsSqliteFactory() : base(Provider.Sqlite) => With("Operations:MetricsToken", MetricsTests.Token);
}

public sealed class MetricsPostgresFactory : XinfangFactory
{
    public MetricsPostgresFactory() : base(Provider.Postgres) => With("Operations:MetricsToken", MetricsTests.Token);
}

public sealed class MetricsTests_Sqlite(MetricsSqliteFactory f) : MetricsTests(f), IClassFixture<MetricsSqliteFactory>;
public sealed class MetricsTests_Postgres(MetricsPostgresFactory f) : MetricsTests(f), IClassFixture<MetricsPostgresFactory>;

/// <summary>/metrics over real TCP on the real server process: open to loopback, closed to anything relayed by a proxy.</summary>
public sealed class MetricsLoopbackTests
{
    [Fact]
    public async Task Metrics_from_loopback_answers_and_through_a_proxy_header_is_not_found()
    {
        await using var store = await ProcessStore.CreateAsync(Provider.Sqlite);
        await using var server = await ServerProcess.StartAsync(store);
        using var http = server.Client();
        using (var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = "Wrong-Pass-0000" }))
            login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var local = await http.GetAsync("/metrics");
        var text = await local.Content.ReadAsStringAsync();
        local.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        MetricsTests.Value(text, "xinfang_signin_failures_total{surface=\"api\"}").ShouldBe(1, text);
        text.ShouldContain("# TYPE http_server_request_duration_seconds histogram");

        foreach (var header in new[] { "X-Forwarded-For", "Forwarded", "X-Real-IP" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=203.0.113.7" : "203.0.113.7");
            using var proxied = await http.SendAsync(request);
            proxied.StatusCode.ShouldBe(HttpStatusCode.NotFound, header);
        }
        using var ready = await http.GetAsync("/readyz");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
