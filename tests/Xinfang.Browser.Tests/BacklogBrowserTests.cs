using System.Net;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 积案化解 in Chromium at 1366×768, as the people concerned use it with no help: a county supervisor creates a
/// campaign and lists a long-open matter with an owner; the owner (a caseworker of the county housing bureau)
/// reports its resolution; another supervisor strikes it off (积案化解率 100%); 90 days later (the controllable
/// clock) the re-check is due and recorded as stable. No console or CSP error on any page.
/// </summary>
public sealed class BacklogBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);
    readonly LiveServer _server;
    readonly Browser _browser;

    public BacklogBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    async Task<IPage> SignInAsync(string user)
    {
        var page = await _browser.NewDesktopPageAsync(_server);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        return page;
    }

    [Fact]
    public async Task Supervisor_lists_a_matter_the_owner_reports_another_supervisor_strikes_it_off_and_after_90_days_rechecks_it_stable()
    {
        // The sign-in checks the password's age by the real clock: start the server's clock at real time.
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        await _server.SetClockAsync(now);
        var w = await PortalWorld.OfAsync(_server);
        foreach (var name in new[] { "bl-supervisor", "bl-auditor" })
            await PortalWorld.SendAsync(w.Admin, HttpMethod.Post, "api/v1/users",
                new { userName = name, password = PortalWorld.Password, displayName = name == "bl-supervisor" ? "赵督查" : "钱督查", unitId = w.County, roles = new[] { "supervisor" } },
                HttpStatusCode.Created);
        var letter = await PortalWorld.SendAsync(w.Clerk, HttpMethod.Post, "api/v1/petitions", new
        {
            channel = "letter", receivedAt = now.AddDays(-150),
            petitioners = new[] { new { name = "孙六", phone = "13612345678", address = "昆山市周市镇新城花园2栋101室" } },
            headcount = 1, title = "安置房久拖未交付", content = "诉求：请求交付安置房。事实：拆迁安置协议约定的交房日期已过一年。理由：协议合法有效。",
            regionCode = "320583", type = "claim",
        }, HttpStatusCode.Created);
        var number = letter["number"]!.ToString();

        // The supervisor creates the campaign from the nav link and lists the candidate with its owner.
        var sup = await SignInAsync("bl-supervisor");
        var watch = PageWatch.Attach(sup);
        await PortalPage.FollowAsync(sup, () => sup.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "积案化解" }).ClickAsync());
        await Expect(sup.Locator("h1")).ToHaveTextAsync("积案化解");
        await sup.GetByLabel("名称 *").FillAsync("安置房积案专项");
        await sup.GetByLabel("专项工作单位 *").SelectOptionAsync(new SelectOptionValue { Label = "昆山市人民政府" });
        await sup.GetByLabel("开始日期 *").FillAsync(now.ToString("yyyy-MM-dd"));
        await sup.GetByLabel("结束日期 *").FillAsync(now.AddDays(60).ToString("yyyy-MM-dd"));
        await sup.GetByLabel("自收到之日起超过（天）未办结").FillAsync("100");
        await PortalPage.PressAsync(sup, "建立专项工作");
        await Expect(sup.Locator("h1")).ToHaveTextAsync("安置房积案专项");
        await Expect(sup.Locator("[role=status]")).ToContainTextAsync("专项工作已建立");
        await sup.GetByLabel($"选择 {number}").CheckAsync();
        await sup.GetByLabel("责任人 *").SelectOptionAsync(new SelectOptionValue { Label = $"worker（{PortalWorld.CountyHousingName}）" });
        await PortalPage.PressAsync(sup, "列入积案");
        await Expect(sup.Locator("[role=status]")).ToContainTextAsync("已列入积案");
        await Expect(sup.Locator("table.members")).ToContainTextAsync(number);
        await Expect(sup.Locator("table.members")).ToContainTextAsync("已列入");
        watch.ShouldBeClean();

        // The owner reports the resolution with its evidence.
        var owner = await SignInAsync("worker");
        var ownerWatch = PageWatch.Attach(owner);
        owner.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // "确认上报化解？"
        await owner.GotoAsync("/staff/backlog");
        await PortalPage.FollowAsync(owner, () => owner.GetByRole(AriaRole.Link, new() { Name = "安置房积案专项" }).ClickAsync());
        await owner.GetByText("上报化解", new() { Exact = true }).ClickAsync();
        await owner.GetByLabel("化解情况 *").FillAsync("已协调开发企业交付安置房，信访人已入住");
        await owner.GetByLabel("证明材料（文字说明）*").FillAsync("交房确认书（信访人签字）");
        await PortalPage.PressAsync(owner, "上报");
        await Expect(owner.Locator("[role=status]")).ToContainTextAsync("已上报化解");
        await Expect(owner.Locator("table.members")).ToContainTextAsync("已上报待审核");
        ownerWatch.ShouldBeClean();

        // Another supervisor audits and strikes it off: the rate shows 100%.
        var auditor = await SignInAsync("bl-auditor");
        var auditWatch = PageWatch.Attach(auditor);
        await auditor.GotoAsync("/staff/backlog");
        await PortalPage.FollowAsync(auditor, () => auditor.GetByRole(AriaRole.Link, new() { Name = "安置房积案专项" }).ClickAsync());
        await auditor.GetByText("审核", new() { Exact = true }).ClickAsync();
        await auditor.GetByLabel("审核意见（退回时必填）").FillAsync("材料齐全，同意销号");
        await PortalPage.PressAsync(auditor, "通过并销号");
        await Expect(auditor.Locator("[role=status]")).ToContainTextAsync("审核结果已记录");
        await Expect(auditor.Locator("#rate")).ToHaveTextAsync("100%");
        await Expect(auditor.Locator("table.members")).ToContainTextAsync("已销号");
        await Browser.SaveScreenshotAsync(auditor, "staff-backlog-campaign");

        // 回头看: 90 days on, the re-check is due; recorded as stable.
        await _server.SetClockAsync(now.AddDays(91));
        await auditor.GotoAsync("/staff/backlog");
        await Expect(auditor.Locator("#due-heading + div table")).ToContainTextAsync(number);
        await PortalPage.FollowAsync(auditor, () => auditor.GetByRole(AriaRole.Link, new() { Name = number }).First.ClickAsync());
        await auditor.GetByText("回头看", new() { Exact = true }).ClickAsync();
        await auditor.GetByLabel("稳定").CheckAsync();
        await auditor.GetByLabel("情况说明（反复时必填）").FillAsync("电话回访，信访人表示满意");
        await PortalPage.PressAsync(auditor, "记录回头看");
        await Expect(auditor.Locator("[role=status]")).ToContainTextAsync("回头看结果已记录");
        await Expect(auditor.Locator("table.members")).ToContainTextAsync("回头看：稳定");
        auditWatch.ShouldBeClean();
    }
}
