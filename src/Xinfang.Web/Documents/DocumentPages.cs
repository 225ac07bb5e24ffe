using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Documents.Pages;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;
using static Xinfang.Web.Workbench.WorkbenchPages;

namespace Xinfang.Web.Documents;

/// <summary>
/// The workbench's side of documents: the printable notice (/staff/petitions/{id}/documents/{kind}) and its
/// DOCX, the template editor (/staff/admin/templates, system administrator) and the annual report form
/// (/staff/reports/annual). Same use cases and refusals as the API.
/// </summary>
public static class DocumentPages
{
    public static void MapDocumentPages(RouteGroupBuilder g)
    {
        g.MapGet("/petitions/{id:guid}/documents/{kind}", async (Guid id, string kind, HttpContext http, GenerateDocument use, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.WorksOnPetitions) return Forbidden(me);
            if (DocumentKinds.Parse(kind) is not { } k) return Page<MessagePage>(new { Me = me, Title = "文书", Error = "没有这种文书。" }, 404);
            var (document, refusal) = await use.HandleAsync(id, k, me.Staff, "print", ct);
            if (refusal is not null) return Refused(me, refusal);
            http.Response.Headers.CacheControl = "no-store";
            return Page<DocumentPrintPage>(new { Me = me, D = document! });
        });

        g.MapGet("/petitions/{id:guid}/documents/{kind}.docx", async (Guid id, string kind, HttpContext http, GenerateDocument use, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.WorksOnPetitions) return Forbidden(me);
            if (DocumentKinds.Parse(kind) is not { } k) return Page<MessagePage>(new { Me = me, Title = "文书", Error = "没有这种文书。" }, 404);
            var (document, refusal) = await use.HandleAsync(id, k, me.Staff, "docx", ct);
            if (refusal is not null) return Refused(me, refusal);
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(Docx.Build(document!.Name, Docx.Blocks(document.Paragraphs)), DocumentEndpoints.DocxType, document.FileName);
        });

        g.MapGet("/admin/templates", async (string? m, string? kind, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SystemAdmin)) return Forbidden(me);
            return Page<AdminTemplatesPage>(new { Me = me, Templates = await AllAsync(db, ct), Message = m == "saved" ? $"已保存{(DocumentKinds.Parse(kind) is { } k ? DocumentKinds.Name(k) : "文书")}模板。" : null });
        });

        g.MapPost("/admin/templates", async (HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SystemAdmin)) return Forbidden(me);
            var form = await http.Request.ReadFormAsync(ct);
            if (DocumentKinds.Parse(form["kind"]) is not { } k) return Page<MessagePage>(new { Me = me, Title = "文书模板", Error = "没有这种文书。" }, 400);
            var text = form["text"].ToString();
            if (DocumentTemplates.Check(text) is { } error)
                return Page<AdminTemplatesPage>(new { Me = me, Templates = await AllAsync(db, ct), Failed = DocumentKinds.Slug(k), FailedText = text, Error = error }, 400);
            await DocumentEndpoints.SaveAsync(db, me.Staff, k, text, time, ct);
            return Results.LocalRedirect($"/staff/admin/templates?m=saved&kind={DocumentKinds.Slug(k)}#t-{DocumentKinds.Slug(k)}");
        });

        g.MapGet("/reports/annual", (HttpContext http, TimeProvider time) =>
        {
            var me = MeOf(http);
            if (!me.WorksOnPetitions) return Forbidden(me);
            return Page<AnnualReportPage>(new { Me = me, ThisYear = ChinaTime.DateOf(time.GetUtcNow()).Year });
        });

        g.MapPost("/reports/annual", async (HttpContext http, AnnualReport use, TimeProvider time, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.WorksOnPetitions) return Forbidden(me);
            var form = await http.Request.ReadFormAsync(ct);
            var thisYear = ChinaTime.DateOf(time.GetUtcNow()).Year;
            var proposals = form["proposals"].ToString();
            if (!int.TryParse(form["year"], out var year))
                return Page<AnnualReportPage>(new { Me = me, ThisYear = thisYear, Proposals = proposals, Error = "请选择年度" }, 400);
            var (report, refusal, errors) = await use.HandleAsync(me.Staff, year, null, proposals, ct);
            if (errors is not null)
                return Page<AnnualReportPage>(new { Me = me, ThisYear = thisYear, Year = year, Proposals = proposals, Error = string.Join("；", errors.Values.SelectMany(v => v)) }, 400);
            if (refusal is not null) return Refused(me, refusal);
            return Results.File(report!.Docx, DocumentEndpoints.DocxType, report.Title + ".docx");
        });
    }

    static IResult Refused(Me me, DocumentRefusal r) =>
        r.Status == 403 ? Forbidden(me, r.Title) : Page<MessagePage>(new { Me = me, Title = "文书", Error = r.Title + "。" }, r.Status);

    static async Task<IReadOnlyList<DocumentTemplateView>> AllAsync(XinfangDb db, CancellationToken ct)
    {
        var list = new List<DocumentTemplateView>();
        foreach (var k in DocumentKinds.All) list.Add(await DocumentEndpoints.ViewAsync(db, k, ct));
        return list;
    }
}
