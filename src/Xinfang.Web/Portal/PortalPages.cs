using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using QRCoder;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Data;
using Xinfang.Web.Portal.Pages;

namespace Xinfang.Web.Portal;

public sealed record AccessForm(string? Access, string? Rating, string? Comment, string? Reason, Guid? UnitId, int? Sequence);

/// <summary>
/// The portal's pages (阳光信访): server-rendered Razor components, plain HTML forms with antiforgery tokens,
/// no script. Every page calls the same use cases as /api/v1/public.
/// </summary>
public static class PortalPages
{
    public static void MapPortalPages(this IEndpointRouteBuilder app)
    {
        // Every form post must carry the antiforgery token (forms bound by hand included).
        var g = app.MapGroup("/portal").AllowAnonymous().RequireRateLimiting(PortalEndpoints.ReadPolicy).ExcludeFromDescription()
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        // A post without a valid token (a forged cross-site form, or a page left open too long) gets a Chinese page, not an error.
        g.AddEndpointFilter(async (ctx, next) => Forged(ctx.HttpContext)
            ? new RazorComponentResult<TrackPage>(new { Error = "页面已过期或来源不明，请重新打开页面后再提交" }) { StatusCode = StatusCodes.Status400BadRequest }
            : await next(ctx));

        g.MapGet("/", (Microsoft.Extensions.Options.IOptions<Petitions.WorkflowOptions> workflow) =>
            new RazorComponentResult<GuidePage>(new { L = workflow.Value.Lengths }));

        g.MapGet("/submit", async (Challenges challenges, XinfangDb db, CancellationToken ct) => await SubmitPageAsync(db, challenges, null, null, ct));

        g.MapPost("/submit", async (SubmissionForm submitted, SubmitOnline use, Challenges challenges, XinfangDb db, HttpContext http,
            Microsoft.Extensions.Options.IOptions<Petitions.WorkflowOptions> workflow, CancellationToken ct) =>
        {
            var form = submitted.Value;
            var (receipt, error) = await use.HandleAsync(form, ct, submitted.Files);
            if (error is not null) return await SubmitPageAsync(db, challenges, form, error.Errors ?? new Dictionary<string, string[]> { ["challengeAnswer"] = [error.Title] }, ct);
            var url = $"{http.Request.Scheme}://{http.Request.Host}/portal/track?number={Uri.EscapeDataString(receipt!.Number)}";
            return new RazorComponentResult<ReceiptPage>(new { Receipt = receipt, TrackUrl = url, QrSvg = Qr(url), DisposeDays = workflow.Value.DisposeDays });
        }).RequireRateLimiting(PortalEndpoints.SubmitPolicy)
        .WithMetadata(new RequestSizeLimitAttribute(Attachments.AttachmentEndpoints.UploadLimit(
            app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Attachments.AttachmentOptions>>().Value)));

        g.MapGet("/track", (string? number) => new RazorComponentResult<TrackPage>(new { Number = number }));

        g.MapPost("/track", async (TrackForm form, TrackPetition track, IDataProtectionProvider protection, CancellationToken ct) =>
        {
            var (number, queryCode) = (form.Number, form.QueryCode);
            var (status, error) = await track.HandleAsync(number, queryCode, ct);
            return status is null
                ? (IResult)new RazorComponentResult<TrackPage>(new { Number = number, Error = error!.Title })
                : new RazorComponentResult<StatusPage>(new { S = status, Access = Protector(protection).Protect($"{status.Number}|{queryCode!.Trim()}", TimeSpan.FromHours(1)) });
        });

        g.MapPost("/rate", (AccessFormBody form, RateOnline use, TrackPetition track, IDataProtectionProvider protection, CancellationToken ct) =>
            WithAccessAsync(form.Value, track, protection, ct, async (number, code) =>
            {
                var (rating, error) = await use.HandleAsync(number, new RatingRequest(code, form.Value.Rating, form.Value.Comment), ct);
                return (rating is null ? null : $"感谢您的评价：{rating.RatingName}", error?.Title);
            }));

        g.MapPost("/review", (AccessFormBody form, PetitionerSteps use, TrackPetition track, IDataProtectionProvider protection, CancellationToken ct) =>
            WithAccessAsync(form.Value, track, protection, ct, async (number, code) =>
            {
                var error = await use.RequestReviewAsync(number, new PublicReviewRequest(code, form.Value.Reason, form.Value.UnitId), ct);
                return (error is null ? "申请已提交，受理机关将在30日内书面答复。" : null, error is null ? null : Describe(error));
            }));

        g.MapPost("/withdraw", (AccessFormBody form, PetitionerSteps use, TrackPetition track, IDataProtectionProvider protection, CancellationToken ct) =>
            WithAccessAsync(form.Value, track, protection, ct, async (number, code) =>
            {
                var error = await use.WithdrawAsync(number, new PublicWithdrawal(code, form.Value.Reason), ct);
                return (error is null ? "您已撤回该信访事项。" : null, error is null ? null : Describe(error));
            }));

        g.MapPost("/document", async (AccessFormBody form, DownloadAnswer use, IDataProtectionProvider protection, CancellationToken ct) =>
        {
            if (Open(protection, form.Value.Access) is not { } key) return (IResult)new RazorComponentResult<TrackPage>(new { Error = Expired });
            var (name, text, error) = await use.HandleAsync(key.Number, form.Value.Sequence ?? 0, key.Code, ct);
            return error is not null
                ? new RazorComponentResult<TrackPage>(new { Number = key.Number, Error = error.Title })
                : DownloadAnswer.File(name!, text!);
        });
    }

