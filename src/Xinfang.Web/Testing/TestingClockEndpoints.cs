using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;

namespace Xinfang.Web.Testing;

public sealed record ClockRequest(DateTimeOffset? Now);

/// <summary>PUT/GET /api/v1/testing/clock — only when started with Testing:ControllableClock=true (otherwise 404).</summary>
public static class TestingClockEndpoints
{
    public static void MapTestingClock(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/testing/clock").WithTags("Testing").AllowAnonymous();
        g.MapGet("/", (ControllableClock clock) => TypedResults.Ok(new { now = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)) }))
            .WithName("GetTestingClock");
        g.MapPut("/", IResult ([FromBody] ClockRequest body, ControllableClock clock) =>
        {
            if (body.Now is not { } now) return Problems.Validation("now", "请提供时间，例如 2025-09-20T10:00:00+08:00");
            clock.Set(now);
            return TypedResults.Ok(new { now = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)) });
        }).WithName("SetTestingClock");
    }
}
