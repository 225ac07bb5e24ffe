using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;
using Xinfang.Web.Portal;

namespace Xinfang.Web.Attachments;

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string Sha256, AttachmentSource Source, DateTimeOffset UploadedAt)
{
    public static AttachmentView Of(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.Source, a.UploadedAt.ToOffset(TimeSpan.FromHours(8)));
}

/// <summary>Attachments: the petitioner adds files through the portal; staff within the jurisdiction list and download them.</summary>
public static class AttachmentEndpoints
{
    /// <summary>Upload requests may be as large as the configured files allow, plus the form around them.</summary>
    public static long UploadLimit(AttachmentOptions o) => o.MaxFiles * o.MaxBytes + 1_048_576;

    public static void MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        var limit = UploadLimit(app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value);

        app.MapPost("/api/v1/public/petitions/{number}/attachments", async Task<IResult> (string number, [FromForm] string? queryCode, IFormFileCollection files,
            PetitionerAccess access, AddAttachments use, CancellationToken ct) =>
        {
            var (petition, error) = await access.OpenAsync(number, queryCode, ct, track: false);
            if (petition is null) return error!.ToProblem();
            return await use.HandleAsync(petition, files, AttachmentSource.Portal, $"/api/v1/public/petitions/{number}", ct);
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(PortalEndpoints.SubmitPolicy)
        .WithMetadata(new RequestSizeLimitAttribute(limit)).WithTags("Public portal").WithName("AddAttachmentsOnline").WithSummary("补充上传材料（PDF、JPG、PNG）");

        var g = app.MapGroup("/api/v1/petitions/{id:guid}/attachments").WithTags("Attachments").RequireAuthorization();
        g.MapGet("/", async Task<IResult> (Guid id, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await VisibleAsync(id, http, db, ct) is not { } petition) return Problems.NotFound();
            var items = await db.Attachments.AsNoTracking().Where(a => a.PetitionId == petition.Id).OrderBy(a => a.UploadedAt).ToListAsync(ct);
            return TypedResults.Ok(new AttachmentList(items.Select(AttachmentView.Of).ToList(), null));
        }).WithName("ListAttachments");
        g.MapPost("/", async Task<IResult> (Guid id, IFormFileCollection files, HttpContext http, XinfangDb db, AddAttachments use, CancellationToken ct) =>
        {
            if (await Staff.LoadAsync(db, http.User, ct) is not { } staff || await VisibleAsync(id, staff, db, ct) is not { } petition) return Problems.NotFound();
            // Adding material is acting on the matter: supervisors and analysts read it and do not act (api.md, "Authentication").
            if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Forbidden();
            return await use.HandleAsync(petition, files, AttachmentSource.Staff, $"/api/v1/petitions/{id}/attachments", ct);
        }).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(limit)).WithName("AddAttachments").WithSummary("上传附件（工作人员）");
        g.MapGet("/{attachmentId:guid}", async Task<IResult> (Guid id, Guid attachmentId, HttpContext http, XinfangDb db, AttachmentStore store, CancellationToken ct) =>
        {
            if (await VisibleAsync(id, http, db, ct) is not { } petition) return Problems.NotFound();
            var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.PetitionId == petition.Id, ct);
            if (a is not null) await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Download(Audit.AuditActor.Of(http.User), petition, a.Id), ct);
            // Served as a download with its sniffed type, never rendered inline.
            return a is null ? Problems.NotFound("附件") : Results.File(store.Open(a), a.ContentType, a.FileName);
        }).WithName("DownloadAttachment");
    }

    /// <summary>The petition if the caller may see it and its materials (not the accused unit of an accusation, Art. 30 ¶3).</summary>
    static async Task<Domain.Petitions.Petition?> VisibleAsync(Guid id, HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await VisibleAsync(id, staff, db, ct) : null;

    public static async Task<Domain.Petitions.Petition?> VisibleAsync(Guid id, Staff staff, XinfangDb db, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return null;
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return petition is null || Jurisdiction.IsAccused(staff, petition) ? null : petition;
    }
}
