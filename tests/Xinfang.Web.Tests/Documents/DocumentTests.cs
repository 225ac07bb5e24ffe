using System.Diagnostics;
using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Documents;

/// <summary>Written notices (DOCX and printable page), their templates, and the annual report, over HTTP.</summary>
public abstract class DocumentTests(XinfangFactory factory)
{
    static int _sequence;
    static string Token() => $"文书{Interlocked.Increment(ref _sequence)}{Guid.NewGuid().ToString("N")[..6]}";

    static async Task<(HttpStatusCode Status, byte[] Body, string Text)> GetDocxAsync(Infrastructure.Api api, string url)
    {
        using var r = await api.Http.GetAsync(url);
        var body = await r.Content.ReadAsByteArrayAsync();
        return (r.StatusCode, body, r.StatusCode == HttpStatusCode.OK ? TextOf(body) : System.Text.Encoding.UTF8.GetString(body));
    }

    /// <summary>The document's text, paragraph by paragraph; the package must validate with no error.</summary>
    static string TextOf(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        errors.ShouldBeEmpty();
        return string.Join("\n", doc.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    static string Chinese(string isoDate) => DateOnly.Parse(isoDate, System.Globalization.CultureInfo.InvariantCulture).ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    static string Url(string id, string kind) => $"/api/v1/petitions/{id}/documents/{kind}.docx";

    [Fact]
    public async Task Generating_each_notice_succeeds_once_its_step_was_taken_and_answers_409_before()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-03-03T10:00:00+08:00");
        var token = Token();
        var p = await w.RegisterAsync(body: Petition(token + "物业乱收费"));
        var id = Id(p);
        var number = p["number"]!.ToString();
        foreach (var kind in new[] { "acceptance-notice", "refusal-notice", "extension-notice", "written-opinion", "review-opinion", "re-review-opinion" })
        {
            var early = await w.Clerk.GetAsync(Url(id, kind));
            early.Status.ShouldBe(HttpStatusCode.Conflict, kind);
            early.ProblemType.ShouldBe("/problems/document-not-available");
        }

        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);
        var accepted = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6, note = "已指定专人办理" })).Expect(HttpStatusCode.OK).Json;
        var acceptance = await GetDocxAsync(w.Worker, Url(id, "acceptance-notice"));
        acceptance.Status.ShouldBe(HttpStatusCode.OK);
        acceptance.Text.ShouldContain("信访事项受理告知书");
        acceptance.Text.ShouldContain($"（{number}）");
        acceptance.Text.ShouldContain("张三：");
        acceptance.Text.ShouldContain("2025年3月3日提出的“" + token + "物业乱收费”");
        acceptance.Text.ShouldContain("按照信访程序办理");
        acceptance.Text.ShouldContain("已指定专人办理");
        acceptance.Text.ShouldContain("办理期限至" + Chinese(accepted["clocks"]![0]!["dueOn"]!.ToString())); // 3 March + 60 days, off the May Day holiday
        acceptance.Text.ShouldContain("昆山市住房和城乡建设局");
        acceptance.Text.ShouldNotContain("{{");

        await w.SetClockAsync("2025-04-20T10:00:00+08:00");
        var extended = (await w.Leader.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 20, reason = "需要现场勘验", approvedBy = "王局长" })).Expect(HttpStatusCode.OK).Json;
        var extension = await GetDocxAsync(w.Worker, Url(id, "extension-notice"));
        extension.Text.ShouldContain("办理期限延长20日，延长后的办理期限至" + Chinese(extended["clocks"]![0]!["dueOn"]!.ToString()));
        extension.Text.ShouldContain("需要现场勘验");

        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "notSupport", text = "收费符合物业合同约定。", deliveredOn = "2025-04-20" })).Expect(HttpStatusCode.OK);
        var opinion = await GetDocxAsync(w.Worker, Url(id, "written-opinion"));
        opinion.Text.ShouldContain("信访事项处理意见书");
        opinion.Text.ShouldContain("收费符合物业合同约定。");
        opinion.Text.ShouldContain("处理意见：不予支持。");
        opinion.Text.ShouldContain("2025年4月20日");
        (await w.Worker.GetAsync(Url(id, "review-opinion"))).Status.ShouldBe(HttpStatusCode.Conflict);

        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/request-review", new { requestedOn = "2025-04-20", reason = "不服", unitId = w.CityHousing })).Expect(HttpStatusCode.OK);
        (await w.CityReviewer.PostAsync($"/api/v1/petitions/{id}/review-decision", new { decision = "explain", text = "复查认为原意见正确。", deliveredOn = "2025-04-20" })).Expect(HttpStatusCode.OK);
        var review = await GetDocxAsync(w.CityReviewer, Url(id, "review-opinion"));
        review.Text.ShouldContain("复查认为原意见正确。");
        review.Text.ShouldContain("复查意见：解释说明。");
        review.Text.ShouldContain("苏州市住房和城乡建设局");

        (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/request-re-review", new { requestedOn = "2025-04-20", reason = "仍不服", unitId = w.ProvinceHousing })).Expect(HttpStatusCode.OK);
        (await w.ProvinceReviewer.PostAsync($"/api/v1/petitions/{id}/re-review-decision", new { decision = "notSupport", text = "复核维持。", deliveredOn = "2025-04-20" })).Expect(HttpStatusCode.OK);
        var reReview = await GetDocxAsync(w.ProvinceReviewer, Url(id, "re-review-opinion"));
        reReview.Text.ShouldContain("复核维持。");
        reReview.Text.ShouldContain("本复核意见为终结意见");

        var declined = await w.RegisterAsync(body: Petition(token + "不予受理"));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(declined)}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{Id(declined)}/decline", new { reason = "属于劳动争议仲裁范围", redirect = "arbitration" })).Expect(HttpStatusCode.OK);
        var refusal = await GetDocxAsync(w.Worker, Url(Id(declined), "refusal-notice"));
        refusal.Text.ShouldContain("不予受理告知书");
        refusal.Text.ShouldContain("属于劳动争议仲裁范围");
        refusal.Text.ShouldContain("通过仲裁途径依法解决");
    }

    [Fact]
    public async Task Generating_a_notice_outside_the_jurisdiction_is_404_and_without_a_handling_role_403()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-03-03T10:00:00+08:00");
        var p = await w.RegisterAsync(body: Petition(Token()));
        (await w.OtherClerk.GetAsync(Url(Id(p), "acceptance-notice"))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Analyst.GetAsync(Url(Id(p), "acceptance-notice"))).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Clerk.GetAsync(Url(Id(p), "no-such-notice"))).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    async Task<(World W, string Id)> RepliedAsync(string title, string text)
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-03-03T10:00:00+08:00");
        var p = await w.RegisterAsync(body: Petition(title));
        var id = Id(p);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "support", text, deliveredOn = "2025-03-03" })).Expect(HttpStatusCode.OK);
        return (w, id);
    }

    [Fact]
    public async Task Editing_a_template_changes_the_next_document_and_unknown_placeholders_are_refused()
    {
        var (w, id) = await RepliedAsync(Token() + "模板", "同意。");
        var before = (await w.Admin.GetAsync("/api/v1/document-templates/written-opinion")).Expect(HttpStatusCode.OK).Json;
        var original = before["text"]!.ToString();
        before["placeholders"]!.AsArray().Select(x => x!["name"]!.ToString()).ShouldContain("decisionText");

        (await w.Admin.PutAsync("/api/v1/document-templates/written-opinion", new { text = "# 试行意见书\n< {{petitionerName}}：\n{{decisionText}}（{{number}}，{{today}}）\n> {{unitName}}" })).Expect(HttpStatusCode.OK)
            .Json["isDefault"]!.GetValue<bool>().ShouldBeFalse();
        try
        {
            var text = (await GetDocxAsync(w.Worker, Url(id, "written-opinion"))).Text;
            text.ShouldStartWith("试行意见书\n张三：\n同意。（");
            text.ShouldContain("，2025年3月3日）");
            text.ShouldNotContain("{{");

            var unknown = await w.Admin.PutAsync("/api/v1/document-templates/written-opinion", new { text = "{{petitionerAddress}}" });
            unknown.Status.ShouldBe(HttpStatusCode.BadRequest);
            unknown.Json["errors"]!["text"]![0]!.ToString().ShouldContain("{{petitionerAddress}}");
            (await w.Clerk.PutAsync("/api/v1/document-templates/written-opinion", new { text = "# x" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        }
        finally
        {
            (await w.Admin.PutAsync("/api/v1/document-templates/written-opinion", new { text = original })).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Markup_and_script_in_petition_text_stay_text_in_the_docx_and_on_the_printable_page()
    {
        const string hostile = "<script>alert(1)</script></w:t></w:r><w:r><w:t>]]>&amp;";
        var (w, id) = await RepliedAsync("<b>标题</b>" + Token(), "意见：" + hostile + "\u0001结束");
        var text = (await GetDocxAsync(w.Worker, Url(id, "written-opinion"))).Text;
        text.ShouldContain("意见：" + hostile + "结束");
        text.ShouldContain("“<b>标题</b>");

        var browser = await PageClient.SignInAsync(factory, "worker");
        var page = (await browser.GetAsync($"/staff/petitions/{id}/documents/written-opinion")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelectorAll("script").Select(s => s.GetAttribute("src")).ShouldAllBe(src => src == "/js/workbench.js");
        page.Doc.QuerySelector(".document-sheet")!.TextContent.ShouldContain("意见：" + hostile + "结束");
        page.Html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    [Fact]
    public async Task Annual_report_counts_the_year_validates_and_names_no_petitioner()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2024-05-06T10:00:00+08:00");
        var token = Token();
        var p = await w.RegisterAsync(body: Petition(token + "年报事项", b => b["channel"] = "online"));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(p)}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{Id(p)}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await w.Leader.PostAsync($"/api/v1/petitions/{Id(p)}/reply", new { decision = "support", text = "同意。", deliveredOn = "2024-05-06" })).Expect(HttpStatusCode.OK);
        var accusation = await w.RegisterAsync(body: Accusation(w.CountyLabour, token + "举报"));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(accusation)}/forward", new { unitId = w.CountyHousing, note = "转送" })).Expect(HttpStatusCode.OK);
        await w.SetClockAsync("2025-02-01T10:00:00+08:00");

        var (status, _, text) = await GetDocxAsync(w.Clerk, "/api/v1/reports/annual/2024.docx?proposals=" + Uri.EscapeDataString("建议加强物业监管。\n建议完善欠薪治理。"));
        status.ShouldBe(HttpStatusCode.OK);
        text.ShouldContain("昆山市信访局2024年度信访工作情况报告");
        text.ShouldContain("本年度共收到信访事项2件。其中网上信访1件，占50.0%。");
        text.ShouldContain("按期出具1件，逾期出具0件，超期未出具0件，按期办结率100.0%");
        text.ShouldContain("本年度转送信访事项2件次");
        text.ShouldContain("昆山市人力资源和社会保障局\n1\n"); // the accused unit and its count (a table row, a paragraph per cell)
        text.ShouldContain("建议加强物业监管。\n建议完善欠薪治理。");
        text.ShouldNotContain("张三");
        text.ShouldNotContain(token);

        // The accused unit's own report does not count what is hidden from it (Art. 30 ¶3).
        var labour = (await GetDocxAsync(w.LabourWorker, "/api/v1/reports/annual/2024.docx")).Text;
        labour.ShouldNotContain("昆山市人力资源和社会保障局\n1\n");
        (await w.Clerk.GetAsync("/api/v1/reports/annual/2031.docx")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Clerk.GetAsync($"/api/v1/reports/annual/2024.docx?unitId={w.OtherCounty}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Opens in a word processor: when LibreOffice happens to be installed, it converts the report to PDF. It is
    /// not installed for this; without it the test has nothing to run and says so.
    /// </summary>
    [Fact]
    public async Task Annual_report_converts_to_pdf_with_libreoffice_when_it_is_installed()
    {
        var soffice = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/local/bin/soffice" }.FirstOrDefault(File.Exists);
        if (soffice is null) return; // skipped: no word processor on this machine
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-02-01T10:00:00+08:00");
        var (status, body, _) = await GetDocxAsync(w.Clerk, "/api/v1/reports/annual/2024.docx");
        status.ShouldBe(HttpStatusCode.OK);
        var dir = Directory.CreateTempSubdirectory("xinfang-report-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "report.docx"), body);
        using var process = Process.Start(new ProcessStartInfo(soffice, ["--headless", "--convert-to", "pdf", "--outdir", dir, Path.Combine(dir, "report.docx")]) { RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        File.Exists(Path.Combine(dir, "report.pdf")).ShouldBeTrue();
    }
}

public sealed class DocumentTests_Sqlite(SqliteFactory f) : DocumentTests(f), IClassFixture<SqliteFactory>;
public sealed class DocumentTests_Postgres(PostgresFactory f) : DocumentTests(f), IClassFixture<PostgresFactory>;
