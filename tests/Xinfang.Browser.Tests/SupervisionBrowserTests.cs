using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xinfang.Browser.Tests.Portal;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// 督办 in Chromium, its main path: a matter goes overdue, the county bureau's supervisor sees the proposal (督办建议),
/// issues a 督办函 from it; the housing bureau's caseworker finds it addressed to their unit and answers in writing.
/// </summary>
public sealed class SupervisionBrowserTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    const string Password = "Test-Pass-2026";
    readonly LiveServer _server;
    readonly Browser _browser;

    public SupervisionBrowserTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    async Task<IPage> SignInAsync(string userName)
    {
        var page = await _browser.NewPageAsync(_server, Browser.Desktop);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(Password);
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync());
        return page;
    }

    static async Task<JsonNode> SendAsync(HttpClient http, string url, object? body = null)
    {
        using var response = body is null ? await http.GetAsync(url) : await http.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    static async Task<string> UnitAsync(HttpClient admin, string code, string name, int level, string kind, string region, string parent) =>
        (await SendAsync(admin, "api/v1/units", new { code, name, level, kind, regionCode = region, parentId = parent }))["id"]!.ToString();

    static Task UserAsync(HttpClient admin, string userName, string displayName, string unit, string role) =>
        SendAsync(admin, "api/v1/users", new { userName, password = Password, displayName, unitId = unit, roles = new[] { role } });

    static async Task ShouldLabelEveryControlAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
              .filter(e => !e.closest('details:not([open])'))
              .filter(e => e.labels.length === 0 || !Array.from(e.labels).some(l => l.innerText.trim().length > 0))
              .map(e => e.id || e.name)
            """);
        unlabelled.ShouldBeEmpty($"{page.Url}: controls without a visible label");
    }

    [Fact]
    public async Task Supervisor_issues_a_supervision_from_the_overdue_proposal_and_the_caseworker_answers_it_in_writing()
    {
        // Accounts are stamped by the server's clock and sign-in checks password age by the real one: start from now.
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        await _server.SetClockAsync(now);
        var admin = await _server.LoginAsync();
        var root = (await SendAsync(admin, "api/v1/units"))["items"]![0]!["id"]!.ToString();
        var province = await UnitAsync(admin, "p", "江苏省人民政府", 1, "government", "320000", root);
        var city = await UnitAsync(admin, "c", "苏州市人民政府", 2, "government", "320500", province);
        var county = await UnitAsync(admin, "k", "昆山市人民政府", 3, "government", "320583", city);
        var bureau = await UnitAsync(admin, "k-xfj", "昆山市信访局", 3, "petitionBureau", "320583", county);
        var housing = await UnitAsync(admin, "k-zjj", "昆山市住房和城乡建设局", 3, "department", "320583", county);
        await UserAsync(admin, "sv-clerk", "王登记", bureau, "intakeClerk");
        await UserAsync(admin, "sv-supervisor", "赵督查", bureau, "supervisor");
        await UserAsync(admin, "sv-worker", "钱承办", housing, "caseworker");

        var clerk = await _server.LoginAsync("sv-clerk", Password);
        var registered = await SendAsync(clerk, "api/v1/petitions", new
        {
            channel = "visit",
            petitioners = new[] { new { name = "张三", idNumber = "11010519491231002X", phone = "13912345678", address = "昆山市玉山镇阳光花园3栋201室" } },
            headcount = 1, title = "阳光花园小区逾期交房",
            content = "诉求：请求开发商按合同交付住房。事实：合同约定2025年6月交房，至今停工。理由：购房款已付清。",
            regionCode = "320583", categoryCode = "0102", type = "claim",
        });
        var id = registered["id"]!.ToString();
        var number = registered["number"]!.ToString();
        await SendAsync(clerk, $"api/v1/petitions/{id}/forward", new { unitId = housing, note = "请依法处理" });

        // Twenty days on, the housing bureau's 15-day notice clock is overdue: the sweeps raise a proposal.
        await _server.SetClockAsync(now.AddDays(20));
        var supervisorApi = await _server.LoginAsync("sv-supervisor", Password);
        for (var i = 0; ; i++)
        {
            var items = (await SendAsync(supervisorApi, "api/v1/supervision-proposals"))["items"]!.AsArray();
            if (items.Any(p => p!["petitionId"]!.ToString() == id)) break;
            if (i > 150) throw new Xunit.Sdk.XunitException("no proposal was raised for the overdue matter");
            await Task.Delay(200);
        }

        var page = await SignInAsync("sv-supervisor");
        var watch = PageWatch.Attach(page);
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "督办" }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("督办");
        var row = page.Locator("tr", new() { HasText = number });
        await Expect(row).ToContainTextAsync("告知期限");
        await ShouldLabelEveryControlAsync(page);
        await Browser.SaveScreenshotAsync(page, "staff-supervision-proposals");
        await PortalPage.FollowAsync(page, () => row.GetByRole(AriaRole.Link, new() { Name = "督办", Exact = true }).ClickAsync());

        await Expect(page.Locator("h1")).ToHaveTextAsync($"督办　{number}");
        await ShouldLabelEveryControlAsync(page);
        await page.GetByLabel("督办方式 *").SelectOptionAsync(new SelectOptionValue { Label = "督办函" });
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "办理时推诿、敷衍、拖延" }).CheckAsync();
        await Expect(page.GetByLabel("受督办单位 *")).ToHaveValueAsync(housing);
        await page.GetByLabel("督办意见").FillAsync("请于期限内书面反馈办理情况。");
        await Browser.SaveScreenshotAsync(page, "staff-supervision-form");
        await PortalPage.PressAsync(page, "督办");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("已督办");
        await Expect(page.Locator("main")).ToContainTextAsync("督办函");
        await Expect(page.Locator("main")).ToContainTextAsync("待反馈");
        watch.ShouldBeClean();

        var worker = await SignInAsync("sv-worker");
        var workerWatch = PageWatch.Attach(worker);
        await PortalPage.FollowAsync(worker, () => worker.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "督办" }).ClickAsync());
        await Expect(worker.GetByRole(AriaRole.Link, new() { Name = "督办本单位的" })).ToHaveAttributeAsync("aria-current", "page");
        await PortalPage.FollowAsync(worker, () => worker.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync());
        await ShouldLabelEveryControlAsync(worker);
        await worker.GetByLabel("书面反馈 *").FillAsync("已约谈开发商，责令限期复工，每周报告进度。");
        await worker.GetByLabel("整改措施").FillAsync("建立周报制度");
        await PortalPage.PressAsync(worker, "提交反馈");
        await Expect(worker.Locator("[role=status]")).ToContainTextAsync("已书面反馈");
        await Expect(worker.Locator("main")).ToContainTextAsync("已约谈开发商");
        await Expect(worker.Locator("main")).ToContainTextAsync("已反馈");
        await Browser.SaveScreenshotAsync(worker, "staff-supervision-answered");
        workerWatch.ShouldBeClean();
    }
}
