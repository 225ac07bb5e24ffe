using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Analysis;

/// <summary>Text analysis for staff: category and routing suggestions, case clusters (类案), category corrections.</summary>
public static class AnalysisEndpoints
{
    public static IServiceCollection AddAnalysis(this IServiceCollection services)
    {
        services.AddSingleton<CategoryModels>();
        services.AddScoped<TrainClassifier>();
        services.AddScoped<SuggestCategories>();
        services.AddScoped<CaseClusters>();
        services.AddScoped<ListClusters>();
        services.AddScoped<GetCluster>();
        services.AddScoped<CorrectCategory>();
        services.AddSingleton<ClassifierRetraining>();
        services.AddHostedService(sp => sp.GetRequiredService<ClassifierRetraining>());
        return services;
    }

    public static void MapAnalysisEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/text/suggest", async Task<IResult> ([FromBody] SuggestRequest body, HttpContext http, XinfangDb db, SuggestCategories use, CancellationToken ct) =>
            {
                if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
                return await use.HandleAsync(staff, body, ct) switch
                {
                    null => Problems.Forbidden(),
                    { Errors: { } errors } => Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value)),
                    var r => TypedResults.Ok(r.Suggestion),
                };
            })
            .RequireAuthorization().WithTags("Analysis").WithName("SuggestCategories")
            .WithSummary("问题类别建议（前三名及得分）与责任单位建议（按路由规则、事项所在地和首选类别）")
            .Produces<Suggestion>().ProducesProblem(400).ProducesProblem(403);

        app.MapGet("/api/v1/clusters", async Task<IResult> (string? regionCode, string? from, string? to, HttpContext http, XinfangDb db, ListClusters use, CancellationToken ct) =>
            {
                if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
                var r = await use.HandleAsync(staff, new ClusterCriteria(regionCode, from, to), ct);
                if (r.Forbidden) return Problems.Forbidden();
                if (r.Errors is { } errors) return Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value));
                return TypedResults.Ok(r.List);
            })
            .RequireAuthorization().WithTags("Analysis").WithName("ListClusters")
            .WithSummary("类案：本单位管辖范围内某地区、某期间同一原因（同一小区、企业、平台等）的信访事项分组")
            .Produces<ClusterList>().ProducesProblem(400).ProducesProblem(403);

        app.MapGet("/api/v1/clusters/{key}", async Task<IResult> (string key, HttpContext http, XinfangDb db, GetCluster use, CancellationToken ct) =>
            {
                if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
                if (!staff.WorksOnPetitions) return Problems.Forbidden();
                return await use.HandleAsync(staff, key, ct) is { } cluster ? TypedResults.Ok(cluster) : Problems.NotFound("类案");
            })
            .RequireAuthorization().WithTags("Analysis").WithName("GetCluster")
            .WithSummary("一个类案及其全部事项")
            .Produces<ClusterView>().ProducesProblem(403).ProducesProblem(404);

        app.MapPost("/api/v1/petitions/{id:guid}/category", async Task<IResult> (Guid id, [FromBody] CategoryCorrectionRequest body, HttpContext http, XinfangDb db, CorrectCategory use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("Analysis").WithName("CorrectCategory")
            .WithSummary("更正问题类别（承办单位的登记员、承办人、单位负责人）；记录更正并在后台重新训练分类模型")
            .Produces<CategoryCorrected>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
    }
}
