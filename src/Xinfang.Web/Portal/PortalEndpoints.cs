using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Data;

namespace Xinfang.Web.Portal;

/// <summary>/api/v1/public: the portal's API (no account; number + query code). The pages call the same use cases.</summary>
public static class PortalEndpoints
{
    public const string ReadPolicy = "portal";
    public const string SubmitPolicy = "portal-submit";

    public static void MapPortalApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/public").WithTags("Public portal").AllowAnonymous().RequireRateLimiting(ReadPolicy);

        g.MapGet("/challenge", (Challenges c) => TypedResults.Ok(c.Issue())).WithName("GetChallenge").WithSummary("获取提交验证问题");

        g.MapGet("/categories", async (XinfangDb db, CancellationToken ct) =>
            TypedResults.Ok(new { items = await db.Categories.AsNoTracking().Where(c => c.Level == 1).OrderBy(c => c.Code).Select(c => new { c.Code, c.Name }).ToListAsync(ct) }))
            .WithName("GetPublicCategories");

        g.MapPost("/petitions", async ([FromBody] PublicSubmission body, SubmitOnline use, CancellationToken ct) =>
        {
            var (receipt, error) = await use.HandleAsync(body, ct);
            return error is not null ? error.ToProblem() : TypedResults.Created($"/api/v1/public/petitions/{receipt!.Number}", receipt);
        }).RequireRateLimiting(SubmitPolicy).WithName("SubmitOnline").WithSummary("网上信访：提交信访事项");

        g.MapGet("/petitions/{number}", async (string number, string? queryCode, TrackPetition use, CancellationToken ct) =>
        {
            var (status, error) = await use.HandleAsync(number, queryCode, ct);
            return error is not null ? error.ToProblem() : TypedResults.Ok(status);
        }).WithName("TrackPetition").WithSummary("凭编号和查询码查询办理进度");

        g.MapPost("/petitions/{number}/rating", async (string number, [FromBody] RatingRequest body, RateOnline use, CancellationToken ct) =>
        {
            var (rating, error) = await use.HandleAsync(number, body, ct);
            return error is not null ? error.ToProblem() : TypedResults.Created($"/api/v1/public/petitions/{number}", rating);
        }).WithName("RateOnline").WithSummary("对书面答复作出满意度评价");

        g.MapPost("/petitions/{number}/review-request", async (string number, [FromBody] PublicReviewRequest body, PetitionerSteps use, TrackPetition track, CancellationToken ct) =>
            await use.RequestReviewAsync(number, body, ct) is { } error ? error.ToProblem() : await StatusAsync(track, number, body.QueryCode, ct))
            .WithName("RequestReviewOnline").WithSummary("申请复查或复核");

        g.MapPost("/petitions/{number}/withdraw", async (string number, [FromBody] PublicWithdrawal body, PetitionerSteps use, TrackPetition track, CancellationToken ct) =>
            await use.WithdrawAsync(number, body, ct) is { } error ? error.ToProblem() : await StatusAsync(track, number, body.QueryCode, ct))
            .WithName("WithdrawOnline").WithSummary("撤回信访事项");

        g.MapGet("/petitions/{number}/documents/{sequence:int}", async (string number, int sequence, string? queryCode, DownloadAnswer use, CancellationToken ct) =>
        {
            var (name, text, error) = await use.HandleAsync(number, sequence, queryCode, ct);
            return error is not null ? error.ToProblem() : DownloadAnswer.File(name!, text!);
        }).WithName("DownloadAnswer").WithSummary("下载书面答复");
    }

    static async Task<IResult> StatusAsync(TrackPetition track, string number, string? code, CancellationToken ct)
    {
        var (status, error) = await track.HandleAsync(number, code, ct);
        return error is not null ? error.ToProblem() : TypedResults.Ok(status);
    }
}
