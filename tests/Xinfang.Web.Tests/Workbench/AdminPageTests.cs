using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Workbench;

/// <summary>
/// 系统管理 pages (/staff/admin) over real HTTP: what each administrator role may open (三员分立), forms that call
/// the API's use cases and show their refusals in Chinese beside the field, values kept on a refusal,
/// post/redirect/get on success, and no change without the antiforgery token. Names are unique per test, since
/// the tests of a class share one store.
/// </summary>
public abstract class AdminPageTests(XinfangFactory factory)
{
    static readonly string[] Pages = ["/staff/admin", "/staff/admin/units", "/staff/admin/users", "/staff/admin/routing", "/staff/admin/calendar", "/staff/admin/categories"];

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    async Task<(World W, PageClient Admin)> AdminAsync()
    {
        var w = await World.OfAsync(factory);
        return (w, await PageClient.SignInAsync(factory, "admin", XinfangFactory.AdminPassword));
    }

    /// <summary>A new account with these roles in the root unit, created through the API; its user name.</summary>
    static async Task<string> AccountAsync(World w, params string[] roles)
    {
        var userName = Unique("u-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = w.Root, roles }))
            .Expect(HttpStatusCode.Created);
        return userName;
    }

    static async Task<Page> FollowAsync(PageClient c, Page redirect)
    {
        redirect.Status.ShouldBe(HttpStatusCode.Redirect, redirect.Alert + " " + string.Join(" ", redirect.Doc.QuerySelectorAll(".field-error").Select(e => e.TextContent)));
        return (await c.GetAsync(redirect.Location!)).Expect(HttpStatusCode.OK);
    }

    // ───────────── who may open what ─────────────

    [Fact]
    public async Task Opening_each_admin_page_as_the_system_administrator_renders_it_with_its_tabs()
    {
        var (_, admin) = await AdminAsync();
        var titles = new[] { "系统管理", "单位管理", "用户与角色", "分流规则", "工作日历", "问题分类" };
        for (var i = 0; i < Pages.Length; i++)
        {
            var page = (await admin.GetAsync(Pages[i])).Expect(HttpStatusCode.OK);
            page.Doc.QuerySelector("h1")!.TextContent.ShouldBe(titles[i]);
            page.Doc.QuerySelector("header nav a[aria-current=page]")!.TextContent.ShouldBe("系统管理");
            page.Doc.QuerySelectorAll("nav.tabs a").Select(a => a.TextContent).ShouldBe(["概览", "单位管理", "用户与角色", "分流规则", "工作日历", "问题分类"]);
            page.Doc.QuerySelectorAll("form[method=post]").ShouldAllBe(f => f.QuerySelector("input[name=__RequestVerificationToken]") != null);
        }
    }

    [Fact]
    public async Task Opening_or_posting_to_admin_pages_as_a_clerk_answers_403()
    {
        var w = await World.OfAsync(factory);
        var clerk = await PageClient.SignInAsync(factory, "clerk");
        foreach (var url in Pages)
        {
            var page = await clerk.GetAsync(url);
            page.Status.ShouldBe(HttpStatusCode.Forbidden, url);
            page.Alert.ShouldContain("无权");
        }
        var before = (await clerk.GetAsync("/staff")).Expect(HttpStatusCode.OK);
        before.Doc.QuerySelectorAll("header nav a").Select(a => a.TextContent).ShouldNotContain("系统管理");
        var post = await clerk.PostAsync("/staff/admin/units", new() { ["code"] = Unique("x"), ["name"] = "不应建立", ["level"] = "3", ["kind"] = "department", ["regionCode"] = "320583", ["parentId"] = w.County.ToString() });
        post.Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Admin.GetAsync("/api/v1/units")).Json["items"]!.AsArray().ShouldNotContain(u => u!["name"]!.ToString() == "不应建立");
    }

