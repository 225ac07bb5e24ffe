using System.Net.Http.Headers;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Ledgers;

/// <summary>
/// A ledger (台账): what it is called (sheet name, file name, audit code) and its columns. The rows come from a
/// <see cref="LedgerSource{T}"/>, an <see cref="IAsyncEnumerable{T}"/> read page by page from the store.
/// <para>
/// Adding a ledger takes a few lines (docs/api.md, "Ledgers"): declare it, e.g.
/// <code>
/// static readonly Ledger&lt;SupervisionRow&gt; Supervision = new("督办台账", "supervision",
///     [new("编号", r =&gt; r.Number), new("督办单位", r =&gt; r.UnitName, 24), new("期限", r =&gt; r.DueOn)]);
/// </code>
/// and map it with <see cref="LedgerEndpoints.MapLedger{T}"/>, giving the source that reads the caller's rows
/// and the filters of its list page.
/// </para>
/// </summary>
/// <param name="Title">The sheet name and the Chinese name of the file.</param>
/// <param name="Slug">The URL segment (petitions → /api/v1/ledgers/petitions.xlsx) and the target of the export.ledger audit row.</param>
public sealed record Ledger<T>(string Title, string Slug, IReadOnlyList<LedgerColumn<T>> Columns)
{
    public string FileName(LedgerFormat format, DateOnly today) => $"{Title}-{today:yyyyMMdd}.{LedgerFormats.Extension(format)}";
}

/// <summary>
/// What a source answers: the rows (and the filters as the audit row records them), or why not — a status with
/// a Chinese title and, for 400, the field errors.
/// </summary>
public sealed record LedgerRows<T>(IAsyncEnumerable<T>? Rows, object? Filters = null, int Status = 200, string? Title = null,
    IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static LedgerRows<T> Refused(int status, string title, IReadOnlyDictionary<string, string[]>? errors = null) => new(null, null, status, title, errors);
}

/// <summary>Reads the caller's rows with the request's filters (query string), cut to the caller's jurisdiction.</summary>
public delegate Task<LedgerRows<T>> LedgerSource<T>(HttpContext http, Staff staff, CancellationToken ct);

/// <summary>Streams a ledger to the response body (<see cref="LedgerWriter"/>), never cached: ledgers carry personal data.</summary>
public sealed class LedgerResult<T>(Ledger<T> ledger, LedgerFormat format, IAsyncEnumerable<T> rows, DateOnly today) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        // The first page is read before anything is sent: a store's refusal still answers as a problem, not as a cut file.
        var rows1 = rows.GetAsyncEnumerator(http.RequestAborted);
        var any = await rows1.MoveNextAsync();
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = LedgerFormats.ContentType(format);
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"\"{ledger.Slug}-{today:yyyyMMdd}.{LedgerFormats.Extension(format)}\"",
            FileNameStar = ledger.FileName(format, today),
        };
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        // A long export must not be cut by a response-buffering proxy's timeout: bytes flow as rows are read.
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await LedgerWriter.WriteAsync(response.Body, format, ledger.Title, ledger.Columns, Rest(rows1, any), http.RequestAborted);
        }
        finally
        {
            await rows1.DisposeAsync();
        }
    }

    static async IAsyncEnumerable<T> Rest(IAsyncEnumerator<T> started, bool any)
    {
        if (!any) yield break;
        do yield return started.Current;
        while (await started.MoveNextAsync());
    }
}

public static class LedgerEndpoints
{
    public static void AddLedgers(IServiceCollection services) => services.AddScoped<PetitionLedger>();

    /// <summary>/api/v1/ledgers/… (bearer token) and the workbench's download links /staff/ledgers/… (cookie).</summary>
    public static void MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/ledgers").WithTags("Ledgers").RequireAuthorization();
        MapLedger(api, PetitionLedger.Ledger, (http, staff, ct) => http.RequestServices.GetRequiredService<PetitionLedger>().RowsAsync(http, staff, ct),
            "PetitionLedger", "信访事项台账");
        SupervisionLedgers.Map(api);
    }

    /// <summary>The workbench's download links: the same sources behind the sign-in cookie.</summary>
    public static void MapLedgerPages(RouteGroupBuilder staffPages)
    {
        MapLedgerPage(staffPages, PetitionLedger.Ledger, (http, staff, ct) => http.RequestServices.GetRequiredService<PetitionLedger>().RowsAsync(http, staff, ct));
        SupervisionLedgers.MapPages(staffPages);
    }

    /// <summary>
    /// Maps GET {slug}.xlsx and {slug}.csv on an API group: the caller is loaded, the source asked for the rows,
    /// the export recorded on the audit trail (export.ledger.{slug}, with the filters), then the file streamed.
    /// </summary>
    public static void MapLedger<T>(RouteGroupBuilder api, Ledger<T> ledger, LedgerSource<T> source, string operationName, string summary)
    {
        foreach (var format in Enum.GetValues<LedgerFormat>())
        {
            var suffix = format == LedgerFormat.Xlsx ? "Xlsx" : "Csv";
            api.MapGet($"/{ledger.Slug}.{LedgerFormats.Extension(format)}", async Task<IResult> (HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
            {
                if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
                var rows = await source(http, staff, ct);
                if (rows.Rows is null)
                    return rows.Errors is { } errors ? Problems.Validation(errors.ToDictionary(), title: rows.Title)
                        : rows.Status == 403 ? Problems.Forbidden(rows.Title ?? "您的角色无权导出台账")
                        : rows.Status == 404 ? Problems.NotFound("单位")
                        : Problems.Make(rows.Status, "ledger-refused", rows.Title ?? "无法导出");
                await RecordAsync(db, staff, ledger, format, rows.Filters, ct);
                return new LedgerResult<T>(ledger, format, rows.Rows, Xinfang.Domain.Deadlines.ChinaTime.DateOf(time.GetUtcNow()));
            }).WithName($"Export{operationName}{suffix}").WithSummary($"导出{summary}（{suffix.ToUpperInvariant()}，导出记入审计日志）")
              .Produces(200, contentType: LedgerFormats.ContentType(format)).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        }
    }

    /// <summary>The same as <see cref="MapLedger{T}"/> for the workbench: refusals are Chinese pages.</summary>
    public static void MapLedgerPage<T>(RouteGroupBuilder staffPages, Ledger<T> ledger, LedgerSource<T> source)
    {
        foreach (var format in Enum.GetValues<LedgerFormat>())
            staffPages.MapGet($"/ledgers/{ledger.Slug}.{LedgerFormats.Extension(format)}", async Task<IResult> (HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
            {
                var me = WorkbenchPages.MeOf(http);
                if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
                var rows = await source(http, me.Staff, ct);
                if (rows.Rows is null)
                {
                    if (rows.Status == 403) return WorkbenchPages.Forbidden(me, rows.Title);
                    var detail = rows.Errors is { } errors ? string.Join("；", errors.Values.SelectMany(v => v)) : rows.Title;
                    return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "导出台账", Error = detail ?? "无法导出" }, rows.Status);
                }
                await RecordAsync(db, me.Staff, ledger, format, rows.Filters, ct);
                return new LedgerResult<T>(ledger, format, rows.Rows, Xinfang.Domain.Deadlines.ChinaTime.DateOf(time.GetUtcNow()));
            });
    }

    static Task RecordAsync<T>(XinfangDb db, Staff staff, Ledger<T> ledger, LedgerFormat format, object? filters, CancellationToken ct) =>
        AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditActions.Export("ledger"), staff, "ledger", ledger.Slug,
            new { ledger = ledger.Slug, format = LedgerFormats.Extension(format), filters }), ct);
}
