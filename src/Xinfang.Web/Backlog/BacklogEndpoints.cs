using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

/// <summary>/api/v1/backlog-campaigns: 积案化解 campaigns, their candidates and members, and each member's lifecycle.</summary>
public static class BacklogEndpoints
{
    public static IServiceCollection AddBacklog(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<BacklogOptions>(config.GetSection("Backlog"));
        services.AddScoped<CreateCampaign>();
        services.AddScoped<ListCampaigns>();
        services.AddScoped<GetCampaign>();
        services.AddScoped<FindCandidates>();
        services.AddScoped<AddMembers>();
        services.AddScoped<MemberLedger>();
        services.AddScoped<Dashboard.IBacklogFigures, BacklogFigures>(); // 积案化解率 on the dashboard
        services.AddScoped<MemberStep>();
        services.AddScoped<ReportResolution>();
        services.AddScoped<AuditResolution>();
        services.AddScoped<RecheckMember>();
        services.AddScoped<ListRechecks>();
        return services;
    }

    public static void MapBacklogEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/backlog-campaigns").WithTags("Backlog").RequireAuthorization();

        g.MapPost("/", async ([FromBody] CreateCampaignRequest? body, HttpContext http, XinfangDb db, CreateCampaign use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(body, staff, ct) : Problems.Unauthenticated())
            .WithName("CreateBacklogCampaign").WithSummary("新建积案化解专项工作（督查员、单位负责人；本单位或下属单位）")
            .Produces<CampaignView>(201).ProducesProblem(400).ProducesProblem(403);

        g.MapGet("/", async (string? cursor, int? limit, HttpContext http, XinfangDb db, ListCampaigns use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListBacklogCampaigns").WithSummary("积案化解专项工作列表（含进度与积案化解率）")
            .Produces<Listing<CampaignView>>().ProducesProblem(400).ProducesProblem(403);

        g.MapGet("/rechecks", async (bool? due, Guid? campaignId, int? limit, HttpContext http, XinfangDb db, ListRechecks use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, due, campaignId, limit, ct) : Problems.Unauthenticated())
            .WithName("ListBacklogRechecks").WithSummary("待回头看的已销号积案（due=true：已到期）")
            .Produces<Listing<RecheckView>>().ProducesProblem(400).ProducesProblem(403);

        g.MapGet("/{id:guid}", async (Guid id, HttpContext http, XinfangDb db, GetCampaign use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("GetBacklogCampaign").WithSummary("积案化解专项工作详情与进度")
            .Produces<CampaignView>().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{id:guid}/candidates", async (Guid id, HttpContext http, XinfangDb db, FindCandidates use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("ListBacklogCandidates").WithSummary("符合积案条件、尚未列入的信访事项")
            .Produces<CandidateList>().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{id:guid}/members", async (Guid id, string? status, string? cursor, int? limit, HttpContext http, XinfangDb db, MemberLedger use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, status, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListBacklogMembers").WithSummary("积案台账：已列入的积案及其状态")
            .Produces<Listing<MemberLedgerRow>>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{id:guid}/members", async (Guid id, [FromBody] AddMembersRequest? body, HttpContext http, XinfangDb db, AddMembers use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ct) : Problems.Unauthenticated())
            .WithName("AddBacklogMembers").WithSummary("列入积案：指定责任人和责任单位")
            .Produces<AddedMembers>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/{id:guid}/members/{memberId:guid}/report", async (Guid id, Guid memberId, [FromBody] ReportRequest? body, HttpContext http, XinfangDb db, ReportResolution use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, memberId, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("ReportBacklogResolution").WithSummary("上报化解（附证明材料）")
            .Produces<MemberLedgerRow>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/members/{memberId:guid}/audit", async (Guid id, Guid memberId, [FromBody] AuditRequest? body, HttpContext http, XinfangDb db, AuditResolution use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, memberId, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("AuditBacklogResolution").WithSummary("审核积案化解：通过销号或退回（须写明理由）")
            .Produces<MemberLedgerRow>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/members/{memberId:guid}/recheck", async (Guid id, Guid memberId, [FromBody] RecheckRequest? body, HttpContext http, XinfangDb db, RecheckMember use, CancellationToken ct) =>
                await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, memberId, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .WithName("RecheckBacklogMember").WithSummary("回头看：稳定或反复（反复则重新列入）")
            .Produces<MemberLedgerRow>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
    }
}
