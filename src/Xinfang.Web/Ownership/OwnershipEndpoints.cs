using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Ownership;

/// <summary>
/// 领导包案 (Art. 18) over HTTP: POST /petitions/{id}/ownership assigns (or re-assigns) the owning leaders;
/// /ownerships is the ledger, and each ownership takes its plan (一案一策), progress notes, outcome (三到位一处理)
/// and release. Writes on an ownership honour If-Match with its version (412 when stale).
/// </summary>
public static class OwnershipEndpoints
{
    public static void AddOwnership(IServiceCollection services)
    {
        services.AddScoped<OwnershipLedger>();
        services.AddScoped<OwnedMatters>();
        services.AddScoped<AssignOwnership>();
        services.AddScoped<ReleaseOwnership>();
        services.AddScoped<WriteOwnershipPlan>();
        services.AddScoped<CompleteOwnershipStep>();
        services.AddScoped<RecordOwnershipProgress>();
        services.AddScoped<RecordOwnershipOutcome>();
    }

    public static void MapOwnershipEndpoints(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/petitions/{id:guid}/ownership", async (Guid id, [FromBody] AssignOwnershipRequest? body, HttpContext http, XinfangDb db, AssignOwnership use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("Ownership")
            .WithName("AssignOwnership").WithSummary("领导包案：指定（或变更）包案领导（条例第十八条）")
            .Produces<OwnershipView>(201).Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var g = app.MapGroup("/api/v1/ownerships").WithTags("Ownership").RequireAuthorization();

        g.MapGet("/", async (Guid? leaderId, string? status, Guid? unitId, string? cursor, int? limit, HttpContext http, XinfangDb db, OwnershipLedger use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ListAsync(staff, leaderId, status, unitId, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListOwnerships").WithSummary("包案台账（键集分页）").Produces<Listing<OwnershipRow>>();

        g.MapGet("/{id:guid}", async (Guid id, HttpContext http, XinfangDb db, OwnershipLedger use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.GetAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetOwnership").WithSummary("包案详情：方案、进展与结果").Produces<OwnershipView>().ProducesProblem(404);

        g.MapPut("/{id:guid}/plan", async (Guid id, [FromBody] PlanRequest? body, HttpContext http, XinfangDb db, WriteOwnershipPlan use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("WriteOwnershipPlan").WithSummary("制定或修改一案一策化解方案")
            .Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/plan/steps/{stepId:guid}/done", async (Guid id, Guid stepId, [FromBody] StepDoneRequest? body, HttpContext http, XinfangDb db, CompleteOwnershipStep use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, stepId, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("CompleteOwnershipStep").WithSummary("方案步骤完成")
            .Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/progress", async (Guid id, [FromBody] ProgressRequest? body, HttpContext http, XinfangDb db, RecordOwnershipProgress use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("RecordOwnershipProgress").WithSummary("记录包案进展")
            .Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/outcome", async (Guid id, [FromBody] OutcomeRequest? body, HttpContext http, XinfangDb db, RecordOwnershipOutcome use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("RecordOwnershipOutcome").WithSummary("包案结果：三到位一处理（结案）")
            .Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/release", async (Guid id, [FromBody] ReleaseOwnershipRequest? body, HttpContext http, XinfangDb db, ReleaseOwnership use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("ReleaseOwnership").WithSummary("解除领导包案")
            .Produces<OwnershipView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
    }
}
