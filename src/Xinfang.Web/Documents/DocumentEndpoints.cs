using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Documents;

public sealed record PlaceholderView(string Name, string Meaning);

public sealed record DocumentTemplateView(string Kind, string Name, string Text, bool IsDefault, DateTimeOffset? UpdatedAt, IReadOnlyList<PlaceholderView> Placeholders);

public sealed record DocumentTemplateList(IReadOnlyList<DocumentTemplateView> Items);

public sealed record SaveDocumentTemplateRequest(string? Text);

/// <summary>Written notices (DOCX), their templates, and the annual report.</summary>
public static class DocumentEndpoints
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string TemplateSaved = "documentTemplate.saved";

    public static void AddDocuments(IServiceCollection services)
    {
        services.AddScoped<GenerateDocument>();
        services.AddScoped<AnnualReport>();
    }

    public static void MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/v1/document-templates").WithTags("Documents").RequireAuthorization();
        templates.MapGet("/", async Task<IResult> (HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await AdministratorAsync(http, db, ct) is { Refusal: { } refused }) return refused;
            var items = new List<DocumentTemplateView>();
            foreach (var k in DocumentKinds.All) items.Add(await ViewAsync(db, k, ct));
            return TypedResults.Ok(new DocumentTemplateList(items));
        }).WithName("ListDocumentTemplates").WithSummary("文书模板列表（系统管理员）").Produces<DocumentTemplateList>().ProducesProblem(403);

        templates.MapGet("/{kind}", async Task<IResult> (string kind, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await AdministratorAsync(http, db, ct) is { Refusal: { } refused }) return refused;
            return DocumentKinds.Parse(kind) is { } k ? TypedResults.Ok(await ViewAsync(db, k, ct)) : Problems.NotFound("文书种类");
        }).WithName("GetDocumentTemplate").WithSummary("查看文书模板（系统管理员）").Produces<DocumentTemplateView>().ProducesProblem(403).ProducesProblem(404);

        templates.MapPut("/{kind}", async Task<IResult> (string kind, [FromBody] SaveDocumentTemplateRequest? body, HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var (staff, refused) = await AdministratorAsync(http, db, ct);
            if (refused is not null) return refused;
            if (DocumentKinds.Parse(kind) is not { } k) return Problems.NotFound("文书种类");
            if (DocumentTemplates.Check(body?.Text) is { } error) return Problems.Validation("text", error);
            await SaveAsync(db, staff!, k, body!.Text!, time, ct);
            return TypedResults.Ok(await ViewAsync(db, k, ct));
        }).WithName("SaveDocumentTemplate").WithSummary("修改文书模板（系统管理员）").Produces<DocumentTemplateView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/v1/petitions/{id:guid}/documents/{kind}.docx", async Task<IResult> (Guid id, string kind, HttpContext http, XinfangDb db, GenerateDocument use, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            if (!staff.WorksOnPetitions) return Problems.Forbidden();
            if (DocumentKinds.Parse(kind) is not { } k) return Problems.NotFound("文书种类");
            var (document, refusal) = await use.HandleAsync(id, k, staff, "docx", ct);
            if (refusal is not null) return Refuse(refusal);
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(Docx.Build(document!.Name, Docx.Blocks(document.Paragraphs)), DocxType, document.FileName);
        }).RequireAuthorization().WithTags("Documents").WithName("GeneratePetitionDocument").WithSummary("生成信访事项文书（DOCX；记入审计日志）")
          .Produces(200, contentType: DocxType).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        app.MapGet("/api/v1/reports/annual/{year:int}.docx", async Task<IResult> (int year, Guid? unitId, string? proposals, HttpContext http, XinfangDb db, AnnualReport use, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
            var (report, refusal, errors) = await use.HandleAsync(staff, year, unitId, proposals, ct);
            if (errors is not null) return Problems.Validation(errors.ToDictionary());
            if (refusal is not null) return Refuse(refusal);
            return Results.File(report!.Docx, DocxType, report.Title + ".docx");
        }).RequireAuthorization().WithTags("Documents").WithName("AnnualReport").WithSummary("年度信访工作情况报告（条例第四十一条，DOCX）")
          .Produces(200, contentType: DocxType).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static IResult Refuse(DocumentRefusal r) => r.Status switch
    {
        403 => Problems.Forbidden(r.Title),
        404 => Problems.Make(404, "not-found", r.Title),
        _ => Problems.Make(r.Status, "document-not-available", r.Title),
    };

    static async Task<(Staff? Staff, IResult? Refusal)> AdministratorAsync(HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return (null, Problems.Unauthenticated());
        return staff.Has(Role.SystemAdmin) ? (staff, null) : (staff, Problems.Forbidden("只有系统管理员可以管理文书模板"));
    }

    public static async Task<DocumentTemplateView> ViewAsync(XinfangDb db, DocumentKind kind, CancellationToken ct)
    {
        var (text, saved) = await DocumentTemplates.CurrentAsync(db, kind, ct);
        return new DocumentTemplateView(DocumentKinds.Slug(kind), DocumentKinds.Name(kind), text, saved is null, saved?.UpdatedAt,
            DocumentTemplates.Placeholders.Select(p => new PlaceholderView(p.Name, p.Meaning)).ToList());
    }

    /// <summary>Saves a checked template (<see cref="DocumentTemplates.Check"/>) with its audit row.</summary>
    public static async Task SaveAsync(XinfangDb db, Staff staff, DocumentKind kind, string text, TimeProvider time, CancellationToken ct)
    {
        var slug = DocumentKinds.Slug(kind);
        var row = await db.Set<DocumentTemplate>().FirstOrDefaultAsync(t => t.Kind == slug, ct);
        if (row is null) db.Set<DocumentTemplate>().Add(row = new DocumentTemplate { Kind = slug, Body = text });
        row.Body = text.Replace("\r\n", "\n");
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedByUserId = staff.User.Id;
        await AuditTrail.For(db).SaveAsync(AuditRecord.Of(TemplateSaved, staff, "documentTemplate", slug, new { kind = slug, length = row.Body.Length }), ct);
    }
}
