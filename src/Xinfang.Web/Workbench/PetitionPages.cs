using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Web.Attachments;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>The petition page: read, unmask with a reason, attach files and take each workflow step, all through the API's use cases.</summary>
public static class PetitionPages
{
    public static void MapPetitionPages(RouteGroupBuilder g)
    {
        g.MapGet("/petitions/{id:guid}", async (Guid id, string? m, HttpContext http, OpenPetition open, XinfangDb db, CancellationToken ct) =>
            await ShowAsync(id, http, open, db, ct, message: WorkbenchPages.Flash(m)));

        g.MapPost("/petitions/{id:guid}/reveal", async (Guid id, HttpContext http, RevealPersonalData use, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, WorkbenchPages.MeOf(http).Staff, form["reason"], ct));
            return outcome.Succeeded
                ? await ShowAsync(id, http, open, db, ct, reveal: true, message: WorkbenchPages.Flash("revealed"))
                : await ShowAsync(id, http, open, db, ct, refused: ("reveal", outcome, Values(form)));
        });

        g.MapPost("/petitions/{id:guid}/recusal", async (Guid id, HttpContext http, RecordRecusal use, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var body = new RecusalRequest(form["reason"], Guid.TryParse(form["userId"], out var u) ? u : null);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, body, WorkbenchPages.MeOf(http).Staff, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/petitions/{id}?m=recusal#recusal-section")
                : await ShowAsync(id, http, open, db, ct, refused: ("recusal", outcome, Values(form)));
        });

        g.MapPost("/petitions/{id:guid}/repeat-link", async (Guid id, HttpContext http, Intake.DecideRepeatLink use, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var body = new Intake.RepeatLinkRequest(Guid.TryParse(form["candidateId"], out var c) ? c : null, form["decision"].ToString());
            var outcome = PageOutcome.Of(await use.HandleAsync(id, body, WorkbenchPages.MeOf(http).Staff, null, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/petitions/{id}?m=repeat-{body.Decision}#similar-section")
                : await ShowAsync(id, http, open, db, ct, refused: ("repeat-link", outcome, Values(form)));
        });

        // #4: a clerk of the holding unit corrects the category; the correction retrains the classifier.
        g.MapPost("/petitions/{id:guid}/category", async (Guid id, HttpContext http, Analysis.CorrectCategory use, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.HandleAsync(id, new Analysis.CategoryCorrectionRequest(form["categoryCode"]), WorkbenchPages.MeOf(http).Staff,
                int.TryParse(form["__version"], out var version) ? version : null, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/petitions/{id}?m=category#summary")
                : await ShowAsync(id, http, open, db, ct, refused: ("category", outcome, Values(form)));
        });

        g.MapGet("/petitions/{id:guid}/attachments/{attachmentId:guid}", async (Guid id, Guid attachmentId, HttpContext http, XinfangDb db, AttachmentStore store, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (await AttachmentEndpoints.VisibleAsync(id, me.Staff, db, ct) is not { } petition) return NotFound(me);
            var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.PetitionId == petition.Id, ct);
            if (a is not null) await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Download(Audit.AuditActor.Of(me.Staff), petition, a.Id), ct);
            return a is null ? NotFound(me) : Results.File(store.Open(a), a.ContentType, a.FileName);
        });

        var limit = AttachmentEndpoints.UploadLimit(((IEndpointRouteBuilder)g).ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value);
        g.MapPost("/petitions/{id:guid}/attachments", async (Guid id, HttpContext http, AddAttachments use, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            if (await AttachmentEndpoints.VisibleAsync(id, me.Staff, db, ct) is not { } petition) return NotFound(me);
            if (!me.Registers) return WorkbenchPages.Forbidden(me); // supervisors and analysts read only
            var outcome = PageOutcome.Of(await use.HandleAsync(petition, form.Files.GetFiles("files"), AttachmentSource.Staff, $"/staff/petitions/{id}", ct));
            return outcome.Succeeded
                ? Results.LocalRedirect($"/staff/petitions/{id}?m=uploaded#files")
                : await ShowAsync(id, http, open, db, ct, refused: ("attachments", outcome, null));
        }).WithMetadata(new RequestSizeLimitAttribute(limit));

        g.MapPost("/petitions/{id:guid}/{action}", async (Guid id, string action, HttpContext http, PetitionWorkflow workflow, OpenPetition open, XinfangDb db, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (Steps.Find(action) is not { } step) return NotFound(me);
            var form = await http.Request.ReadFormAsync(ct);
            var values = Values(form);
            var body = FormJson.Bind(form, step.Body);
            var outcome = body is null
                ? PageOutcome.Invalid("body", "有字段的格式不正确（日期应为 年-月-日，数字应为整数）")
                : step.InputOf(body) is { Command: null } bad
                    ? new PageOutcome(400, null, "请检查标注的字段", bad.Errors)
                    : PageOutcome.Of(await workflow.RunAsync(id, step.InputOf(body).Command!, me.Staff,
                        int.TryParse(form["__version"], out var version) ? version : null, ct));
            if (outcome.Succeeded) return Results.LocalRedirect($"/staff/petitions/{id}?m={action}");
            return await ShowAsync(id, http, open, db, ct, refused: (action, outcome, values));
        });
    }

    static Dictionary<string, string> Values(IFormCollection form) =>
        form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());

    static IResult NotFound(Me me) =>
        WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "找不到该事项", Error = "信访事项不存在或不在本单位管辖范围内。" }, 404);

    static async Task<IResult> ShowAsync(Guid id, HttpContext http, OpenPetition open, XinfangDb db, CancellationToken ct,
        bool reveal = false, string? message = null, (string Action, PageOutcome Outcome, Dictionary<string, string>? Values)? refused = null)
    {
        var me = WorkbenchPages.MeOf(http);
        var (screen, outcome) = await open.HandleAsync(id, me.Staff, reveal, ct);
        if (screen is null)
            return outcome.Status == 403 ? WorkbenchPages.Forbidden(me, outcome.Error) : NotFound(me);
        var category = screen.View.CategoryCode is { } code
            ? await db.Categories.AsNoTracking().Where(c => c.Code == code).Select(c => c.Name).FirstOrDefaultAsync(ct) : null;
        var region = await db.Units.AsNoTracking().Where(u => u.Kind == Domain.Organisation.UnitKind.Government && u.RegionCode == screen.View.RegionCode)
            .Select(u => u.Name).FirstOrDefaultAsync(ct);
        // The correction form: for the holding unit's handlers while the matter is open, with the model's top 3.
        var v = screen.View;
        var correctable = me.Registers && v.HoldingUnitId == me.Staff.Unit.Id && v.Title != PetitionView.Confidential
            && v.Status is not (Domain.Petitions.PetitionStatus.Final or Domain.Petitions.PetitionStatus.Withdrawn);
        var categories = correctable ? await db.Categories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct) : null;
        var suggested = correctable
            ? (await http.RequestServices.GetRequiredService<Analysis.SuggestCategories>().HandleAsync(me.Staff, new Analysis.SuggestRequest(v.Title, v.Content, null), ct))?.Suggestion?.Categories
            : null;
        var status = refused?.Outcome.Status ?? 200;
        return WorkbenchPages.Page<PetitionDetailPage>(new
        {
            Me = me, S = screen, CategoryName = category, Categories = categories, CategorySuggestions = suggested, RegionName = region?.Replace("人民政府", ""), Message = message,
            Error = refused is { } r ? Explain(r.Outcome) : null,
            Open = refused?.Action, Errors = refused?.Outcome.Errors, Values = (IReadOnlyDictionary<string, string>?)refused?.Values,
        }, status is >= 400 ? status : 200);
    }

    /// <summary>The refusal in Chinese: the use case's title, and for a stale page what to do.</summary>
    static string Explain(PageOutcome o) => o.Status switch
    {
        412 => "该事项已被他人修改，本页显示的是最新情况，请核对后重新操作。",
        409 when o.Error is { } e => e,
        _ => o.Error ?? "操作未完成",
    };
}