    [Fact]
    public async Task Opening_admin_pages_as_security_or_audit_administrator_shows_only_their_part()
    {
        var w = await World.OfAsync(factory);
        var security = await PageClient.SignInAsync(factory, await AccountAsync(w, "securityAdmin"));
        var index = (await security.GetAsync("/staff/admin")).Expect(HttpStatusCode.OK);
        index.Doc.QuerySelectorAll("nav.tabs a").Select(a => a.TextContent).ShouldBe(["概览", "用户与角色"]);
        var users = (await security.GetAsync("/staff/admin/users")).Expect(HttpStatusCode.OK);
        users.Doc.QuerySelector("form[action='/staff/admin/users']").ShouldBeNull("the security administrator does not open accounts");
        users.Doc.QuerySelectorAll("details.action summary").ShouldNotBeEmpty();
        users.Doc.QuerySelectorAll("form[action$='/change']").ShouldBeEmpty("roles and units are the system administrator's");
        foreach (var url in new[] { "/staff/admin/units", "/staff/admin/routing", "/staff/admin/calendar", "/staff/admin/categories" })
            (await security.GetAsync(url)).Status.ShouldBe(HttpStatusCode.Forbidden, url);

        var audit = await PageClient.SignInAsync(factory, await AccountAsync(w, "auditAdmin"));
        // An administrator who works on no petitions lands on the administration index.
        (await audit.GetAsync("/staff")).Location.ShouldBe("/staff/admin");
        var auditIndex = (await audit.GetAsync("/staff/admin")).Expect(HttpStatusCode.OK);
        auditIndex.Doc.QuerySelectorAll("nav.tabs a").Select(a => a.TextContent).ShouldBe(["概览"]);
        auditIndex.Text.ShouldContain("审计日志");
        foreach (var url in Pages.Skip(1))
            (await audit.GetAsync(url)).Status.ShouldBe(HttpStatusCode.Forbidden, url);

        // The system administrator sees accounts but leaves unlocking and passwords to the security administrator.
        var (_, admin) = await AdminAsync();
        var adminUsers = (await admin.GetAsync("/staff/admin/users")).Expect(HttpStatusCode.OK);
        adminUsers.Doc.QuerySelectorAll("form[action$='/password'], form[action$='/unlock']").ShouldBeEmpty();
        adminUsers.Doc.QuerySelectorAll("form[action$='/change']").ShouldNotBeEmpty(); // roles and unit are theirs
        (await admin.PostAsync($"/staff/admin/users/{Guid.NewGuid()}/unlock", [], from: "/staff/admin/users")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    // ───────────── units ─────────────

    [Fact]
    public async Task Creating_a_unit_redirects_and_shows_it_in_the_tree_under_its_parent()
    {
        var (w, admin) = await AdminAsync();
        var code = Unique("k-");
        var done = await admin.PostAsync("/staff/admin/units", new()
        {
            ["parentId"] = w.County.ToString(), ["name"] = "昆山市自然资源和规划局" + code, ["code"] = code, ["level"] = "3", ["kind"] = "department",
            ["regionCode"] = "320583", ["superiorId"] = "",
        }, from: "/staff/admin/units");
        done.Location.ShouldBe("/staff/admin/units?m=unit-created");
        var page = await FollowAsync(admin, done);
        page.Notice.ShouldBe("单位已新建。");
        var node = page.Doc.QuerySelectorAll(".tree li").Single(li => li.QuerySelector("strong")!.TextContent == "昆山市自然资源和规划局" + code);
        node.ParentElement!.ParentElement!.QuerySelector("strong")!.TextContent.ShouldBe("昆山市人民政府");
        node.TextContent.ShouldContain("工作部门");
        node.TextContent.ShouldContain("县级");
        node.TextContent.ShouldContain("320583");
        // The functional superior shows beside a unit that has one.
        page.Doc.QuerySelectorAll(".tree li").First(li => li.QuerySelector("strong")!.TextContent == "昆山市住房和城乡建设局").TextContent
            .ShouldContain("业务上级：苏州市住房和城乡建设局");
    }

    [Fact]
    public async Task Creating_a_unit_with_bad_fields_shows_the_errors_beside_them_and_keeps_what_was_typed()
    {
        var (w, admin) = await AdminAsync();
        var page = await admin.PostAsync("/staff/admin/units", new()
        {
            ["parentId"] = w.County.ToString(), ["name"] = "", ["code"] = "kept-code", ["level"] = "3", ["kind"] = "department", ["regionCode"] = "3205",
        }, from: "/staff/admin/units");
        page.Expect(HttpStatusCode.BadRequest);
        page.FieldError("name").ShouldBe("请填写单位名称（不超过200字）");
        page.FieldError("regionCode")!.ShouldContain("行政区划代码");
        page.Doc.QuerySelector("[role=alert] a[href='#regionCode']")!.TextContent.ShouldContain("行政区划代码");
        page.Doc.GetElementById("regionCode")!.GetAttribute("value").ShouldBe("3205");
        page.Doc.GetElementById("regionCode")!.GetAttribute("aria-invalid").ShouldBe("true");
        page.Doc.GetElementById("regionCode")!.GetAttribute("aria-describedby")!.ShouldContain("err-regionCode");
        page.Doc.GetElementById("code")!.GetAttribute("value").ShouldBe("kept-code");
        page.Doc.QuerySelector("#parentId option[selected]")!.GetAttribute("value").ShouldBe(w.County.ToString());
        page.Doc.QuerySelector("#kind option[selected]")!.GetAttribute("value").ShouldBe("department");

        // A code that exists already is refused the same way.
        var duplicate = await admin.PostAsync("/staff/admin/units", new()
        {
            ["parentId"] = w.County.ToString(), ["name"] = "重复代码单位", ["code"] = "k-zjj", ["level"] = "3", ["kind"] = "department", ["regionCode"] = "320583",
        }, from: "/staff/admin/units");
        duplicate.Expect(HttpStatusCode.BadRequest).FieldError("code").ShouldBe("单位代码已存在");
    }

    [Fact]
    public async Task Posting_without_the_antiforgery_token_is_refused_and_saves_nothing()
    {
        var (w, admin) = await AdminAsync();
        var code = Unique("forged-");
        await admin.GetAsync("/staff/admin/units");
        var page = await admin.PostAsync("/staff/admin/units", new()
        {
            ["parentId"] = w.County.ToString(), ["name"] = "伪造请求单位" + code, ["code"] = code, ["level"] = "3", ["kind"] = "department", ["regionCode"] = "320583",
        }, withToken: false);
        page.Status.ShouldBe(HttpStatusCode.BadRequest);
        page.Alert.ShouldContain("页面已过期");
        (await w.Admin.GetAsync("/api/v1/units")).Json["items"]!.AsArray().ShouldNotContain(u => u!["code"]!.ToString() == code);

        var rule = await admin.PostAsync("/staff/admin/routing", new() { ["regionCode"] = "321000", ["unitId"] = w.CityBureau.ToString() }, withToken: false);
        rule.Status.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Admin.GetAsync("/api/v1/routing-rules")).Json["items"]!.AsArray().ShouldNotContain(r => r!["regionCode"]!.ToString() == "321000");
    }

    // ───────────── users ─────────────

    [Fact]
    public async Task Creating_a_user_with_roles_redirects_lists_the_user_and_lets_them_sign_in()
    {
        var (w, admin) = await AdminAsync();
        var userName = Unique("new-");
        var done = await admin.PostAsync("/staff/admin/users", new()
        {
            ["userName"] = userName, ["displayName"] = "王五", ["password"] = World.Password, ["unitId"] = w.CountyHousing.ToString(), ["roles"] = "caseworker",
        }, from: "/staff/admin/users");
        var page = await FollowAsync(admin, done);
        page.Notice.ShouldStartWith("用户已新建。");
        var row = page.Doc.GetElementById("user-" + userName)!;
        row.TextContent.ShouldContain("王五");
        row.TextContent.ShouldContain("昆山市住房和城乡建设局");
        row.TextContent.ShouldContain("承办人");
        row.TextContent.ShouldContain("正常");
        await PageClient.SignInAsync(factory, userName);
    }

    [Fact]
    public async Task Changing_a_users_roles_and_unit_from_their_row_applies_at_once_and_joined_admin_roles_are_refused_beside_the_row()
    {
        var (w, admin) = await AdminAsync();
        var userName = Unique("move-");
        var id = (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = "调动", unitId = w.CountyHousing, roles = new[] { "caseworker" } }))
            .Expect(HttpStatusCode.Created)["id"];
        var users = await admin.GetAsync("/staff/admin/users");
        var form = users.Doc.QuerySelector($"form[action='/staff/admin/users/{id}/change']")!;
        form.QuerySelector("option[selected]")!.GetAttribute("value").ShouldBe(w.CountyHousing.ToString());
        form.QuerySelectorAll("input[name=roles][checked]").Select(i => i.GetAttribute("value")).ShouldBe(["caseworker"]);
        // No row of one's own: an administrator does not change their own roles.
        users.Doc.QuerySelectorAll("form[action$='/change']").Length.ShouldBe(users.Doc.QuerySelectorAll("tbody tr").Length - 1);

