using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.ClusterResolution;

/// <summary>类案 resolution: lead unit and policy measure, one reply for chosen members, tracking.</summary>
public static class ClusterResolutionEndpoints
{
    public static IServiceCollection AddClusterResolution(this IServiceCollection services)
    {
        services.AddScoped<TrackClusterResolution>();
        services.AddScoped<DesignateClusterMeasure>();
        services.AddScoped<BatchReplyToCluster>();
        return services;
    }

    public static void MapClusterResolutionEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/clusters/{key}").WithTags("ClusterResolution").RequireAuthorization();

        g.MapGet("/resolution", async Task<IResult> (string key, HttpContext http, XinfangDb db, TrackClusterResolution use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, key, ct) : Problems.Unauthenticated())
            .WithName("GetClusterResolution")
            .WithSummary("类案化解情况：牵头单位、政策措施、各事项状态、已答复和已办结件数、化解率")
            .Produces<ClusterResolutionView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPut("/resolution", async Task<IResult> (string key, [FromBody] ClusterMeasureRequest? body, HttpContext http, XinfangDb db, DesignateClusterMeasure use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, key, body, ct) : Problems.Unauthenticated())
            .WithName("DesignateClusterMeasure")
            .WithSummary("确定类案牵头单位和政策措施（督查员、单位负责人；牵头单位为本单位或下级单位）")
            .Produces<ClusterResolutionView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/batch-reply", async Task<IResult> (string key, [FromBody] BatchReplyRequest? body, HttpContext http, XinfangDb db, BatchReplyToCluster use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, key, body, ct) : Problems.Unauthenticated())
            .WithName("BatchReplyToCluster")
            .WithSummary("类案批量答复：以同一意见书正文对所选事项逐件答复，每件单独记录、单独判断能否答复")
            .Produces<BatchReplyResult>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }
}
