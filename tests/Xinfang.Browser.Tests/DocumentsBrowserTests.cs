using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// Ledgers and notices in Chromium: the caseworker prints a matter's written opinion from its page (the sheet
/// alone prints), and the clerk downloads the month's ledger from the search page as an XLSX that opens.
/// Screenshots: docs/screenshots/staff-written-opinion*.png.
/// </summary>
public sealed class DocumentsBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    readonly LiveServer _server;
    readonly Browser _browser;

    public DocumentsBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的待办");
    }

    [Fact]
    public async Task Caseworker_opens_the_printable_written_opinion_from_the_petition_page_and_it_prints_alone()
    {
        await _server.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)));
        var world = await PortalWorld.OfAsync(_server);
        var letter = await world.RepliedLetterAsync("经核查，已责令物业公司于十日内修复电梯。");
        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        await SignInAsync(page, "worker");

        await page.GotoAsync($"/staff/petitions/{letter.Id}");
        var documents = page.GetByRole(AriaRole.Region, new() { Name = "文书" });
        await Expect(documents).ToContainTextAsync("信访处理意见书");
        await PortalPage.FollowAsync(page, () => documents.GetByRole(AriaRole.Link, new() { Name = "打印" }).Last.ClickAsync());
        await Expect(page.Locator(".document-sheet h2")).ToHaveTextAsync("信访事项处理意见书");
        await Expect(page.Locator(".document-sheet")).ToContainTextAsync(letter.Number);
        await Expect(page.Locator(".document-sheet")).ToContainTextAsync("经核查，已责令物业公司于十日内修复电梯。");
        await Expect(page.Locator(".document-sheet")).ToContainTextAsync(PortalWorld.CountyHousingName);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeVisibleAsync();
        await Browser.SaveScreenshotAsync(page, "staff-written-opinion");

        // In print, the sheet alone: no navigation, no buttons, no page heading.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeHiddenAsync();
        await Expect(page.Locator("main > h1")).ToBeHiddenAsync();
        await Expect(page.Locator(".document-sheet")).ToBeVisibleAsync();
        await Browser.SaveScreenshotAsync(page, "staff-written-opinion-print");
        watch.ShouldBeClean();
    }

    [Fact]
    public async Task Clerk_downloads_the_ledger_from_the_search_page_as_an_xlsx_that_opens()
    {
        await _server.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)));
        var world = await PortalWorld.OfAsync(_server);
        var letter = await world.RegisterLetterAsync("导出台账的来信");
        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        await SignInAsync(page, "clerk");

        await page.GotoAsync("/staff/search?number=" + letter.Number);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出Excel" }).ClickAsync());
        download.SuggestedFilename.ShouldStartWith("信访事项台账-");
        download.SuggestedFilename.ShouldEndWith(".xlsx");
        var path = await download.PathAsync();
        using var doc = SpreadsheetDocument.Open(path, false);
        new OpenXmlValidator().Validate(doc).ShouldBeEmpty();
        var text = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.InnerText;
        text.ShouldContain("信访事项编号");
        text.ShouldContain(letter.Number);
        watch.ShouldBeClean();
    }
}
