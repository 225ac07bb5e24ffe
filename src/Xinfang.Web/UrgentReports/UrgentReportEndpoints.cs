using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.UrgentReports;

/// <summary>Art. 25 over HTTP: flag a matter urgent; the bureau's queue of reports and its acknowledgement.</summary>
public static class UrgentReportEndpoints
{
    public static void AddUrgentReports(IServiceCollection services)
    {
        services.AddScoped<ReportUrgent>();
        services.AddScoped<ListUrgentReports>();
        services.AddScoped<AcknowledgeUrgentReport>();
    }

    public static void MapUrgentReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/petitions/{id:guid}/urgent", async (Guid id, [FromBody] UrgentRequest? body, HttpContext http, XinfangDb db, ReportUrgent use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, body, staff, ETags.IfMatch(http), ct) : Problems.Unauthenticated())
            .RequireAuthorization().WithTags("Petitions")
            .WithName("MarkPetitionUrgent").WithSummary("标记为重大紧急事项并立即向上一级信访部门报告（条例第二十五条）")
            .Produces<UrgentReportView>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        var g = app.MapGroup("/api/v1/urgent-reports").WithTags("UrgentReports").RequireAuthorization();

        g.MapGet("/", async (bool? acknowledged, string? cursor, int? limit, HttpContext http, XinfangDb db, ListUrgentReports use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(staff, acknowledged, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListUrgentReports").WithSummary("报送本信访部门的重大紧急事项（待签收与已签收）")
            .Produces<Listing<UrgentReportView>>().ProducesProblem(400).ProducesProblem(403);

        g.MapPost("/{id:guid}/acknowledge", async (Guid id, HttpContext http, XinfangDb db, AcknowledgeUrgentReport use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.HandleAsync(id, staff, ct) : Problems.Unauthenticated())
            .WithName("AcknowledgeUrgentReport").WithSummary("签收重大紧急事项报告")
            .Produces<UrgentReportView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }
}
