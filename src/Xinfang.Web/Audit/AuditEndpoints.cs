using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Audit;

/// <summary>The audit log over HTTP, for the audit administrator only (api.md: auditAdmin reads the audit log).</summary>
public static class AuditEndpoints
{
    /// <summary>The most rows one CSV export holds; narrow the filters for more.</summary>
    public const int MaxExport = 50_000;

    public static void AddAudit(IServiceCollection services)
    {
        // The trail reads the client address of the request being served.
        services.AddHttpContextAccessor();
        services.AddScoped(sp => new AuditTrail(sp.GetRequiredService<XinfangDb>(), sp.GetRequiredService<IHttpContextAccessor>()));
    }

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization();
        g.MapGet("/", async Task<IResult> ([AsParameters] AuditQuery q, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await ReaderAsync(http, db, ct) is { } refused) return refused;
            var page = await ListAuditEntries.PageAsync(db, q, ct);
            return page.Errors is { } errors ? Problems.Validation(errors.ToDictionary()) : TypedResults.Ok(new Listing<AuditEntryView>(page.Items, page.NextCursor));
        }).WithName("ListAuditEntries").WithSummary("审计日志（审计管理员）").Produces<Listing<AuditEntryView>>().ProducesProblem(403);

        g.MapGet("/verify", async Task<IResult> (HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await ReaderAsync(http, db, ct) is { } refused) return refused;
            var v = await VerifyAuditTrail.RunAsync(db, ct);
            return TypedResults.Ok(new
            {
                intact = v.Intact, @checked = v.Checked, fromCheckpoint = v.FromCheckpoint, lastSequence = v.LastSequence, headHash = v.HeadHash,
                broken = v.Break is { } b ? new { sequence = b.Sequence, at = b.At, kind = b.Kind.ToString(), description = b.Description } : null,
                summary = v.Summary,
            });
        }).WithName("VerifyAuditTrail").WithSummary("校验审计日志哈希链（审计管理员）").ProducesProblem(403);

        g.MapGet("/export.csv", async Task<IResult> ([AsParameters] AuditQuery q, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (await ReaderAsync(http, db, ct) is { } refused) return refused;
            var staff = (await Staff.LoadAsync(db, http.User, ct))!;
            var (csv, count, errors) = await ExportAsync(db, q, ct);
            if (errors is not null) return Problems.Validation(errors.ToDictionary());
            await AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditActions.AuditExported, staff, AuditTargets.AuditTrail, null,
                new { rows = count, q.From, q.To, q.Actor, q.Action, q.Target }), ct);
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", "audit.csv");
        }).WithName("ExportAuditEntries").WithSummary("导出审计日志 CSV（审计管理员，导出本身记入审计日志）").ProducesProblem(403);
    }

    /// <summary>Null when the caller is an audit administrator; otherwise the refusal (401 or 403).</summary>
    static async Task<ProblemHttpResult?> ReaderAsync(HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) switch
        {
            null => Problems.Unauthenticated(),
            { } s when !ListAuditEntries.MayRead(s) => Problems.Forbidden("只有审计管理员可以查看审计日志"),
            _ => null,
        };

    /// <summary>The filtered log as CSV, newest first, at most <see cref="MaxExport"/> rows.</summary>
    public static async Task<(string Csv, int Rows, IReadOnlyDictionary<string, string[]>? Errors)> ExportAsync(XinfangDb db, AuditQuery q, CancellationToken ct)
    {
        var sb = new StringBuilder("sequence,at,actorKind,actorUserId,actorUserName,actorUnitId,clientAddress,action,targetKind,targetId,detail,algorithm,previousHash,hash\n");
        var rows = 0;
        var query = q with { Limit = ListAuditEntries.MaxLimit, Cursor = q.Cursor };
        while (rows < MaxExport)
        {
            var page = await ListAuditEntries.PageAsync(db, query, ct);
            if (page.Errors is not null) return ("", 0, page.Errors);
            foreach (var e in page.Items)
            {
                sb.AppendJoin(',', new[]
                {
                    e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.ActorKind,
                    e.ActorUserId?.ToString(), e.ActorUserName, e.ActorUnitId?.ToString(), e.ClientAddress, e.Action, e.TargetKind, e.TargetId,
                    e.Detail?.GetRawText(), e.Algorithm, e.PreviousHash, e.Hash,
                }.Select(Cell)).Append('\n');
                rows++;
            }
            if (page.NextCursor is null) break;
            query = query with { Cursor = page.NextCursor };
        }
        return (sb.ToString(), rows, null);
    }

    /// <summary>A quoted cell; one that a spreadsheet would take for a formula starts with an apostrophe.</summary>
    static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