        var refused = await PostFieldsAsync(admin, $"/staff/admin/users/{id}/change",
            [("unitId", w.CountyLabour.ToString()), ("roles", "systemAdmin"), ("roles", "auditAdmin")], from: "/staff/admin/users");
        refused.Expect(HttpStatusCode.BadRequest);
        refused.Doc.QuerySelector($"tr#user-{userName} details")!.HasAttribute("open").ShouldBeTrue();
        refused.Doc.QuerySelector($"tr#user-{userName}")!.TextContent.ShouldContain("三员分立");

        var done = await PostFieldsAsync(admin, $"/staff/admin/users/{id}/change",
            [("unitId", w.CountyLabour.ToString()), ("roles", "caseworker"), ("roles", "unitLeader")], from: "/staff/admin/users");
        var page = await FollowAsync(admin, done);
        page.Notice.ShouldStartWith("角色与所属单位已变更");
        var row = page.Doc.GetElementById("user-" + userName)!;
        row.TextContent.ShouldContain("昆山市人力资源和社会保障局");
        row.TextContent.ShouldContain("单位负责人");
    }

    [Fact]
    public async Task Creating_a_user_with_two_administrator_roles_is_refused_with_the_separation_rule_and_keeps_the_form()
    {
        var (w, admin) = await AdminAsync();
        var userName = Unique("two-");
        var page = await PostFieldsAsync(admin, "/staff/admin/users",
        [
            ("userName", userName), ("displayName", "赵六"), ("password", World.Password), ("unitId", w.CityBureau.ToString()),
            ("roles", "systemAdmin"), ("roles", "securityAdmin"),
        ], from: "/staff/admin/users");
        page.Expect(HttpStatusCode.BadRequest);
        page.FieldError("roles").ShouldBe("系统管理员、安全管理员、审计管理员三个角色不得由同一账户兼任（三员分立）");
        page.Doc.GetElementById("userName")!.GetAttribute("value").ShouldBe(userName);
        page.Doc.GetElementById("displayName")!.GetAttribute("value").ShouldBe("赵六");
        page.Doc.QuerySelectorAll("#roles input[name=roles][checked]").Select(i => i.GetAttribute("value")).ShouldBe(["systemAdmin", "securityAdmin"]);
        page.Doc.QuerySelector("#unitId option[selected]")!.GetAttribute("value").ShouldBe(w.CityBureau.ToString());
        (await w.Admin.GetAsync("/api/v1/users")).Json["items"]!.AsArray().ShouldNotContain(u => u!["userName"]!.ToString() == userName);
    }

    [Fact]
    public async Task Creating_a_user_with_a_weak_password_or_an_unknown_unit_shows_the_field_errors()
    {
        var (w, admin) = await AdminAsync();
        var weak = await admin.PostAsync("/staff/admin/users", new()
        {
            ["userName"] = Unique("weak-"), ["displayName"] = "钱七", ["password"] = "short", ["unitId"] = w.CountyBureau.ToString(), ["roles"] = "intakeClerk",
        }, from: "/staff/admin/users");
        weak.Expect(HttpStatusCode.BadRequest);
        weak.FieldError("password")!.ShouldContain("密码长度至少10位");
        weak.Doc.GetElementById("password")!.GetAttribute("aria-invalid").ShouldBe("true");

        var badUnit = await admin.PostAsync("/staff/admin/users", new()
        {
            ["userName"] = Unique("unit-"), ["displayName"] = "孙八", ["password"] = World.Password, ["unitId"] = Guid.NewGuid().ToString(), ["roles"] = "intakeClerk",
        }, from: "/staff/admin/users");
        badUnit.Expect(HttpStatusCode.BadRequest);
        badUnit.FieldError("unitId").ShouldBe("单位不存在");

        var noRole = await admin.PostAsync("/staff/admin/users", new()
        {
            ["userName"] = Unique("none-"), ["displayName"] = "周九", ["password"] = World.Password, ["unitId"] = w.CountyBureau.ToString(),
        }, from: "/staff/admin/users");
        noRole.Expect(HttpStatusCode.BadRequest).FieldError("roles").ShouldBe("请至少选择一个角色");
    }

    [Fact]
    public async Task Unlocking_and_resetting_a_password_as_the_security_administrator_lets_a_locked_out_user_sign_in_again()
    {
        var w = await World.OfAsync(factory);
        var victim = await AccountAsync(w, "caseworker");
        for (var i = 0; i < 5; i++)
            (await new PageClient(factory).PostAsync("/staff/login", new() { ["userName"] = victim, ["password"] = "Wrong-Pass-1" }, from: "/staff/login")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        var security = await PageClient.SignInAsync(factory, await AccountAsync(w, "securityAdmin"));
        var list = (await security.GetAsync("/staff/admin/users")).Expect(HttpStatusCode.OK);
        var row = list.Doc.GetElementById("user-" + victim)!;
        row.TextContent.ShouldContain("已锁定");
        var id = row.QuerySelector("form[action$='/unlock']")!.GetAttribute("action")!.Split('/')[4];
        row.QuerySelector("form[action$='/unlock']")!.GetAttribute("data-confirm")!.ShouldContain(victim);

        var unlocked = await FollowAsync(security, await security.PostAsync($"/staff/admin/users/{id}/unlock", [], from: "/staff/admin/users"));
        unlocked.Notice.ShouldBe("账户已解锁。");
        unlocked.Doc.GetElementById("user-" + victim)!.TextContent.ShouldContain("正常");
        await PageClient.SignInAsync(factory, victim);

        // A weak new password is refused in the user's own row, which stays open; the old password still works.
        var weak = await security.PostAsync($"/staff/admin/users/{id}/password", new() { ["password"] = "abc" }, from: "/staff/admin/users");
        weak.Expect(HttpStatusCode.BadRequest);
        weak.FieldError("resetPassword")!.ShouldContain("密码长度至少10位");
        weak.Doc.GetElementById("user-" + victim)!.QuerySelector("details.action")!.HasAttribute("open").ShouldBeTrue();
        await PageClient.SignInAsync(factory, victim);

        var reset = await FollowAsync(security, await security.PostAsync($"/staff/admin/users/{id}/password", new() { ["password"] = "Brand-New-2026" }, from: "/staff/admin/users"));
        reset.Notice.ShouldStartWith("密码已重置");
        await PageClient.SignInAsync(factory, victim, "Brand-New-2026");
    }

    // ───────────── routing rules ─────────────

    [Fact]
    public async Task Adding_matching_refusing_a_duplicate_and_deleting_a_routing_rule()
    {
        var (w, admin) = await AdminAsync();
        var done = await admin.PostAsync("/staff/admin/routing", new() { ["regionCode"] = "320583", ["categoryCode"] = "0401", ["unitId"] = w.CountyLabour.ToString() }, from: "/staff/admin/routing");
        var page = await FollowAsync(admin, done);
        page.Notice.ShouldBe("分流规则已添加。");
        var row = page.Doc.QuerySelectorAll("tbody tr").Single(tr => tr.TextContent.Contains("昆山市人力资源和社会保障局") && tr.TextContent.Contains("0401"));
        row.TextContent.ShouldContain("劳动报酬（欠薪）");
        var delete = row.QuerySelector("form")!;
        delete.GetAttribute("data-confirm")!.ShouldStartWith("确定删除");

        var duplicate = await admin.PostAsync("/staff/admin/routing", new() { ["regionCode"] = "320583", ["categoryCode"] = "0401", ["unitId"] = w.CountyLabour.ToString() }, from: "/staff/admin/routing");
        duplicate.Status.ShouldBe(HttpStatusCode.Conflict);
        duplicate.Alert.ShouldBe("相同的分流规则已存在");
        duplicate.Doc.GetElementById("regionCode")!.GetAttribute("value").ShouldBe("320583");

        // A township of the county finds the county's rule.
        var match = (await admin.GetAsync("/staff/admin/routing?matchRegion=320583001&matchCategory=0401")).Expect(HttpStatusCode.OK);
        match.Doc.QuerySelector(".match-result li")!.TextContent.ShouldContain("昆山市人力资源和社会保障局");
        match.Doc.GetElementById("matchRegion")!.GetAttribute("value").ShouldBe("320583001");
        var badMatch = await admin.GetAsync("/staff/admin/routing?matchRegion=32&matchCategory=");
        badMatch.Status.ShouldBe(HttpStatusCode.BadRequest);
        badMatch.FieldError("matchRegion")!.ShouldContain("行政区划代码");

        var deleted = await FollowAsync(admin, await admin.PostAsync(delete.GetAttribute("action")!, [], from: "/staff/admin/routing"));
        deleted.Notice.ShouldBe("分流规则已删除。");
        deleted.Doc.QuerySelectorAll("tbody tr").ShouldNotContain(tr => tr.TextContent.Contains("昆山市人力资源和社会保障局") && tr.TextContent.Contains("0401"));
        var again = await admin.PostAsync(delete.GetAttribute("action")!, [], from: "/staff/admin/routing");
        again.Status.ShouldBe(HttpStatusCode.NotFound);
        again.Alert.ShouldContain("分流规则不存在");
    }

    [Fact]
    public async Task Adding_a_rule_with_a_bad_region_shows_the_field_error()
    {
        var (w, admin) = await AdminAsync();
        var page = await admin.PostAsync("/staff/admin/routing", new() { ["regionCode"] = "abc", ["categoryCode"] = "01", ["unitId"] = w.CityHousing.ToString() }, from: "/staff/admin/routing");
        page.Expect(HttpStatusCode.BadRequest);
        page.FieldError("regionCode").ShouldBe("行政区划代码应为6位或9位数字");
        page.Doc.QuerySelector("#categoryCode option[selected]")!.GetAttribute("value").ShouldBe("01");
        page.Doc.QuerySelector("#unitId option[selected]")!.GetAttribute("value").ShouldBe(w.CityHousing.ToString());
    }

    // ───────────── work calendar ─────────────

    [Fact]
    public async Task Viewing_a_built_in_year_marks_holidays_red_and_make_up_days_yellow()
    {
        var (_, admin) = await AdminAsync();
        var page = (await admin.GetAsync("/staff/admin/calendar?year=2026")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelectorAll(".calendar table").Length.ShouldBe(12);
        var january = page.Doc.QuerySelectorAll(".calendar table")[0];
        january.QuerySelector("caption")!.TextContent.ShouldBe("1月");
        january.QuerySelectorAll("td").First(td => td.TextContent == "1").ClassName.ShouldBe("off");   // 元旦
        january.QuerySelectorAll("td").First(td => td.TextContent == "4").ClassName.ShouldBe("work");  // Sunday make-up day
        january.QuerySelectorAll("td").First(td => td.TextContent == "4").GetAttribute("title").ShouldBe("元旦（调休上班）");
        page.Doc.QuerySelector("#year option[selected]")!.GetAttribute("value").ShouldBe("2026");
        page.Text.ShouldContain("内置国务院办公厅通知");
        page.Doc.QuerySelectorAll("#year option").Select(o => o.GetAttribute("value")).First().ShouldBe("2018");
    }

    [Fact]
    public async Task Importing_a_notice_file_covers_the_year_and_a_malformed_file_is_refused_in_Chinese()
    {
        var (_, admin) = await AdminAsync();
        var before = (await admin.GetAsync("/staff/admin/calendar?year=2027")).Expect(HttpStatusCode.OK);
        before.Text.ShouldContain("尚未导入");

        const string notice = """{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"春节","date":"2027-02-06","isOffDay":false},{"name":"春节","date":"2027-02-08","isOffDay":true}]}""";
        var done = await UploadAsync(admin, "2027.json", notice);
        done.Location.ShouldBe("/staff/admin/calendar?year=2027&m=imported&days=3");
        var page = await FollowAsync(admin, done);
        page.Notice.ShouldBe("已导入2027年节假日安排，共3天。");
        page.Text.ShouldContain("已导入国务院办公厅通知");
        page.Text.ShouldNotContain("尚未导入");
        var february = page.Doc.QuerySelectorAll(".calendar table")[1];
        february.QuerySelectorAll("td").First(td => td.TextContent == "6").ClassName.ShouldBe("work");
        february.QuerySelectorAll("td").First(td => td.TextContent == "8").ClassName.ShouldBe("off");

        await admin.GetAsync("/staff/admin/calendar?year=2027");
        var bad = await UploadAsync(admin, "notice.json", "{ not json");
        bad.Expect(HttpStatusCode.BadRequest);
        bad.Alert.ShouldStartWith("节假日安排未导入");
        bad.FieldError("file")!.ShouldStartWith("无法解析节假日文件");
        bad.Doc.GetElementById("file")!.GetAttribute("aria-invalid").ShouldBe("true");
        // The year kept its good notice.
        var kept = (await admin.GetAsync("/staff/admin/calendar?year=2027")).Doc.QuerySelectorAll(".calendar-lower tbody tr").Select(tr => tr.TextContent).ToList();
        kept.Count.ShouldBe(2);
        kept[1].ShouldContain("2月8日");
        kept[1].ShouldContain("2月6日（六）");

        var none = await admin.PostMultipartAsync("/staff/admin/calendar", new MultipartFormDataContent { { new StringContent("2027"), "year" } });
        none.Expect(HttpStatusCode.BadRequest).FieldError("file").ShouldBe("请选择要导入的 JSON 文件");
    }

    static async Task<Page> UploadAsync(PageClient c, string fileName, string json)
    {
        await c.GetAsync("/staff/admin/calendar");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await c.PostMultipartAsync("/staff/admin/calendar", new MultipartFormDataContent { { new StringContent("2027"), "year" }, { file, "file", fileName } });
    }

    // ───────────── categories ─────────────

    [Fact]
    public async Task Adding_a_second_level_category_gives_it_the_next_code_and_shows_it_in_the_tree()
    {
        var (w, admin) = await AdminAsync();
        var name = "教育收费" + Unique("");
        var page = await FollowAsync(admin, await admin.PostAsync("/staff/admin/categories", new() { ["parentCode"] = "09", ["name"] = name }, from: "/staff/admin/categories"));
        page.Notice.ShouldBe("分类已新增。");
        var top = page.Doc.QuerySelectorAll(".tree > ul > li").Single(li => li.QuerySelector("strong")!.TextContent == "教育");
        top.QuerySelectorAll("ul li").Select(li => li.TextContent).ShouldContain(t => t.Contains(name) && t.Contains("09"));
        var created = (await w.Clerk.GetAsync("/api/v1/categories")).Json["items"]!.AsArray().Single(c => c!["name"]!.ToString() == name)!;
        created["parentCode"]!.ToString().ShouldBe("09");
        created["code"]!.ToString().ShouldStartWith("09");
        created["level"]!.GetValue<int>().ShouldBe(2);

        var refused = await admin.PostAsync("/staff/admin/categories", new() { ["parentCode"] = "09", ["name"] = name }, from: "/staff/admin/categories");
        refused.Expect(HttpStatusCode.BadRequest).FieldError("name").ShouldBe("该一级分类下已有同名分类");
        refused.Doc.GetElementById("name")!.GetAttribute("value").ShouldBe(name);
        var noParent = await admin.PostAsync("/staff/admin/categories", new() { ["name"] = "无上级" }, from: "/staff/admin/categories");
        noParent.Expect(HttpStatusCode.BadRequest).FieldError("parentCode").ShouldBe("请选择一级分类");
    }

    [Fact]
    public async Task Adding_a_category_through_the_API_as_a_clerk_is_forbidden()
    {
        var w = await World.OfAsync(factory);
        (await w.Clerk.PostAsync("/api/v1/categories", new { parentCode = "01", name = "不应新增" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        var created = (await w.Admin.PostAsync("/api/v1/categories", new { parentCode = "19", name = "API新增" + Unique("") })).Expect(HttpStatusCode.Created);
        created.Location.ShouldBe($"/api/v1/categories/{created["code"]}");
    }

    [Fact]
    public async Task Unlocking_or_resetting_through_the_API_is_for_the_security_administrator_of_the_subtree_only()
    {
        var w = await World.OfAsync(factory);
        var target = await AccountAsync(w, "caseworker");
        var id = (await w.Admin.GetAsync("/api/v1/users")).Json["items"]!.AsArray().Single(u => u!["userName"]!.ToString() == target)!["id"]!.ToString();
        (await w.Admin.PostAsync($"/api/v1/users/{id}/unlock", null)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Admin.PostAsync($"/api/v1/users/{id}/reset-password", new { password = "Another-Pass-2026" })).Status.ShouldBe(HttpStatusCode.Forbidden);

        var security = await Infrastructure.Api.LoginAsync(factory, await AccountAsync(w, "securityAdmin"), World.Password);
        var unlocked = (await security.PostAsync($"/api/v1/users/{id}/unlock", null)).Expect(HttpStatusCode.OK);
        unlocked["lockedOut"].ShouldBe("false");
        var weak = await security.PostAsync($"/api/v1/users/{id}/reset-password", new { password = "weak" });
        weak.Status.ShouldBe(HttpStatusCode.BadRequest);
        weak.Json["errors"]!["password"].ShouldNotBeNull();
        (await security.PostAsync($"/api/v1/users/{Guid.NewGuid()}/unlock", null)).Status.ShouldBe(HttpStatusCode.NotFound);

        // A security administrator of a county reaches only the county's accounts.
        var countySecurity = Unique("cs-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName = countySecurity, password = World.Password, displayName = countySecurity, unitId = w.County, roles = new[] { "securityAdmin" } }))
            .Expect(HttpStatusCode.Created);
        var county = await Infrastructure.Api.LoginAsync(factory, countySecurity, World.Password);
        (await county.PostAsync($"/api/v1/users/{id}/unlock", null)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await security.PostAsync($"/api/v1/users/{id}/reset-password", new { password = "Another-Pass-2026" })).Expect(HttpStatusCode.OK);
        await Infrastructure.Api.LoginAsync(factory, target, "Another-Pass-2026");
    }

    /// <summary>Posts a form whose names may repeat (ticked checkboxes) with the token of <paramref name="from"/>.</summary>
    static async Task<Page> PostFieldsAsync(PageClient c, string url, (string Name, string Value)[] fields, string from)
    {
        await c.GetAsync(from);
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        return await c.PostMultipartAsync(url, content);
    }
}

public sealed class AdminPageTests_Sqlite(SqliteFactory f) : AdminPageTests(f), IClassFixture<SqliteFactory>;
public sealed class AdminPageTests_Postgres(PostgresFactory f) : AdminPageTests(f), IClassFixture<PostgresFactory>;