    static bool Forged(HttpContext http) => http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false };

    static readonly Microsoft.AspNetCore.Http.FormCollection NoForm = new(null);

    /// <summary>The posted form, unless its antiforgery token failed (then it is not read at all; the group's filter answers).</summary>
    static async Task<IFormCollection> FormOf(HttpContext http) => Forged(http) || !http.Request.HasFormContentType ? NoForm : await http.Request.ReadFormAsync();

    public sealed record TrackForm(string? Number, string? QueryCode)
    {
        public static async ValueTask<TrackForm> BindAsync(HttpContext http)
        {
            var f = await FormOf(http);
            return new TrackForm(f["number"].ToString(), f["queryCode"].ToString());
        }
    }

    /// <summary>Binds the submission form field by field (missing fields are null, never a binding failure).</summary>
    public sealed record SubmissionForm(PublicSubmission Value, IReadOnlyList<IFormFile> Files)
    {
        public static async ValueTask<SubmissionForm> BindAsync(HttpContext http)
        {
            var f = await FormOf(http);
            string? S(string k) => f.TryGetValue(k, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;
            return new SubmissionForm(new PublicSubmission(
                S("anonymous") == "true", S("name"), S("idNumber"), S("phone"), S("address"), S("title"), S("request"), S("facts"), S("reasons"),
                S("regionCode"), S("categoryCode"), S("type"), S("challengeToken"), S("challengeAnswer")), f.Files.GetFiles("attachments"));
        }
    }

    /// <summary>Binds the follow-up forms of the status page.</summary>
    public sealed record AccessFormBody(AccessForm Value)
    {
        public static async ValueTask<AccessFormBody> BindAsync(HttpContext http)
        {
            var f = await FormOf(http);
            string? S(string k) => f.TryGetValue(k, out var v) ? v.ToString() : null;
            return new AccessFormBody(new AccessForm(S("access"), S("rating"), S("comment"), S("reason"),
                Guid.TryParse(S("unitId"), out var u) ? u : null, int.TryParse(S("sequence"), out var n) ? n : null));
        }
    }

    const string Expired = "页面已过期，请重新输入编号和查询码";

    static async Task<IResult> WithAccessAsync(AccessForm form, TrackPetition track, IDataProtectionProvider protection, CancellationToken ct,
        Func<string, string, Task<(string? Message, string? Error)>> act)
    {
        if (Open(protection, form.Access) is not { } key) return new RazorComponentResult<TrackPage>(new { Error = Expired });
        var (message, error) = await act(key.Number, key.Code);
        var (status, trackError) = await track.HandleAsync(key.Number, key.Code, ct);
        return status is null
            ? new RazorComponentResult<TrackPage>(new { Number = key.Number, Error = trackError!.Title })
            : new RazorComponentResult<StatusPage>(new { S = status, Access = form.Access, Message = message, Error = error });
    }

    static string Describe(PortalError e) => e.Errors is { Count: > 0 } errors ? string.Join("；", errors.Values.SelectMany(v => v)) : e.Title;

    static ITimeLimitedDataProtector Protector(IDataProtectionProvider p) => p.CreateProtector("Xinfang.Portal.Access").ToTimeLimitedDataProtector();

    static (string Number, string Code)? Open(IDataProtectionProvider protection, string? access)
    {
        if (string.IsNullOrEmpty(access)) return null;
        try
        {
            var parts = Protector(protection).Unprotect(access).Split('|', 2);
            return parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    static async Task<IResult> SubmitPageAsync(XinfangDb db, Challenges challenges, PublicSubmission? values, IDictionary<string, string[]>? errors, CancellationToken ct)
    {
        var governments = await db.Units.AsNoTracking().Where(u => u.Kind == UnitKind.Government && u.Level >= 2)
            .OrderBy(u => u.RegionCode).Select(u => new { u.RegionCode, u.Name }).ToListAsync(ct);
        var regions = governments.Select(u => (u.RegionCode, u.Name.Replace("人民政府", ""))).ToList();
        var categories = await db.Categories.AsNoTracking().Where(c => c.Level == 1).OrderBy(c => c.Code).Select(c => new { c.Code, c.Name }).ToListAsync(ct);
        return new RazorComponentResult<SubmitPage>(new
        {
            Values = values, Errors = errors, Challenge = challenges.Issue(),
            Regions = (IReadOnlyList<(string, string)>)regions,
            Categories = (IReadOnlyList<(string, string)>)categories.Select(c => (c.Code, c.Name)).ToList(),
        });
    }

    /// <summary>The status page's address as an SVG QR code (inline, no script, no outside service).</summary>
    public static string Qr(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(176, 176), "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute)
            .Replace("<svg ", "<svg role=\"img\" aria-label=\"查询页面二维码\" ", StringComparison.Ordinal);
    }
}
