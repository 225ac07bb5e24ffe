using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Supervision;

/// <summary>督办 (Art. 40): issue, answer, close or send back, the ledger, and the sweep's proposals.</summary>
public static class SupervisionEndpoints
{
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddScoped<CreateSupervision>();
        services.AddScoped<GetSupervision>();
        services.AddScoped<AnswerSupervision>();
        services.AddScoped<CloseSupervision>();
        services.AddScoped<ReturnSupervision>();
        services.AddScoped<ListSupervisions>();
        services.AddScoped<SupervisionProposals>();
        services.AddHostedService<SupervisionSweep>();
        return services;
    }

    public static void MapSupervisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/petitions/{id:guid}/supervisions", async Task<IResult> (Guid id, [FromBody] SupervisionRequest? body, HttpContext http, XinfangDb db, CreateSupervision use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("Supervision").WithName("CreateSupervision")
            .WithSummary("督办（条例第四十条）：督查员或单位负责人督办本辖区单位，受督办单位限期书面反馈")
            .Produces<SupervisionView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var g = app.MapGroup("/api/v1/supervisions").WithTags("Supervision").RequireAuthorization();

        g.MapGet("/", async Task<IResult> (string? status, string? form, Guid? unitId, string? side, string? from, string? to, string? cursor, int? limit,
                HttpContext http, XinfangDb db, ListSupervisions use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, status, form, unitId, side, from, to, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListSupervisions").WithSummary("督办台账：本单位督办范围内的督办（键集分页）")
            .Produces<SupervisionPage>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext http, XinfangDb db, GetSupervision use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetSupervision").WithSummary("督办详情")
            .Produces<SupervisionView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{id:guid}/feedback", async Task<IResult> (Guid id, [FromBody] SupervisionFeedbackRequest? body, HttpContext http, XinfangDb db, AnswerSupervision use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("AnswerSupervision").WithSummary("受督办单位书面反馈办理情况")
            .Produces<SupervisionView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/{id:guid}/close", async Task<IResult> (Guid id, [FromBody] CloseSupervisionRequest? body, HttpContext http, XinfangDb db, CloseSupervision use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("CloseSupervision").WithSummary("督办单位审核反馈后办结督办")
            .Produces<SupervisionView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/{id:guid}/return", async Task<IResult> (Guid id, [FromBody] ReturnSupervisionRequest? body, HttpContext http, XinfangDb db, ReturnSupervision use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("ReturnSupervision").WithSummary("督办单位退回反馈，要求补充办理情况")
            .Produces<SupervisionView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var p = app.MapGroup("/api/v1/supervision-proposals").WithTags("Supervision").RequireAuthorization();

        p.MapGet("/", async Task<IResult> (HttpContext http, XinfangDb db, SupervisionProposals use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ListAsync(staff, ct) : Problems.Unauthenticated())
            .WithName("ListSupervisionProposals").WithSummary("督办建议：本信访部门辖区内超期未办的事项")
            .Produces<Listing<ProposalView>>().ProducesProblem(403);

        p.MapPost("/{id:guid}/issue", async Task<IResult> (Guid id, [FromBody] SupervisionRequest? body, HttpContext http, XinfangDb db, SupervisionProposals use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.IssueAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("IssueSupervisionProposal").WithSummary("按督办建议督办")
            .Produces<SupervisionView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        p.MapPost("/{id:guid}/dismiss", async Task<IResult> (Guid id, [FromBody] DismissProposalRequest? body, HttpContext http, XinfangDb db, SupervisionProposals use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.DismissAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("DismissSupervisionProposal").WithSummary("不予督办（须说明理由）")
            .Produces<ProposalView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }
}
