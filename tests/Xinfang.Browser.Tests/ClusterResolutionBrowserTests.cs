using System.Net;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 类案化解 in Chromium at 1366×768: a city supervisor opens a cluster of petitions about one estate, designates the
/// county housing bureau as lead unit with a policy measure; the bureau's leader opens the same cluster (which it
/// can only see from the stored resolution), ticks the members it may answer and replies to them at once with one
/// text; each member is answered on its own timeline and the cluster's tracking follows.
/// </summary>
public sealed class ClusterResolutionBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    readonly LiveServer _server;
    readonly Browser _browser;

    public ClusterResolutionBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    async Task<string> RegisterAsync(PortalWorld w, string title, string content)
    {
        var body = new
        {
            channel = "letter",
            petitioners = new[] { new { name = "王五", phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}", address = "昆山市玉山镇" } },
            headcount = 1, title, content, regionCode = "320583", type = "claim",
        };
        return (await PortalWorld.SendAsync(w.Clerk, HttpMethod.Post, "api/v1/petitions", body, HttpStatusCode.Created))["id"]!.ToString();
    }

    async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的待办");
    }

    static async Task LabelsShouldBeVisibleAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
              .filter(e => !e.closest('details:not([open])'))
              .filter(e => e.labels.length === 0 || !Array.from(e.labels).some(l => l.innerText.trim().length > 0))
              .map(e => e.id || e.name)
            """);
        unlabelled.ShouldBeEmpty("controls without a visible label");
    }

    [Fact]
    public async Task Supervisor_designates_lead_unit_and_measure_then_the_lead_units_leader_replies_to_the_chosen_members_at_once()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        await _server.SetClockAsync(now);
        var w = await PortalWorld.OfAsync(_server);
        foreach (var (user, unit, role) in new[] { ("city-supervisor", w.City, "supervisor"), ("housing-leader", w.CountyHousing, "unitLeader") })
            await PortalWorld.SendAsync(w.Admin, HttpMethod.Post, "api/v1/users",
                new { userName = user, password = PortalWorld.Password, displayName = user, unitId = unit, roles = new[] { role } }, HttpStatusCode.Created);

        string[] complaints =
        [
            "翠鸮湾小区开发商逾期交房两年，业主每月还贷压力巨大，要求翠鸮湾小区尽快交付。",
            "我是翠鸮湾小区业主，翠鸮湾小区工程停工，开发商逾期交房，购房款已付清。",
            "翠鸮湾小区交房一再延期，开发商失联，翠鸮湾小区业主要求政府督促复工交房。",
            "反映翠鸮湾小区逾期交房问题：翠鸮湾小区烂尾至今，业主维权无门。",
        ];
        var members = new List<string>();
        foreach (var c in complaints) members.Add(await RegisterAsync(w, "翠鸮湾小区逾期交房", c));
        foreach (var (title, content) in new[] { ("路灯损坏", "村口的路灯坏了三个月，晚上出行很不安全，请求维修。"), ("养老金发放", "退休后养老金迟迟没有到账，社保窗口说系统问题。"),
                     ("河道垃圾", "河道里堆满生活垃圾，夏天臭气熏天，无人清理。"), ("医保报销", "住院费用医保报销比例与政策不符，多次咨询没有答复。") })
            await RegisterAsync(w, title, content);
        // Three reach the housing bureau and are accepted; the fourth is still at the petition bureau.
        foreach (var id in members.Take(3))
        {
            await w.ForwardAsync(id);
            await w.AcceptAsync(id);
        }

        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);

        // The city supervisor finds the cluster and sets its lead unit and measure.
        await SignInAsync(page, "city-supervisor");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "类案", Exact = true }).ClickAsync());
        await PortalPage.FollowAsync(page, () => page.Locator("a[href^='/staff/clusters/']", new() { HasText = "翠鸮湾" }).First.ClickAsync());
        var clusterUrl = page.Url;
        await Expect(page.Locator("#resolution-section")).ToContainTextAsync("尚未确定牵头单位和政策措施");
        await LabelsShouldBeVisibleAsync(page);
        await page.GetByLabel("牵头单位 *").SelectOptionAsync(new SelectOptionValue { Label = PortalWorld.CountyHousingName });
        await page.GetByLabel("政策措施（统一答复口径或解决措施） *").FillAsync("由县住建局牵头，协调开发商复工，统一答复交房时间。");
        await PortalPage.PressAsync(page, "保存");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("已确定牵头单位和政策措施");
        await Expect(page.Locator("#resolution-section")).ToContainTextAsync(PortalWorld.CountyHousingName);
        await Expect(page.Locator("#resolution-section")).ToContainTextAsync("共 4 件，已答复 0 件");
        watch.ShouldBeClean();

        // The housing bureau's leader, in a browser of their own, opens the cluster and answers the three it holds at once.
        page = await _browser.NewDesktopPageAsync(_server);
        watch = PageWatch.Attach(page);
        await SignInAsync(page, "housing-leader");
        await page.GotoAsync(clusterUrl);
        await Expect(page.Locator("#resolution-section")).ToContainTextAsync("由县住建局牵头");
        var boxes = page.Locator("#batch-section input[type=checkbox]");
        await Expect(boxes).ToHaveCountAsync(3);
        await LabelsShouldBeVisibleAsync(page);
        await page.GetByLabel("处理意见 *").SelectOptionAsync("explain");
        await Expect(page.GetByLabel("意见书正文 *")).ToHaveValueAsync("由县住建局牵头，协调开发商复工，统一答复交房时间。");
        await PortalPage.PressAsync(page, "答复所选事项");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("已答复 3 件");
        await Expect(page.Locator("#batch-result").Locator("xpath=..")).ToContainTextAsync("已答复");
        await Expect(page.Locator("#resolution-section")).ToContainTextAsync("共 4 件，已答复 3 件，已办结 0 件，化解率 75%");

        // Each member is answered on its own timeline.
        await page.GotoAsync("/staff/petitions/" + members[0]);
        await Expect(page.Locator("h1")).ToContainTextAsync("已答复");
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("类案措施");
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("处理意见：解释说明");
        watch.ShouldBeClean();
    }
}
