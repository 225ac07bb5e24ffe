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

        g.MapPost("/similar", async ([FromBody] RegisterPetitionRequest? body, HttpContext http, XinfangDb db, FindSimilarPetitions use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ForDraftAsync(body, staff, ct) : Problems.Unauthenticated())
            .WithName("FindSimilarToDraft").WithSummary("查重：与待登记内容相似的信访事项");

        g.MapGet("/{id:guid}/similar", async (Guid id, HttpContext http, XinfangDb db, FindSimilarPetitions use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ForPetitionAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("FindSimilarPetitions").WithSummary("可能重复的信访事项（相似度）");

        g.MapPost("/{id:guid}/repeat-link", async (Guid id, [FromBody] RepeatLinkRequest? body, HttpContext http, XinfangDb db, DecideRepeatLink use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("DecideRepeatLink").WithSummary("确认或排除重复信访关联");

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

        g.MapPost("/{id:guid}/recusal", async (Guid id, [FromBody] RecusalRequest? body, HttpContext http, XinfangDb db, RecordRecusal use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("RecordRecusal").WithSummary("申请回避（条例第二十八条第三款）").Produces<RecusalView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/{id:guid}/recusals", async (Guid id, HttpContext http, XinfangDb db, RecordRecusal use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ListAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("ListRecusals").WithSummary("本事项的回避记录");

        foreach (var step in Steps.All) step.MapOn(g);
    }

    internal static void MapStep<TBody>(RouteGroupBuilder g, Step<TBody> step) =>
        g.MapPost("/{id:guid}/" + step.Action, async (Guid id, [FromBody] TBody body, HttpContext http, XinfangDb db, PetitionWorkflow workflow, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            // An empty body or a JSON null binds to null here (the binder cannot tell a generic body's nullability).
            if (body is null) return Problems.Validation("body", "请求内容不能为空");
            var input = step.Input(body);
            if (input.Command is null) return Problems.Validation(input.Errors);
            return await workflow.RunAsync(id, input.Command, staff, ETags.IfMatch(http), ct);
        }).WithName(string.Concat(step.Action.Split('-').Select(s => char.ToUpperInvariant(s[0]) + s[1..])) + "Petition").WithSummary(step.Summary)
        .Produces<PetitionView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
}
