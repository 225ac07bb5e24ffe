using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests.Workbench;

/// <summary>
/// 系统管理 (/staff/admin) in Chromium on an office laptop screen (1366×768) and on a tablet: signed in through
/// the login page, every page drawn in Chinese with nothing fetched from elsewhere, the main controls reached by
/// keyboard with visible focus, no sideways scrolling. Screenshots go to docs/screenshots/staff-admin-*.png.
/// </summary>
public sealed class AdminPagesTests : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    const string SecurityAdmin = "security-admin";
    const string Password = "Test-Pass-2026";

    readonly LiveServer _server;
    readonly Browser _browser;

    public AdminPagesTests(LiveServer server, Browser browser)
    {
        _server = server;
        _browser = browser;
        SetDefaultExpectTimeout(15_000);
    }

    /// <summary>The pages, their headings, and the controls the keyboard must reach on each (by id, or button text).</summary>
    static readonly (string Name, string Url, string Heading, string[] Controls)[] Pages =
    [
        ("index", "/staff/admin", "系统管理", []),
        ("units", "/staff/admin/units", "单位管理", ["parentId", "name", "code", "level", "kind", "regionCode", "superiorId", "新建单位"]),
        ("users", "/staff/admin/users", "用户与角色", ["userName", "displayName", "password", "unitId", "新建用户"]),
        ("routing", "/staff/admin/routing?matchRegion=320583&matchCategory=0102", "分流规则", ["matchRegion", "matchCategory", "试算", "regionCode", "categoryCode", "unitId", "添加规则"]),
        ("calendar", "/staff/admin/calendar?year=2026", "工作日历", ["year", "查看", "file", "导入"]),
        ("categories", "/staff/admin/categories", "问题分类", ["parentCode", "name", "新增分类"]),
    ];

    static Task<World> WorldAsync(LiveServer server) => World.OfAsync(server);

    /// <summary>Signs in through the login page, as a person would.</summary>
    async Task<IPage> SignInAsync(BrowserNewContextOptions options, string userName = LiveServer.AdminUserName, string password = LiveServer.AdminPassword)
    {
        var page = await _browser.NewPageAsync(_server, options);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await Portal.PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync());
        return page;
    }

    [Fact]
    public async Task System_administrator_at_1366x768_opens_every_admin_page_in_Chinese_reaches_its_controls_by_keyboard_and_loads_nothing_from_elsewhere()
    {
        await WorldAsync(_server);
        var page = await SignInAsync(Browser.Desktop);
        var watch = PageWatch.Attach(page);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "系统管理" })).ToBeVisibleAsync();

        foreach (var (name, url, heading, controls) in Pages)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await Glyphs.ShouldRenderAsync(page.Locator("h1"), heading);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(1366, $"{url}: no sideways scrolling at 1366 px");

            // Every control has a visible label (controls folded away in a closed <details> show theirs when opened).
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
                  .filter(e => !e.closest('details:not([open])'))
                  .filter(e => e.labels.length === 0 || !Array.from(e.labels).some(l => l.innerText.trim().length > 0))
                  .map(e => e.id || e.name)
                """);
            unlabelled.ShouldBeEmpty($"{url}: controls without a visible label");

            var reached = await TabThroughAsync(page, 160);
            reached.ShouldContain("a#跳到正文");
            foreach (var tab in new[] { "概览", "单位管理", "用户与角色", "分流规则", "工作日历", "问题分类" })
                reached.ShouldContain($"a#{tab}", $"{url}: the tab {tab} by keyboard; reached {string.Join(" → ", reached)}");
            foreach (var control in controls)
                reached.ShouldContain(r => r.EndsWith("#" + control, StringComparison.Ordinal), $"{url}: {control} by keyboard; reached {string.Join(" → ", reached)}");

            await page.EvaluateAsync("document.activeElement && document.activeElement.blur()");
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await Browser.SaveScreenshotAsync(page, "staff-admin-" + name);
        }
        watch.ShouldBeClean();
    }

    [Fact]
    public async Task Security_administrator_sees_a_locked_account_and_unlocks_it_after_confirming()
    {
        var world = await WorldAsync(_server);
        await world.LockOutAsync("locked-worker");
        var page = await SignInAsync(Browser.Desktop, SecurityAdmin, Password);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/staff/admin/users");
        var row = page.Locator("#user-locked-worker");
        await Expect(row).ToContainTextAsync("已锁定");
        await Browser.SaveScreenshotAsync(page, "staff-admin-users-security");

        // The unlock button asks first; the answer is yes.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "解锁 locked-worker" }).FocusAsync();
        await Portal.PortalPage.FollowAsync(page, () => page.Keyboard.PressAsync("Enter"));
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync("账户已解锁。");
        await Expect(page.Locator("#user-locked-worker")).ToContainTextAsync("正常");
        watch.ShouldBeClean();
    }

    [Fact]
    public async Task Refused_forms_show_errors_beside_their_fields_and_the_calendar_on_a_tablet_fits_its_width()
    {
        await WorldAsync(_server);
        var page = await SignInAsync(Tablet);
        var watch = PageWatch.Attach(page);

        await page.GotoAsync("/staff/admin/users");
        await page.GetByLabel("用户名").FillAsync("double-admin");
        await page.GetByLabel("姓名").FillAsync("兼任者");
        await page.GetByLabel("初始密码").FillAsync(Password);
        await page.GetByLabel("所在单位", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "系统管理员" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "审计管理员" }).CheckAsync();
        await Portal.PortalPage.PressAsync(page, "新建用户");
        await Expect(page.Locator("#err-roles")).ToContainTextAsync("三员分立");
        await Expect(page.GetByLabel("用户名")).ToHaveValueAsync("double-admin");
        await page.Locator("#err-roles").ScrollIntoViewIfNeededAsync();
        await Browser.SaveScreenshotAsync(page, "staff-admin-users-refused");

        foreach (var (_, url, _, _) in Pages)
        {
            await page.GotoAsync(url);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(TabletWidth, $"{url}: no sideways scrolling on a tablet");
        }
        await page.GotoAsync("/staff/admin/calendar?year=2026");
        await Browser.SaveScreenshotAsync(page, "staff-admin-calendar-tablet");
        // A refused form answers 400, which Chromium logs to the console; that one line is expected.
        watch.ConsoleErrors.ShouldAllBe(e => e.Contains("status of 400") && e.Contains("/staff/admin/users"));
        watch.PageErrors.ShouldBeEmpty();
        watch.FailedRequests.ShouldBeEmpty();
        watch.OffLoopbackRequests.ShouldBeEmpty();
    }

    const int TabletWidth = 768;

    /// <summary>A tablet held upright (iPad class), in Chinese.</summary>
    static BrowserNewContextOptions Tablet => new()
    {
        ViewportSize = new ViewportSize { Width = TabletWidth, Height = 1024 },
        DeviceScaleFactor = 1,
        HasTouch = true,
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    };

    /// <summary>
    /// Presses Tab up to <paramref name="max"/> times from the top of the page; returns what got focus as "tag#id"
    /// (or "tag#text" for links and buttons), failing on any focus without a visible outline.
    /// </summary>
    static async Task<List<string>> TabThroughAsync(IPage page, int max)
    {
        await page.EvaluateAsync("document.activeElement && document.activeElement.blur()");
        var path = new List<string>();
        string? first = null;
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var f = await page.EvaluateAsync<Focused>("""
                () => { const e = document.activeElement, s = getComputedStyle(e);
                        const text = (e.innerText || '').trim();
                        const key = (e.tagName === 'A' || e.tagName === 'BUTTON' || e.tagName === 'SUMMARY') && text ? text : (e.id || e.getAttribute('name') || text.slice(0, 8));
                        return { tag: e.tagName, id: key, outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0 }; }
                """);
            var entry = $"{f.Tag.ToLowerInvariant()}#{f.Id}";
            if (f.Tag == "BODY" || entry == first) break; // round the page once
            first ??= entry;
            (f.Outline != "none" && f.OutlineWidth >= 2).ShouldBeTrue($"{page.Url}: focus should be visible on {entry}");
            path.Add(entry);
        }
        return path;
    }

    public sealed class Focused
    {
        public string Tag { get; set; } = "";
        public string Id { get; set; } = "";
        public string Outline { get; set; } = "";
        public double OutlineWidth { get; set; }
    }

    /// <summary>A few units, a security administrator, a caseworker and two routing rules, made once per server through the API.</summary>
    sealed class World
    {
        static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LiveServer, Task<World>> Cache = new();
        public required LiveServer Server { get; init; }
        public required HttpClient Admin { get; init; }

        public static Task<World> OfAsync(LiveServer server) => Cache.GetValue(server, s => CreateAsync(s));

        static async Task<World> CreateAsync(LiveServer server)
        {
            var admin = await server.LoginAsync();
            var w = new World { Server = server, Admin = admin };
            var root = (await w.GetAsync("api/v1/units"))["items"]![0]!["id"]!.ToString();
            var province = await w.PostAsync("api/v1/units", new { code = "p", name = "江苏省人民政府", level = 1, kind = "government", regionCode = "320000", parentId = root });
            var provinceHousing = await w.PostAsync("api/v1/units", new { code = "p-zjt", name = "江苏省住房和城乡建设厅", level = 1, kind = "department", regionCode = "320000", parentId = province });
            var city = await w.PostAsync("api/v1/units", new { code = "c", name = "苏州市人民政府", level = 2, kind = "government", regionCode = "320500", parentId = province });
            var cityHousing = await w.PostAsync("api/v1/units", new { code = "c-zjj", name = "苏州市住房和城乡建设局", level = 2, kind = "department", regionCode = "320500", parentId = city, superiorId = provinceHousing });
            var county = await w.PostAsync("api/v1/units", new { code = "k", name = "昆山市人民政府", level = 3, kind = "government", regionCode = "320583", parentId = city });
            await w.PostAsync("api/v1/units", new { code = "k-xfj", name = "昆山市信访局", level = 3, kind = "petitionBureau", regionCode = "320583", parentId = county });
            var countyHousing = await w.PostAsync("api/v1/units", new { code = "k-zjj", name = "昆山市住房和城乡建设局", level = 3, kind = "department", regionCode = "320583", parentId = county, superiorId = cityHousing });
            await w.PostAsync("api/v1/users", new { userName = SecurityAdmin, password = Password, displayName = "安全管理员", unitId = root, roles = new[] { "securityAdmin" } });
            await w.PostAsync("api/v1/users", new { userName = "locked-worker", password = Password, displayName = "李四", unitId = countyHousing, roles = new[] { "caseworker" } });
            await w.PostAsync("api/v1/routing-rules", new { regionCode = "320583", categoryCode = "0102", unitId = countyHousing });
            await w.PostAsync("api/v1/routing-rules", new { regionCode = "320500", categoryCode = "01", unitId = cityHousing });
            return w;
        }

        async Task<JsonNode> GetAsync(string url) => JsonNode.Parse(await Admin.GetStringAsync(url))!;

        async Task<string> PostAsync(string url, object body)
        {
            using var response = await Admin.PostAsJsonAsync(url, body);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!["id"]?.ToString() ?? "";
        }

        /// <summary>Five wrong passwords lock the account.</summary>
        public async Task LockOutAsync(string userName)
        {
            for (var i = 0; i < 5; i++)
            {
                using var r = await Server.Http.PostAsJsonAsync("api/v1/auth/login", new { userName, password = "Wrong-Pass-1" });
            }
        }
    }
}
