using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Operations;

/// <summary>Metrics (/metrics, Prometheus text) and readiness (/readyz: the store answers and every migration is applied).</summary>
public static class OperationsEndpoints
{
    public static IServiceCollection AddOperations(this IServiceCollection services) => services
        .AddSingleton<XinfangMetrics>()
        .AddSingleton<PrometheusExposition>();

    /// <summary>Counts problem responses and refused sign-ins; first in the pipeline so it sees the final status.</summary>
    public static void UseOperationsMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<XinfangMetrics>();
        _ = app.ApplicationServices.GetRequiredService<PrometheusExposition>(); // listening from the start
        app.Use(metrics.CountResponsesAsync);
    }

    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (HttpContext http, PrometheusExposition exposition, IConfiguration config) =>
            // Not found rather than forbidden: nothing tells a stranger the endpoint exists.
            MayRead(http, config["Operations:MetricsToken"])
                ? Results.Text(exposition.Write(), "text/plain; version=0.0.4; charset=utf-8")
                : Problems.NotFound("资源"))
            .AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/readyz", async Task<IResult> (XinfangDb db, CancellationToken ct) =>
        {
            try
            {
                var applied = await db.Database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM schema_migrations").ToListAsync(ct);
                var pending = Migrator.Scripts(db.IsSqlite).Select(s => s.Id).Except(applied, StringComparer.Ordinal).ToList();
                return pending.Count == 0
                    ? TypedResults.Ok(new { status = "ready", migrations = applied.Count })
                    : Problems.Make(503, "migrations-pending", "数据库迁移尚未完成", extensions: new Dictionary<string, object?> { ["pending"] = pending });
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                return Problems.Make(503, "store-unreachable", "数据库不可用");
            }
        }).AllowAnonymous().WithTags("Operations").WithName("Readiness").WithSummary("就绪检查：数据库可用且迁移已全部完成");
    }

    /// <summary>
    /// /metrics never leaks to the internet: a request with the configured bearer token (Operations:MetricsToken),
    /// or one made on this machine directly — from loopback and not relayed by a proxy (a reverse proxy on the same
    /// host would otherwise make every internet request look local).
    /// </summary>
    public static bool MayRead(HttpContext http, string? token)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(token) && auth.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(auth[7..].Trim()), Encoding.UTF8.GetBytes(token)))
            return true;
        var proxied = http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded")
            || http.Request.Headers.ContainsKey("X-Real-IP") || http.Request.Headers.ContainsKey("X-Original-For");
        return http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) && !proxied;
    }
}
