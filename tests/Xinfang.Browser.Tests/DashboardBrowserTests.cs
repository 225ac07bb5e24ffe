using System.Net;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 数据看板 in Chromium at 1366×768: a county analyst opens the dashboard from the navigation, sees the KPI tiles (with
/// their definitions on hover) and the SVG charts, drills into the matters behind a figure; no console or CSP error.
/// Screenshots: docs/screenshots/dashboard.png (screen) and dashboard-print.png (print media).
/// </summary>
public sealed class DashboardBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);
    readonly LiveServer _server;
    readonly Browser _browser;

    public DashboardBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    [Fact]
    public async Task County_analyst_opens_the_dashboard_sees_tiles_and_charts_and_drills_into_the_received_matters()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        var t0 = new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, China);
        var world = await PortalWorld.OfAsync(_server);
        // A few weeks of matters: letters (some forwarded and accepted) and online submissions.
        foreach (var daysAgo in new[] { 40, 26, 12, 5, 0 })
        {
            await _server.SetClockAsync(t0.AddDays(-daysAgo));
            var letter = await world.RegisterLetterAsync($"电梯停运问题（{daysAgo}天前）", "0103");
            await world.RegisterLetterAsync($"小区供暖不足（{daysAgo}天前）", daysAgo % 3 == 0 ? "0102" : "0401");
            if (daysAgo % 2 == 0)
            {
                await world.ForwardAsync(letter.Id);
                await world.AcceptAsync(letter.Id);
            }
            await world.SubmitOnlineAsync($"道路破损问题（{daysAgo}天前）");
        }
        await _server.SetClockAsync(t0);
        await PortalWorld.SendAsync(world.Admin, HttpMethod.Post, "api/v1/users",
            new { userName = "county-analyst", password = PortalWorld.Password, displayName = "县分析员", unitId = world.County, roles = new[] { "analyst" } }, HttpStatusCode.Created);

        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync("county-analyst");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的待办");

        var from = t0.AddDays(-45).ToString("yyyy-MM-dd");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "数据看板", Exact = true }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("数据看板");
        await page.GetByLabel("统计起始日期").FillAsync(from);
        await page.Locator("select[name=by]").SelectOptionAsync("week");
        await PortalPage.PressAsync(page, "查看");

        await Expect(page.Locator(".tile")).ToHaveCountAsync(11);
        var received = page.Locator(".tile", new() { HasText = "收件数" });
        await Expect(received.Locator(".tile-value")).ToHaveTextAsync("15");
        (await page.Locator(".tile", new() { HasText = "及时受理率" }).GetAttributeAsync("title") ?? "").ShouldContain("应受理");
        await Expect(page.Locator("dl.definitions dt")).ToHaveCountAsync(9);
        (await page.Locator("svg.svg-chart").CountAsync()).ShouldBeGreaterThanOrEqualTo(5);
        // Bars were drawn with a size (the charts render, not only exist).
        var bar = await page.Locator("svg.svg-chart rect.bar").First.BoundingBoxAsync();
        bar.ShouldNotBeNull();
        bar.Width.ShouldBeGreaterThan(0);
        await Expect(page.Locator("#pyramid-h")).ToBeVisibleAsync();
        // Styled on screen, not only present: the tiles' accent border and the bars' colour come from the stylesheet
        // (an unclosed @media print block once swallowed every dashboard rule after it).
        (await received.EvaluateAsync<string>("e => getComputedStyle(e).borderLeftWidth")).ShouldBe("4px");
        (await page.Locator("svg.svg-chart rect.bar").First.EvaluateAsync<string>("e => getComputedStyle(e).fill")).ShouldBe("rgb(47, 111, 159)");
        await Expect(page.Locator("section", new() { HasText = "按信访渠道" }).Locator("svg")).ToContainTextAsync("网上信访");
        await Browser.SaveScreenshotAsync(page, "dashboard");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Browser.SaveScreenshotAsync(page, "dashboard-print");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // Drill down: the received figure lists the matters behind it.
        await PortalPage.FollowAsync(page, () => received.Locator("a.tile-value").ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("指标明细");
        await Expect(page.Locator("table.drill tbody tr")).ToHaveCountAsync(15);
        await Expect(page.Locator("table.drill")).ToContainTextAsync("电梯停运问题（40天前）");
        await PortalPage.FollowAsync(page, () => page.Locator("table.drill tbody tr a").First.ClickAsync());
        await Expect(page.Locator("h1")).Not.ToHaveTextAsync("指标明细");

        watch.ShouldBeClean();
    }
}
