using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Workbench;

/// <summary>
/// The workbench's pages over real HTTP with a cookie and antiforgery tokens, as a browser posts them: sign-in,
/// queues, registration, the petition page's steps, refusals and bad input.
/// </summary>
public abstract class WorkbenchPageTests(XinfangFactory factory)
{
    static Dictionary<string, string> Registration(string title = "锦绣华庭小区物业乱收费", string id = "11010519491231002X") => new()
    {
        ["__key"] = Guid.NewGuid().ToString("N"), ["__rows"] = "1",
        ["channel"] = "letter", ["type"] = "claim", ["receivedAt"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddHours(-1).ToString("yyyy-MM-ddTHH:mm"),
        ["petitioners[0].name"] = "王五", ["petitioners[0].idNumber"] = id, ["petitioners[0].phone"] = "13812345678",
        ["petitioners[0].address"] = "昆山市玉山镇锦绣华庭1栋", ["title"] = title, ["request"] = "请求退还多收的物业费。",
        ["facts"] = "物业公司按每平方米3元收费，超过备案标准。", ["regionCode"] = "320583", ["categoryCode"] = "0103",
    };

    async Task<int> CountAsync(Func<XinfangDb, Task<int>> count)
    {
        using var scope = factory.Services.CreateScope();
        return await count(scope.ServiceProvider.GetRequiredService<XinfangDb>());
    }

    [Fact]
    public async Task Opening_the_workbench_without_signing_in_redirects_to_the_login_page()
    {
        await World.OfAsync(factory);
        var page = await new PageClient(factory).GetAsync("/staff");
        page.Status.ShouldBe(HttpStatusCode.Redirect);
        page.Location.ShouldNotBeNull().ShouldContain("/staff/login");
    }

    [Fact]
    public async Task The_sign_in_cookie_opens_pages_but_never_the_API_and_signing_out_ends_the_session()
    {
        await World.OfAsync(factory);
        var c = await PageClient.SignInAsync(factory, "clerk");
        (await c.RawGetAsync("/api/v1/petitions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await c.GetAsync("/staff")).Status.ShouldBe(HttpStatusCode.OK);
        var bye = await c.PostAsync("/staff/logout", []);
        bye.Location.ShouldBe("/staff/login?m=out");
        (await c.GetAsync("/staff")).Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Signing_in_with_a_wrong_password_is_refused_in_Chinese_and_locks_the_account_after_five_tries()
    {
        var w = await World.OfAsync(factory);
        (await w.Admin.PostAsync("/api/v1/users", new { userName = "locked-clerk", password = World.Password, displayName = "锁定", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        var c = new PageClient(factory);
        var first = await c.PostAsync("/staff/login", new() { ["userName"] = "locked-clerk", ["password"] = "Wrong-Pass-1" }, from: "/staff/login");
        first.Status.ShouldBe(HttpStatusCode.Unauthorized);
        first.Alert.ShouldBe("用户名或密码错误");
        for (var i = 0; i < 4; i++) await c.PostAsync("/staff/login", new() { ["userName"] = "locked-clerk", ["password"] = "Wrong-Pass-1" }, from: "/staff/login");
        var locked = await c.PostAsync("/staff/login", new() { ["userName"] = "locked-clerk", ["password"] = World.Password }, from: "/staff/login");
        locked.Alert.ShouldContain("锁定");
    }

    [Fact]
    public async Task An_expired_password_must_be_changed_before_the_workbench_opens()
    {
        var w = await World.OfAsync(factory);
        (await w.Admin.PostAsync("/api/v1/users", new { userName = "old-clerk", password = World.Password, displayName = "旧密码", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var user = await db.Users.FirstAsync(u => u.UserName == "old-clerk");
            user.PasswordChangedAt = user.CreatedAt = DateTimeOffset.UtcNow.AddDays(-200);
            await db.SaveChangesAsync();
        }
        var c = new PageClient(factory);
        var expired = await c.PostAsync("/staff/login", new() { ["userName"] = "old-clerk", ["password"] = World.Password }, from: "/staff/login");
        expired.Alert.ShouldContain("密码已过期");
        (await c.GetAsync("/staff")).Status.ShouldBe(HttpStatusCode.Redirect); // not signed in

        var same = await c.PostAsync("/staff/password", new() { ["userName"] = "old-clerk", ["current"] = World.Password, ["password"] = World.Password, ["repeat"] = World.Password });
        same.FieldError("password").ShouldBe("新密码不能与当前密码相同");
        var changed = await c.PostAsync("/staff/password", new() { ["userName"] = "old-clerk", ["current"] = World.Password, ["password"] = "Newer-Pass-2027", ["repeat"] = "Newer-Pass-2027" });
        changed.Notice.ShouldContain("密码已修改");
        await PageClient.SignInAsync(factory, "old-clerk", "Newer-Pass-2027");
    }

    [Fact]
    public async Task The_clerks_queue_lists_what_the_bureau_must_dispose_with_its_clock_and_the_header_names_unit_and_role()
    {
        var w = await World.OfAsync(factory);
        var registered = await w.RegisterAsync(body: World.Petition(title: "队列中的事项甲", idNumber: null));
        var c = await PageClient.SignInAsync(factory, "clerk");
        var page = (await c.GetAsync("/staff?queue=dispose")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelector("header")!.TextContent.ShouldContain("昆山市信访局");
        page.Doc.QuerySelector("header")!.TextContent.ShouldContain("登记员");
        var row = page.Doc.QuerySelectorAll("tbody tr").FirstOrDefault(r => r.TextContent.Contains(registered["number"]!.ToString()));
        row.ShouldNotBeNull();
        row.TextContent.ShouldContain("登记转送期限");
        row.QuerySelector(".badge")!.ClassList.ShouldContain("none");
        page.Doc.QuerySelector(".tabs a[aria-current=page]")!.TextContent.ShouldContain("待转送/交办");
    }

    [Fact]
    public async Task Registering_with_a_bad_ID_number_saves_nothing_and_keeps_the_values_then_a_valid_form_gives_a_receipt_once()
    {
        var w = await World.OfAsync(factory);
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync("/staff/register");
        var before = await CountAsync(db => db.Petitions.CountAsync());
        var bad = Registration(id: "110105194912310021");
        var refused = await c.PostAsync("/staff/register", bad);
        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.FieldError("petitioners[0].idNumber").ShouldNotBeNull().ShouldContain("公民身份号码无效");
        refused.Doc.QuerySelector("#title")!.GetAttribute("value").ShouldBe("锦绣华庭小区物业乱收费");
        (await CountAsync(db => db.Petitions.CountAsync())).ShouldBe(before);

        var good = Registration(title: "锦绣华庭小区物业乱收费（回执）");
        var receipt = (await c.PostAsync("/staff/register", good)).Expect(HttpStatusCode.OK);
        receipt.Doc.QuerySelector("h1")!.TextContent.ShouldBe("登记回执");
        var number = receipt.Doc.QuerySelectorAll(".receipt dd.big")[0].TextContent.Trim();
        var code = receipt.Doc.QuerySelectorAll(".receipt dd.big")[1].TextContent.Trim();
        number.ShouldStartWith("320583-");
        code.Length.ShouldBeGreaterThanOrEqualTo(6);
        receipt.Doc.QuerySelector(".qr svg").ShouldNotBeNull();

        // The same form sent again (a double click, a refresh): the same receipt, one petition.
        var again = (await c.PostAsync("/staff/register", good)).Expect(HttpStatusCode.OK);
        again.Doc.QuerySelectorAll(".receipt dd.big")[0].TextContent.Trim().ShouldBe(number);
        (await CountAsync(db => db.Petitions.CountAsync(p => p.Title == "锦绣华庭小区物业乱收费（回执）"))).ShouldBe(1);
    }

    [Fact]
    public async Task Correcting_the_category_on_the_petition_page_records_it_and_a_unit_not_holding_the_matter_is_not_offered_the_form()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "分类登记有误的事项", idNumber: null)))["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        var page = (await c.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        var form = page.Doc.QuerySelector("#category-section form").ShouldNotBeNull();
        var version = form.QuerySelector("input[name=__version]")!.GetAttribute("value")!;

        var bad = await c.PostAsync($"/staff/petitions/{id}/category", new() { ["categoryCode"] = "9999", ["__version"] = version });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.FieldError("categoryCode").ShouldBe("问题类别不存在");
        bad.Doc.QuerySelector("#category-section")!.HasAttribute("open").ShouldBeTrue();

        var done = await c.PostAsync($"/staff/petitions/{id}/category", new() { ["categoryCode"] = "0201", ["__version"] = version });
        done.Location.ShouldBe($"/staff/petitions/{id}?m=category#summary");
        var after = (await c.GetAsync(done.Location!)).Expect(HttpStatusCode.OK);
        after.Notice.ShouldContain("问题分类已更正");
        after.Doc.QuerySelector("dl.facts")!.TextContent.ShouldContain("土地征收");
        (await CountAsync(db => db.CategoryCorrections.CountAsync(x => x.PetitionId == Guid.Parse(id) && x.ToCode == "0201"))).ShouldBe(1);

        // The same page is stale now: its version no longer matches, and nothing more is recorded.
        (await c.PostAsync($"/staff/petitions/{id}/category", new() { ["categoryCode"] = "0103", ["__version"] = version })).Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await CountAsync(db => db.CategoryCorrections.CountAsync(x => x.PetitionId == Guid.Parse(id)))).ShouldBe(1);

        // Once forwarded, the registering bureau still reads the matter (首接首办) but no longer holds it: no form.
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "转住建局办理" })).Expect(HttpStatusCode.OK);
        var read = (await c.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        read.Doc.QuerySelector("#category-section").ShouldBeNull();
    }

    [Fact]
    public async Task Adding_a_petitioner_row_saves_nothing_and_a_group_visit_records_two_representatives()
    {
        await World.OfAsync(factory);
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync("/staff/register");
        var form = Registration(title: "两人来访");
        form["channel"] = "visit";
        form["__more"] = "1";
        var more = await c.PostAsync("/staff/register", form);
        more.Doc.QuerySelector("#petitioners\\[1\\]-name").ShouldNotBeNull();
        (await CountAsync(db => db.Petitions.CountAsync(p => p.Title == "两人来访"))).ShouldBe(0);

        form.Remove("__more");
        form["__rows"] = "2";
        form["headcount"] = "2";
        form["petitioners[0].isRepresentative"] = "true";
        form["petitioners[1].name"] = "赵六";
        form["petitioners[1].address"] = "昆山市玉山镇锦绣华庭2栋";
        form["petitioners[1].isRepresentative"] = "true";
        (await c.PostAsync("/staff/register", form)).Expect(HttpStatusCode.OK);
        var stored = await CountAsync(db => db.Petitioners.CountAsync(p => p.IsRepresentative && db.Petitions.Any(x => x.Id == p.PetitionId && x.Title == "两人来访")));
        stored.ShouldBe(2);
    }

    [Fact]
    public async Task Forwarding_from_the_petition_page_moves_the_matter_and_a_stale_page_is_refused_without_change()
    {
        var w = await World.OfAsync(factory);
        var p = await w.RegisterAsync(body: World.Petition(title: "页面转送的事项", idNumber: null));
        var id = p["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        var page = (await c.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelector("details#forward").ShouldNotBeNull();
        page.Doc.QuerySelector("details#reply").ShouldBeNull(); // only what this user may do now
        var version = page.Doc.QuerySelector("details#forward input[name=__version]")!.GetAttribute("value")!;

        var missing = await c.PostAsync($"/staff/petitions/{id}/forward", new() { ["__version"] = version });
        missing.Status.ShouldBe(HttpStatusCode.BadRequest);
        missing.FieldError("unitId").ShouldBe("请选择转送单位");
        missing.Doc.QuerySelector("details#forward")!.HasAttribute("open").ShouldBeTrue();

        var done = await c.PostAsync($"/staff/petitions/{id}/forward", new() { ["__version"] = version, ["unitId"] = w.CountyHousing.ToString(), ["note"] = "请依法办理" });
        done.Status.ShouldBe(HttpStatusCode.Redirect);
        var after = await c.GetAsync(done.Location!);
        after.Notice.ShouldBe("已转送。");
        after.Doc.QuerySelector("h1")!.TextContent.ShouldContain("已转送");

        // The same (now stale) form again: 412 in words, nothing changed.
        var events = await CountAsync(db => db.PetitionEvents.CountAsync(e => e.PetitionId == Guid.Parse(id)));
        var stale = await c.PostAsync($"/staff/petitions/{id}/forward", new() { ["__version"] = version, ["unitId"] = w.CountyLabour.ToString() });
        stale.Status.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Alert.ShouldContain("已被他人修改");
        (await CountAsync(db => db.PetitionEvents.CountAsync(e => e.PetitionId == Guid.Parse(id)))).ShouldBe(events);
    }

    [Fact]
    public async Task A_step_the_workflow_refuses_is_explained_in_Chinese_and_a_malformed_date_is_a_field_error()
    {
        var w = await World.OfAsync(factory);
        var p = await w.RegisterAsync(body: World.Petition(title: "被拒绝的操作", idNumber: null));
        var id = p["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync($"/staff/petitions/{id}");
        var refused = await c.PostAsync($"/staff/petitions/{id}/reply", new() { ["decision"] = "support", ["text"] = "答复", ["deliveredOn"] = "2026-01-01" });
        refused.Status.ShouldBe(HttpStatusCode.Conflict);
        refused.Alert.ShouldNotBeNullOrWhiteSpace();
        refused.Alert.ShouldMatch("[\u4e00-\u9fff]");
        var malformed = await c.PostAsync($"/staff/petitions/{id}/assign", new() { ["unitId"] = w.CountyHousing.ToString(), ["reportDueOn"] = "明天" });
        malformed.Status.ShouldBe(HttpStatusCode.BadRequest);
        malformed.FieldError("body").ShouldNotBeNull().ShouldContain("格式不正确");
    }

    [Fact]
    public async Task Another_countys_clerk_gets_not_found_and_an_administrator_gets_forbidden()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "辖区外的事项", idNumber: null)))["id"]!.ToString();
        var other = await PageClient.SignInAsync(factory, "other-clerk");
        (await other.GetAsync($"/staff/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var admin = await PageClient.SignInAsync(factory, "admin", XinfangFactory.AdminPassword);
        (await admin.GetAsync($"/staff/petitions/{id}")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync("/staff/register")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "伪造请求", idNumber: null)))["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync($"/staff/petitions/{id}");
        var forged = await c.PostAsync($"/staff/petitions/{id}/forward", new() { ["unitId"] = w.CountyHousing.ToString() }, withToken: false);
        forged.Status.ShouldBe(HttpStatusCode.BadRequest);
        forged.Alert.ShouldContain("页面已过期");
        (await CountAsync(db => db.PetitionEvents.CountAsync(e => e.PetitionId == Guid.Parse(id)))).ShouldBe(1);
    }

    [Fact]
    public async Task Script_in_a_title_is_shown_as_text_and_never_runs()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "<script>alert(1)</script>小区噪声", idNumber: null)))["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        var page = (await c.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelectorAll("script").Count(s => s.GetAttribute("src") is null).ShouldBe(0);
        page.Text.ShouldContain("<script>alert(1)</script>小区噪声");
    }

