using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.FollowUp;

/// <summary>回访 and satisfaction (满意度评价): the follow-up tasks, recording a follow-up, a matter's follow-ups and ratings.</summary>
public static class FollowUpEndpoints
{
    public static IServiceCollection AddFollowUp(this IServiceCollection services)
    {
        services.AddScoped<Ratings>();
        services.AddScoped<RecordFollowUp>();
        services.AddScoped<ListFollowUps>();
        return services;
    }

    public static void MapFollowUpEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/follow-ups", async Task<IResult> (bool? due, int? limit, HttpContext http, XinfangDb db, ListFollowUps use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.TasksAsync(staff, due ?? true, limit, ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("FollowUp").WithName("ListFollowUps")
            .WithSummary("回访任务：本辖区已答复（复查、复核意见）尚未回访的事项（due=true，默认），或已回访的事项（due=false）")
            .Produces<Listing<FollowUpTask>>().ProducesProblem(400).ProducesProblem(403);

        app.MapPost("/api/v1/petitions/{id:guid}/follow-ups", async Task<IResult> (Guid id, [FromBody] FollowUpRequest? body, HttpContext http, XinfangDb db, RecordFollowUp use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("FollowUp").WithName("RecordFollowUp")
            .WithSummary("登记回访（电话、上门、短信）及信访人满意度（每次答复只评价一次，答复送达后30日内）")
            .Produces<FollowUpView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        app.MapGet("/api/v1/petitions/{id:guid}/follow-ups", async Task<IResult> (Guid id, HttpContext http, XinfangDb db, ListFollowUps use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.OfPetitionAsync(id, staff, ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("FollowUp").WithName("ListPetitionFollowUps")
            .WithSummary("本事项的回访记录和满意度评价")
            .Produces<FollowUpRecord>().ProducesProblem(403).ProducesProblem(404);
    }
}
