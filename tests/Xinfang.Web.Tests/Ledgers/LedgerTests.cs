using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Ledgers;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Ledgers;

/// <summary>The petition ledger (台账) over HTTP: XLSX and CSV, the list's filters, masking, confidentiality, audit.</summary>
public abstract class LedgerTests(XinfangFactory factory)
{
    static int _sequence;
    static string Token() => $"台账{Interlocked.Increment(ref _sequence)}{Guid.NewGuid().ToString("N")[..6]}";

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        return w;
    }

    static async Task<(HttpStatusCode Status, string? MediaType, byte[] Body)> DownloadAsync(Infrastructure.Api api, string url)
    {
        using var r = await api.Http.GetAsync(url);
        return (r.StatusCode, r.Content.Headers.ContentType?.MediaType, await r.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The sheet's rows as text, header first.</summary>
    static List<List<string>> Sheet(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        errors.ShouldBeEmpty();
        var sheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "").ToList()).ToList();
    }

    static string Csv(byte[] body)
    {
        body.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, "UTF-8 with a byte-order mark, so Excel reads Chinese");
        return Encoding.UTF8.GetString(body, 3, body.Length - 3);
    }

    [Fact]
    public async Task Exporting_petition_ledger_as_xlsx_gives_a_valid_workbook_with_chinese_headers_and_the_matching_rows()
    {
        var w = await WorldAsync();
        var token = Token();
        var a = await w.RegisterAsync(body: Petition(token + "甲小区停水"));
        var b = await w.RegisterAsync(body: Petition(token + "乙小区停电"));

        var (status, media, body) = await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.xlsx?q={Uri.EscapeDataString(token)}");
        status.ShouldBe(HttpStatusCode.OK);
        media.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var rows = Sheet(body);
        rows[0].ShouldContain("信访事项编号");
        rows[0].ShouldContain("当前办理单位");
        rows[0].ShouldContain("期限");
        rows.Count.ShouldBe(3);
        // Newest first, as the list.
        rows[1][0].ShouldBe(b["number"]!.ToString());
        rows[2][0].ShouldBe(a["number"]!.ToString());
        rows[1].ShouldContain(token + "乙小区停电");
        rows[1].ShouldContain("昆山市信访局");
        rows[1].ShouldContain("来访");
        rows[1].Any(c => c.StartsWith("登记转送期限 ", StringComparison.Ordinal)).ShouldBeTrue();
    }

    [Fact]
    public async Task Exporting_with_status_and_received_date_filters_keeps_only_the_matters_that_match_both()
    {
        var w = await WorldAsync();
        var token = Token();
        await w.SetClockAsync("2026-02-10T10:00:00+08:00");
        var early = await w.RegisterAsync(body: Petition(token + "二月事项"));
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        var forwarded = await w.RegisterAsync(body: Petition(token + "三月转送"));
        var registered = await w.RegisterAsync(body: Petition(token + "三月登记"));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(forwarded)}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);

        var march = Sheet((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.xlsx?q={Uri.EscapeDataString(token)}&from=2026-03-01&to=2026-03-31")).Body);
        march.Skip(1).Select(r => r[0]).ShouldBe([registered["number"]!.ToString(), forwarded["number"]!.ToString()]);
        var forwardedOnly = Sheet((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.xlsx?q={Uri.EscapeDataString(token)}&status=forwarded")).Body);
        forwardedOnly.Skip(1).Select(r => r[0]).ShouldBe([forwarded["number"]!.ToString()]);
        var february = Csv((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.csv?q={Uri.EscapeDataString(token)}&to=2026-02-28")).Body);
        february.ShouldContain(early["number"]!.ToString());
        february.ShouldNotContain(forwarded["number"]!.ToString());
    }

    [Fact]
    public async Task Exporting_with_invalid_filters_or_a_unit_outside_the_subtree_is_refused()
    {
        var w = await WorldAsync();
        var bad = await w.Clerk.GetAsync("/api/v1/ledgers/petitions.csv?status=lost&from=2026-13-01");
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Json["errors"]!["status"].ShouldNotBeNull();
        bad.Json["errors"]!["from"].ShouldNotBeNull();
        (await w.Clerk.GetAsync($"/api/v1/ledgers/petitions.xlsx?unitId={w.OtherCounty}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Admin.GetAsync("/api/v1/ledgers/petitions.xlsx")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Exporting_as_csv_quotes_per_rfc_4180_and_neutralises_formulas()
    {
        var w = await WorldAsync();
        var token = Token();
        var title = "=HYPERLINK(\"http://x\",\"点我\")" + token;
        var p = await w.RegisterAsync(body: Petition(title));

        var csv = Csv((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.csv?q={Uri.EscapeDataString(token)}")).Body);
        var lines = csv.Split("\r\n");
        lines[0].ShouldStartWith("信访事项编号,收到日期,登记时间,信访渠道");
        lines[1].ShouldStartWith(p["number"]!.ToString() + ",2026-03-02,");
        // Quoted (it holds commas and quotes), quotes doubled, and an apostrophe before the = so no spreadsheet runs it.
        lines[1].ShouldContain("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")" + token + "\"");
        lines[^1].ShouldBe("");

        // The XLSX holds the same title as a plain string cell, never a formula.
        var rows = Sheet((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.xlsx?q={Uri.EscapeDataString(token)}")).Body);
        rows[1].ShouldContain(title);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+86 139", "'+86 139")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("普通标题", "普通标题")]
    public void Csv_field_of_formula_like_text_gets_a_leading_apostrophe(string value, string expected) =>
        LedgerWriter.CsvField(value).ShouldBe(expected);

    [Fact]
    public void Csv_field_of_a_number_stays_a_number() => LedgerWriter.CsvField(-3).ShouldBe("-3");

    [Fact]
    public async Task Exporting_as_a_reader_without_a_handling_role_masks_names_and_phones()
    {
        var w = await WorldAsync();
        var token = Token();
        var p = await w.RegisterAsync(body: World.Petition(title: token + "噪声扰民"));
        var number = p["number"]!.ToString();

        var clerk = Csv((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.csv?q={number}")).Body).Split("\r\n")[1];
        clerk.ShouldContain(",张三,13912345678,");
        // An analyst of the county government reads the county's matters: masked, in the file as on screen and more.
        var reader = await UserAsync(w, w.County, "analyst");
        var (status, _, body) = await DownloadAsync(reader, $"/api/v1/ledgers/petitions.csv?q={number}");
        status.ShouldBe(HttpStatusCode.OK);
        var analyst = Csv(body).Split("\r\n")[1];
        analyst.ShouldStartWith(number + ",");
        analyst.ShouldContain(",张*,139****5678,");
        analyst.ShouldNotContain("13912345678");
        analyst.ShouldNotContain("张三");
    }

    [Fact]
    public async Task Exporting_from_the_accused_unit_leaves_the_accusation_out_entirely()
    {
        var w = await WorldAsync();
        var token = Token();
        var p = await w.RegisterAsync(body: Accusation(w.CountyLabour, token + "举报县人社局"));
        var number = p["number"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(p)}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);

        Csv((await DownloadAsync(w.Clerk, $"/api/v1/ledgers/petitions.csv?q={number}")).Body).ShouldContain(number);
        var labour = Csv((await DownloadAsync(w.LabourWorker, "/api/v1/ledgers/petitions.csv")).Body);
        labour.ShouldNotContain(number);
        labour.ShouldNotContain(token);
        var labourByNumber = Csv((await DownloadAsync(w.LabourWorker, $"/api/v1/ledgers/petitions.csv?q={number}")).Body);
        labourByNumber.Split("\r\n").Where(l => l.Length > 0).Count().ShouldBe(1, "only the header");
    }

    [Fact]
    public async Task Exporting_a_ledger_is_recorded_on_the_audit_trail_with_its_filters()
    {
        var w = await WorldAsync();
        var (status, _, _) = await DownloadAsync(w.Clerk, "/api/v1/ledgers/petitions.xlsx?status=registered&from=2026-01-01");
        status.ShouldBe(HttpStatusCode.OK);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "export.ledger" && e.ActorUserName == "clerk")
            .OrderByDescending(e => e.Sequence).FirstAsync();
        entry.TargetId.ShouldBe("petitions");
        entry.Detail!.ShouldContain("\"registered\"");
        entry.Detail!.ShouldContain("xlsx");
    }

    [Fact]
    public async Task Downloading_the_ledger_from_the_workbench_streams_the_file_behind_the_sign_in_cookie()
    {
        var w = await WorldAsync();
        var token = Token();
        var p = await w.RegisterAsync(body: Petition(token + "工作台导出"));
        var browser = await PageClient.SignInAsync(factory, "clerk");
        using var r = await browser.RawGetAsync($"/staff/ledgers/petitions.csv?q={Uri.EscapeDataString(token)}");
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        r.Content.Headers.ContentDisposition.FileNameStar!.ShouldStartWith("信访事项台账-");
        Csv(await r.Content.ReadAsByteArrayAsync()).ShouldContain(p["number"]!.ToString());
        var search = await browser.GetAsync($"/staff/search?text={Uri.EscapeDataString(token)}");
        search.Doc.QuerySelector("a[href^='/staff/ledgers/petitions.xlsx']").ShouldNotBeNull();
    }
}

public sealed class LedgerTests_Sqlite(SqliteFactory f) : LedgerTests(f), IClassFixture<SqliteFactory>;
public sealed class LedgerTests_Postgres(PostgresFactory f) : LedgerTests(f), IClassFixture<PostgresFactory>;
