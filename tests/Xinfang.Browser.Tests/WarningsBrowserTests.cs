using System.Net;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 逾期与预警 and 消息提醒 in Chromium at 1366×768: a matter's handling clock runs out (the controllable clock moves
/// seventy days on); the county government's supervisor finds it on the overdue list and in the counts by unit; the
/// caseworker of the housing bureau holding it sees the unread badge, opens the notice and lands on the matter.
/// Screenshots go to docs/screenshots/staff-overdue.png and staff-notifications.png.
/// </summary>
public sealed class WarningsBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);
    readonly LiveServer _server;
    readonly Browser _browser;

    public WarningsBrowserTests(LiveServer server, Browser browser)
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
    public async Task Supervisor_finds_overdue_matter_of_the_county_and_caseworker_opens_its_notice()
    {
        // Accounts are stamped by the server's clock and sign-in checks password age by the real one: start at now.
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        await _server.SetClockAsync(new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, China));
        var world = await PortalWorld.OfAsync(_server);
        await PortalWorld.SendAsync(world.Admin, HttpMethod.Post, "api/v1/users",
            new { userName = "supervisor", password = PortalWorld.Password, displayName = "督查员甲", unitId = world.County, roles = new[] { "supervisor" } }, HttpStatusCode.Created);
        var (id, number, _) = await world.RegisterLetterAsync("电梯停运逾期未办");
        await world.ForwardAsync(id);
        await world.AcceptAsync(id); // 60-day handling clock
        await _server.SetClockAsync(new DateTimeOffset(now.Year, now.Month, now.Day, 10, 0, 0, China).AddDays(70));
        await WaitForOverdueNoticeAsync(world.Worker, id);

        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        await SignInAsync(page, "supervisor");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "逾期与预警", Exact = true }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("逾期与预警");
        var byUnit = page.Locator("#overdue-by-unit tbody tr", new() { HasText = PortalWorld.CountyHousingName });
        await Expect(byUnit.Locator("td").Nth(1)).ToHaveTextAsync("1");
        var row = page.Locator("#overdue-list tbody tr", new() { HasText = number });
        await Expect(row).ToContainTextAsync("办理期限");
        await Expect(row).ToContainTextAsync("已超");
        await Expect(row.Locator(".badge.red")).ToBeVisibleAsync();
        await Browser.SaveScreenshotAsync(page, "staff-overdue");
        // Down to the unit holding it.
        await PortalPage.FollowAsync(page, () => byUnit.GetByRole(AriaRole.Link, new() { Name = PortalWorld.CountyHousingName }).ClickAsync());
        await Expect(page.Locator("#list-title")).ToContainTextAsync(PortalWorld.CountyHousingName);
        await Expect(page.Locator("#overdue-list")).ToContainTextAsync(number);
        // A supervisor reads only: no urgent flag form on the matter.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync());
        await Expect(page.Locator("#urgent-section")).ToContainTextAsync("未标记");
        await PortalPage.PressAsync(page, "退出");

        // The caseworker: the badge counts the notice; opening it reads it and leads to the matter.
        await SignInAsync(page, "worker");
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("1");
        await PortalPage.FollowAsync(page, () => page.Locator("header nav a[href='/staff/notifications']").ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("消息提醒");
        var notice = page.Locator("#notices tbody tr", new() { HasText = number });
        await Expect(notice).ToContainTextAsync("已逾期");
        await Expect(notice).ToContainTextAsync("未读");
        await Browser.SaveScreenshotAsync(page, "staff-notifications");
        await PortalPage.FollowAsync(page, () => notice.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync());
        await Expect(page.Locator("h1")).ToContainTextAsync("已受理");
        await Expect(page.Locator("#unread-count")).ToHaveCountAsync(0);
        await PortalPage.FollowAsync(page, () => page.Locator("header nav a[href='/staff/notifications']").ClickAsync());
        await Expect(page.Locator("#notices tbody tr", new() { HasText = number })).ToContainTextAsync("已读");
        watch.ShouldBeClean();
    }

    static async Task WaitForOverdueNoticeAsync(HttpClient worker, string id)
    {
        for (var i = 0; i < 100; i++)
        {
            var items = (await PortalWorld.SendAsync(worker, HttpMethod.Get, "api/v1/notifications", null, HttpStatusCode.OK))["items"]!.AsArray();
            if (items.Any(n => n!["petitionId"]?.ToString() == id && n["kind"]!.ToString() == "overdue")) return;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException("no overdue notice reached the county housing bureau");
    }
}
