using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Handling;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Review;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Petitions;

/// <summary>/api/v1/petitions: registration, reads, and every workflow step as a verb on the resource.</summary>
public static class PetitionEndpoints
{
    public static void MapPetitionEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/petitions").WithTags("Petitions").RequireAuthorization();

        g.MapPost("/", async ([FromBody] RegisterPetitionRequest body, [FromHeader(Name = "Idempotency-Key")] string? key,
            HttpContext http, XinfangDb db, RegisterPetition use, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            if (key is { Length: > 200 }) return Problems.Validation("Idempotency-Key", "Idempotency-Key 不超过200个字符");
            return await use.HandleAsync(body, staff, string.IsNullOrWhiteSpace(key) ? null : key.Trim(), ct);
        }).WithName("RegisterPetition").WithSummary("登记信访事项");

        g.MapGet("/", async (string? status, string? warning, Guid? unitId, string? q, string? cursor, int? limit,
            HttpContext http, XinfangDb db, ListPetitions use, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            return await use.HandleAsync(staff, status, warning, unitId, q, cursor, limit, ct);
        }).WithName("ListPetitions").WithSummary("本辖区信访事项列表（键集分页）");

        g.MapGet("/{id:guid}", async (Guid id, HttpContext http, XinfangDb db, GetPetition use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetPetition").WithSummary("信访事项详情");

        g.MapGet("/{id:guid}/events", async (Guid id, HttpContext http, XinfangDb db, GetPetition use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.EventsAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetPetitionEvents").WithSummary("办理过程（只增不改）");

        g.MapGet("/{id:guid}/review-bodies", async (Guid id, HttpContext http, XinfangDb db, GetPetition use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ReviewBodiesAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetReviewBodies").WithSummary("可受理复查（复核）申请的机关");

        g.MapStep<ForwardRequest>("forward", ForwardPetition.Input, "转送");
        g.MapStep<AssignRequest>("assign", AssignPetition.Input, "交办");
        g.MapStep<ObjectRequest>("object", ObjectToPetition.Input, "异议（退回）");
        g.MapStep<AcceptRequest>("accept", AcceptPetition.Input, "受理");
        g.MapStep<DeclineRequest>("decline", DeclinePetition.Input, "不予受理");
        g.MapStep<ExtendRequest>("extend", ExtendHandling.Input, "延期");
        g.MapStep<OpinionRequest>("reply", ReplyToPetition.Input, "答复（出具信访处理意见书）");
        g.MapStep<ReviewRequestBody>("request-review", RequestReviewOfPetition.Review, "申请复查");
        g.MapStep<OpinionRequest>("review-decision", DecideReview.Review, "复查意见");
        g.MapStep<ReviewRequestBody>("request-re-review", RequestReviewOfPetition.ReReview, "申请复核");
        g.MapStep<HearingRequest>("hearing", RecordHearing.Input, "听证");
        g.MapStep<OpinionRequest>("re-review-decision", DecideReview.ReReview, "复核意见（终结）");
        g.MapStep<CloseRequest>("close", ClosePetition.Input, "办结");
        g.MapStep<WithdrawRequest>("withdraw", WithdrawPetition.Input, "撤回");
    }

    static void MapStep<TBody>(this RouteGroupBuilder g, string action, Func<TBody, StepInput> input, string summary) =>
        g.MapPost("/{id:guid}/" + action, async (Guid id, [FromBody] TBody body, HttpContext http, XinfangDb db, PetitionWorkflow workflow, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            var step = input(body);
            if (step.Command is null) return Problems.Validation(step.Errors);
            return await workflow.RunAsync(id, step.Command, staff, http, ct);
        }).WithName(string.Concat(action.Split('-').Select(s => char.ToUpperInvariant(s[0]) + s[1..])) + "Petition").WithSummary(summary)
        .Produces<PetitionView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
}
