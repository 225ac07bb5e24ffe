using System.Net;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 领导包案 (Art. 18) in Chromium at 1366×768: the county government's leader, named owner of a letter, signs in,
/// finds it under 我的包案 with its clock, opens it, writes the plan (一案一策) and reports progress — with no
/// console or CSP error and a visible label on every control.
/// </summary>
public sealed class OwnershipBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    readonly LiveServer _server;
    readonly Browser _browser;

    public OwnershipBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    [Fact]
    public async Task Leader_signs_in_sees_the_owned_matter_with_its_clock_and_writes_plan_and_progress()
    {
        // The real time: sign-in checks the password's age by it, and new accounts are stamped by the server's clock.
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        await _server.SetClockAsync(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, now.Offset));
        var world = await PortalWorld.OfAsync(_server);
        var leader = await PortalWorld.SendAsync(world.Admin, HttpMethod.Post, "api/v1/users",
            new { userName = "county-leader", password = PortalWorld.Password, displayName = "王副县长", unitId = world.County, roles = new[] { "unitLeader" } }, HttpStatusCode.Created);
        var leaderApi = await _server.LoginAsync("county-leader", PortalWorld.Password);
        var letter = await world.RegisterLetterAsync("小区电梯长期停运无人维修");
        await PortalWorld.SendAsync(leaderApi, HttpMethod.Post, $"api/v1/petitions/{letter.Id}/ownership",
            new { leaders = new[] { new { userId = leader["id"]!.ToString(), capacity = "territory" } }, note = "属地领导包案" }, HttpStatusCode.Created);
        var due = DateOnly.FromDateTime(now.DateTime).AddDays(10).ToString("yyyy-MM-dd");

        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync("county-leader");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的待办");

        // 我的包案: the letter with its running clock, no plan yet.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "我的包案" }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的包案");
        var row = page.Locator("section[aria-labelledby=mine] tbody tr", new() { HasText = letter.Number });
        await Expect(row).ToContainTextAsync("小区电梯长期停运无人维修");
        await Expect(row.Locator(".badge.none")).ToContainTextAsync("到期"); // green: the clock has just started
        await Expect(row).ToContainTextAsync("未制定方案");
        await PortalPage.FollowAsync(page, () => row.GetByRole(AriaRole.Link, new() { Name = letter.Number }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync($"领导包案：{letter.Number}");
        await ShouldLabelEveryControlAsync(page);

        // 一案一策: the plan editor is open while there is no plan.
        await page.GetByLabel("化解方案 *", new() { Exact = true }).FillAsync("督促物业公司限期修复电梯，住建部门跟踪验收。");
        await page.GetByLabel("步骤1内容 *", new() { Exact = true }).FillAsync("约谈物业公司负责人");
        await page.GetByLabel("步骤1完成时限", new() { Exact = true }).FillAsync(due);
        await page.GetByLabel("步骤1责任单位", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = PortalWorld.CountyBureauName });
        await PortalPage.PressAsync(page, "保存方案");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("方案已保存");
        await Expect(page.Locator("ol.plan-steps")).ToContainTextAsync("约谈物业公司负责人");
        await Expect(page.Locator("ol.plan-steps")).ToContainTextAsync("责任单位：" + PortalWorld.CountyBureauName);

        // Progress.
        await page.GetByLabel("进展情况 *", new() { Exact = true }).FillAsync("已约谈物业公司，承诺两周内完成维修。");
        await PortalPage.PressAsync(page, "记录进展");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("进展已记录");
        await Expect(page.Locator("ol.progress-notes")).ToContainTextAsync("已约谈物业公司");
        await ShouldLabelEveryControlAsync(page);

        // Back on 我的包案 the plan's next step shows.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "返回我的包案" }).ClickAsync());
        await Expect(page.Locator("section[aria-labelledby=mine] tbody tr", new() { HasText = letter.Number })).ToContainTextAsync("约谈物业公司负责人");
        watch.ShouldBeClean();
    }

    static async Task ShouldLabelEveryControlAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
              .filter(e => !e.closest('details:not([open])'))
              .filter(e => e.labels.length === 0 || !Array.from(e.labels).some(l => l.innerText.trim().length > 0))
              .map(e => e.id || e.name)
            """);
        unlabelled.ShouldBeEmpty("controls without a visible label");
    }
}