    [Fact]
    public async Task Petitioners_are_masked_until_a_reason_is_given_and_each_reveal_is_recorded()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "查看个人信息")))["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        var masked = await c.GetAsync($"/staff/petitions/{id}");
        masked.Text.ShouldNotContain("11010519491231002X");
        masked.Text.ShouldContain("110105********002X");
        var noReason = await c.PostAsync($"/staff/petitions/{id}/reveal", new() { ["reason"] = " " });
        noReason.FieldError("reason").ShouldBe("请说明查看理由");
        noReason.Text.ShouldNotContain("11010519491231002X");
        var shown = await c.PostAsync($"/staff/petitions/{id}/reveal", new() { ["reason"] = "电话联系信访人" });
        shown.Text.ShouldContain("11010519491231002X");
        (await CountAsync(db => db.PersonalDataReveals.CountAsync(r => r.PetitionId == Guid.Parse(id) && r.Reason == "电话联系信访人"))).ShouldBe(1);
        (await c.GetAsync($"/staff/petitions/{id}")).Text.ShouldNotContain("11010519491231002X"); // masked again
    }

    [Fact]
    public async Task The_search_page_finds_by_words_of_the_title_and_explains_a_bad_ID_number_beside_its_field()
    {
        var w = await World.OfAsync(factory);
        var number = (await w.RegisterAsync(body: World.Petition(title: "翡翠湾小区电梯长期停运", idNumber: null)))["number"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        var empty = (await c.GetAsync("/staff/search")).Expect(HttpStatusCode.OK);
        empty.Doc.QuerySelector("table").ShouldBeNull(); // nothing asked, nothing listed
        var found = (await c.GetAsync("/staff/search?text=" + Uri.EscapeDataString("电梯长期停运"))).Expect(HttpStatusCode.OK);
        found.Doc.QuerySelectorAll("tbody tr a").Select(a => a.TextContent).ShouldContain(number);
        var none = (await c.GetAsync("/staff/search?text=" + Uri.EscapeDataString("不存在的内容甲乙丙"))).Expect(HttpStatusCode.OK);
        none.Text.ShouldContain("没有符合条件的信访事项");
        var bad = await c.GetAsync("/staff/search?idNumber=110105194912310021");
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.FieldError("idNumber").ShouldNotBeNullOrWhiteSpace();
        bad.Doc.QuerySelector("#idNumber")!.GetAttribute("value").ShouldBe("110105194912310021");
    }

    [Fact]
    public async Task The_level_above_records_a_review_request_by_number_and_any_other_unit_is_told_the_number_is_unknown()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "复查申请的事项", idNumber: null)))["id"]!.ToString();
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        var number = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "notSupport", text = "不予支持", deliveredOn = today }))
            .Expect(HttpStatusCode.OK)["number"];

        // The replying unit is not offered the request: it is recorded by the level above.
        var worker = await PageClient.SignInAsync(factory, "worker");
        (await worker.GetAsync($"/staff/petitions/{id}")).Doc.QuerySelector("details#request-review").ShouldBeNull();

        var other = await PageClient.SignInAsync(factory, "other-clerk");
        await other.GetAsync("/staff/review-request");
        var refused = await other.PostAsync("/staff/review-request", new() { ["kind"] = "review", ["number"] = number, ["requestedOn"] = today, ["reason"] = "不服" });
        refused.Status.ShouldBe(HttpStatusCode.NotFound);
        refused.Alert.ShouldContain("编号不存在");

        var reviewer = await PageClient.SignInAsync(factory, "city-reviewer");
        await reviewer.GetAsync("/staff/review-request");
        var missing = await reviewer.PostAsync("/staff/review-request", new() { ["kind"] = "review", ["number"] = number, ["requestedOn"] = today });
        missing.FieldError("reason").ShouldBe("请说明申请理由");
        var done = await reviewer.PostAsync("/staff/review-request", new() { ["kind"] = "review", ["number"] = number, ["requestedOn"] = today, ["reason"] = "对处理意见不服" });
        done.Status.ShouldBe(HttpStatusCode.Redirect);
        var page = await reviewer.GetAsync(done.Location!);
        page.Doc.QuerySelector("h1")!.TextContent.ShouldContain("复查中");
        page.Doc.QuerySelector("details#review-decision").ShouldNotBeNull();
    }

    [Fact]
    public async Task A_file_is_accepted_by_its_content_not_its_name()
    {
        var w = await World.OfAsync(factory);
        var id = (await w.RegisterAsync(body: World.Petition(title: "上传附件", idNumber: null)))["id"]!.ToString();
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync($"/staff/petitions/{id}");
        using (var fake = new MultipartFormDataContent())
        {
            fake.Add(new ByteArrayContent("not an image"u8.ToArray()), "files", "photo.png");
            var refused = await c.PostMultipartAsync($"/staff/petitions/{id}/attachments", fake);
            refused.Status.ShouldBe(HttpStatusCode.BadRequest);
            refused.FieldError("files").ShouldNotBeNullOrWhiteSpace();
        }
        await c.GetAsync($"/staff/petitions/{id}");
        using (var png = new MultipartFormDataContent())
        {
            byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
            png.Add(new ByteArrayContent(bytes), "files", "现场照片.png");
            var ok = await c.PostMultipartAsync($"/staff/petitions/{id}/attachments", png);
            ok.Status.ShouldBe(HttpStatusCode.Redirect);
        }
        var page = await c.GetAsync($"/staff/petitions/{id}");
        var link = page.Doc.QuerySelectorAll("a").First(a => a.TextContent == "现场照片.png").GetAttribute("href")!;
        var download = await c.RawGetAsync(link);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
    }
}

public sealed class WorkbenchPageTests_Sqlite(SqliteFactory f) : WorkbenchPageTests(f), IClassFixture<SqliteFactory>;
public sealed class WorkbenchPageTests_Postgres(PostgresFactory f) : WorkbenchPageTests(f), IClassFixture<PostgresFactory>;
