using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Browser.Tests.Portal;
using Xinfang.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests.Workbench;

/// <summary>
/// The staff workbench (src/Xinfang.Web/Workbench) as a clerk and a caseworker use it at 1366×768, with no help:
/// sign in, register a visit by two petitioners (a wrong ID number first), print the receipt, forward it; the
/// caseworker finds it in their queue, accepts and replies; the clocks and the timeline follow. Screenshots of
/// every page go to docs/screenshots/staff-*.png.
/// </summary>
public sealed class WorkbenchJourneyTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    const string CountyHousing = PortalWorld.CountyHousingName;
    static readonly TimeSpan China = TimeSpan.FromHours(8);
    readonly LiveServer _server;
    readonly Browser _browser;

    public WorkbenchJourneyTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    static DateTimeOffset ChinaNow()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, China);
    }

    async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/staff");
        await Expect(page.Locator("h1")).ToHaveTextAsync("登录");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PortalWorld.Password);
        await PortalPage.PressAsync(page, "登录");
        await Expect(page.Locator("h1")).ToHaveTextAsync("我的待办");
    }

    [Fact]
    public async Task Clerk_registers_a_visit_of_two_and_forwards_it_then_the_caseworker_accepts_and_replies_and_the_clocks_follow()
    {
        var t0 = ChinaNow();
        await _server.SetClockAsync(t0);
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewDesktopPageAsync(_server);
        var watch = PageWatch.Attach(page);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // the "are you sure" of each step

        // The clerk signs in and sees their unit and role in the header.
        await page.GotoAsync("/staff/login");
        await Browser.SaveScreenshotAsync(page, "staff-login");
        await SignInAsync(page, "clerk");
        await Expect(page.Locator("header")).ToContainTextAsync(PortalWorld.CountyBureauName);
        await Expect(page.Locator("header")).ToContainTextAsync("登记员");

        // Registration: a visit by two, the first ID number mistyped.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "登记", Exact = true }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("登记信访事项");
        await page.GetByLabel("信访渠道 *").SelectOptionAsync("visit");
        await page.GetByLabel("来访人数").FillAsync("2");
        await page.Locator("#petitioners\\[0\\]-name").FillAsync("张三");
        await page.Locator("#petitioners\\[0\\]-id").FillAsync("110105194912310021");
        await page.Locator("#petitioners\\[0\\]-phone").FillAsync("13912345678");
        await page.Locator("#petitioners\\[0\\]-address").FillAsync("昆山市玉山镇阳光花园3栋201室");
        await PortalPage.PressAsync(page, "添加信访人");
        await page.Locator("#petitioners\\[1\\]-name").FillAsync("李四");
        await page.Locator("#petitioners\\[1\\]-address").FillAsync("昆山市玉山镇阳光花园5栋101室");
        await page.GetByLabel("标题 *").FillAsync("阳光花园小区逾期交房");
        await page.GetByLabel("信访请求 *").FillAsync("请求开发商按合同交付住房。");
        await page.GetByLabel("主要事实").FillAsync("合同约定去年底交房，至今停工。");
        await page.GetByLabel("理由").FillAsync("已付清房款。");
        await page.GetByLabel("问题分类").SelectOptionAsync("0102");
        await PortalPage.PressAsync(page, "登记并生成回执");
        await Expect(page.Locator("#err-petitioners\\[0\\]\\.idNumber")).ToContainTextAsync("公民身份号码无效");
        await Expect(page.Locator("#petitioners\\[1\\]-name")).ToHaveValueAsync("李四"); // nothing typed is lost
        await Browser.SaveScreenshotAsync(page, "staff-register-error");
        await page.Locator("#petitioners\\[0\\]-id").FillAsync("11010519491231002X");
        await PortalPage.PressAsync(page, "登记并生成回执");

        // The receipt: number and query code, once.
        await Expect(page.Locator("h1")).ToHaveTextAsync("登记回执");
        var number = (await page.Locator(".receipt dd.big").First.InnerTextAsync()).Trim();
        number.ShouldStartWith("320583-");
        await Expect(page.Locator(".receipt")).ToContainTextAsync("张三、李四");
        await Browser.SaveScreenshotAsync(page, "staff-receipt");

        // The petition page: forward to the county housing bureau.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "查看事项并转送、交办" }).ClickAsync());
        await Expect(page.Locator("h1")).ToContainTextAsync("已登记");
        await Expect(page.Locator("#clocks").Locator("xpath=..")).ToContainTextAsync("登记转送期限");
        await Expect(page.Locator("table")).ToContainTextAsync("110105********002X"); // masked by default
        await Browser.SaveScreenshotAsync(page, "staff-petition-registered");
        await page.Locator("details#forward > summary").ClickAsync();
        await page.GetByLabel("转送至 *").SelectOptionAsync(new SelectOptionValue { Label = CountyHousing });
        await page.Locator("details#forward").GetByLabel("转送（交办）意见").FillAsync("请依法办理并告知信访人。");
        await PortalPage.PressAsync(page, "确认转送");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("已转送");
        await Expect(page.Locator("h1")).ToContainTextAsync("已转送");
        await Expect(page.Locator("#clocks").Locator("xpath=..")).ToContainTextAsync("告知是否受理期限");
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync(CountyHousing);

        // Sign out; the caseworker of the housing bureau takes over.
        await PortalPage.PressAsync(page, "退出");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("已安全退出");
        await SignInAsync(page, "worker");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "待受理" }).ClickAsync());
        var row = page.Locator("tbody tr", new() { HasText = number });
        await Expect(row).ToContainTextAsync("告知是否受理期限");
        await Expect(row.Locator(".badge.none")).ToBeVisibleAsync(); // green: two weeks to go
        await Browser.SaveScreenshotAsync(page, "staff-my-work");
        await PortalPage.FollowAsync(page, () => row.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync());

        // Accept on the petition procedure (route 6): the 60-day handling clock starts.
        await page.Locator("details#accept > summary").ClickAsync();
        await PortalPage.PressAsync(page, "确认受理");
        await Expect(page.Locator("h1")).ToContainTextAsync("已受理");
        await Browser.SaveScreenshotAsync(page, "staff-petition-accepted");
        await Expect(page.Locator("#clocks").Locator("xpath=..")).ToContainTextAsync("办理期限");

        // A reply without a decision is refused in Chinese, the text kept; then the written opinion.
        await page.Locator("details#reply > summary").ClickAsync();
        await page.Locator("details#reply textarea[name=text]").FillAsync("经核查，开发商已于本月复工，预计年内交付。");
        await PortalPage.PressAsync(page, "确认答复");
        await Expect(page.Locator("#err-decision")).ToContainTextAsync("处理意见");
        await Expect(page.Locator("details#reply textarea[name=text]")).ToHaveValueAsync("经核查，开发商已于本月复工，预计年内交付。");
        await page.Locator("details#reply").GetByLabel("解释说明").CheckAsync();
        await PortalPage.PressAsync(page, "确认答复");
        await Expect(page.Locator("h1")).ToContainTextAsync("已答复");
        await Expect(page.Locator("#clocks").Locator("xpath=..")).ToContainTextAsync("申请复查期限");
        var timeline = page.Locator("ol.timeline");
        foreach (var step in new[] { "登记", "转送", "受理", "答复" }) await Expect(timeline).ToContainTextAsync(step);
        await Expect(timeline).ToContainTextAsync("处理意见：解释说明");

        // Unmasking asks for a reason and is recorded.
        await page.Locator("details > summary", new() { HasText = "查看完整个人信息" }).ClickAsync();
        await page.GetByLabel("查看理由 *").FillAsync("电话告知信访人答复意见");
        await PortalPage.PressAsync(page, "显示");
        await Expect(page.Locator("table")).ToContainTextAsync("11010519491231002X");
        await Browser.SaveScreenshotAsync(page, "staff-petition-replied");
        using (var scope = _server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            (await db.PersonalDataReveals.CountAsync(r => r.Reason == "电话告知信访人答复意见")).ShouldBe(1);
        }

        // Search finds it by words of its title.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "查询", Exact = true }).ClickAsync());
        await page.GetByLabel("标题或内容包含").FillAsync("逾期交房");
        await PortalPage.PressAsync(page, "查询");
        await Expect(page.Locator("tbody")).ToContainTextAsync(number);
        await Browser.SaveScreenshotAsync(page, "staff-search");
        watch.ShouldBeClean("/staff/register", "/reply"); // the two refusals above answer 400 by design

        // On a tablet held upright the same pages fit without sideways scrolling (wide tables scroll inside their frame).
        await page.SetViewportSizeAsync(768, 1024);
        var petitionUrl = page.Url;
        foreach (var url in new[] { "/staff", "/staff?queue=handle", "/staff/register", "/staff/search?text=逾期交房", new Uri(petitionUrl).PathAndQuery })
        {
            await page.GotoAsync(url);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(768, $"{url}: widest {await PortalPage.WidestAsync(page)}");
        }
        await Browser.SaveScreenshotAsync(page, "staff-search-tablet");
    }

    [Fact]
    public async Task The_workbench_is_used_by_keyboard_alone_from_the_skip_link_to_the_queue_and_a_petition()
    {
        await _server.SetClockAsync(ChinaNow());
        var world = await PortalWorld.OfAsync(_server);
        using (var r = await world.Clerk.PostAsJsonAsync("api/v1/petitions", new
        {
            channel = "letter", title = "键盘操作的来信", content = "诉求：请求处理。", regionCode = "320583",
            petitioners = new[] { new { name = "周七", address = "昆山市周市镇" } },
        })) r.EnsureSuccessStatusCode();
        var page = await _browser.NewDesktopPageAsync(_server);
        await SignInAsync(page, "clerk");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("跳到正文");
        // Tab onwards until the petition's link in the queue has focus, then open it with Enter.
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("document.activeElement.closest('tbody') ? document.activeElement.textContent : ''") is { Length: > 0 }) break;
        }
        (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")).ShouldNotBe("none", "focus is visible");
        await PortalPage.FollowAsync(page, () => page.Keyboard.PressAsync("Enter"));
        await Expect(page.Locator("h1")).ToContainTextAsync("已登记");
        // The first step's form opens from the keyboard too.
        await page.Locator("details#forward > summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("details#forward")).ToHaveAttributeAsync("open", "");
    }
}
