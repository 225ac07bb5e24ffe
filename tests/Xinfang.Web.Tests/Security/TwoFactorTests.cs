using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Two-factor sign-in (issue #8): administrators enrol an authenticator before anything else and then sign in with a
/// code, in the workbench and through the API; other accounts may enrol; wrong codes count towards the lockout;
/// recovery codes work once. The host requires two factors for administrators, as production does.
/// </summary>
public abstract class TwoFactorTests(XinfangFactory factory)
{
    async Task<Reply> ApiLoginAsync(string userName, string? code = null, string? recovery = null, string password = World.Password)
    {
        using var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login",
            new { userName, password, twoFactorCode = code, twoFactorRecoveryCode = recovery });
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), null, null, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("securityAdmin")]
    [InlineData("auditAdmin")]
    [InlineData("systemAdmin")]
    public async Task Administrator_signing_in_without_a_second_factor_is_sent_to_enrolment_and_can_open_nothing_else(string role)
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync(role);
        var b = new Browser(factory);
        (await b.SignInAsync(name)).Location.ShouldBe("/staff/account/two-factor");
        foreach (var url in new[] { "/staff", "/staff/admin", "/staff/admin/users", "/staff/search" })
            (await b.GetAsync(url)).Location.ShouldBe("/staff/account/two-factor", url);
        var enrol = (await b.GetAsync("/staff/account/two-factor")).Expect(HttpStatusCode.OK);
        enrol.Alert.ShouldContain("管理员账户须启用双因素认证");
        // The API does not let them round the workbench.
        var api = await ApiLoginAsync(name);
        api.Status.ShouldBe(HttpStatusCode.Forbidden, api.ToString());
        api.ProblemType.ShouldBe("/problems/two-factor-enrolment-required");
        api["detail"].ShouldContain("/staff");
    }

    [Fact]
    public async Task Enrolling_with_a_code_from_the_shown_key_enables_two_factor_and_shows_the_recovery_codes_once()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("auditAdmin");
        var b = new Browser(factory);
        await b.SignInAsync(name);
        var page = (await b.GetAsync("/staff/account/two-factor")).Expect(HttpStatusCode.OK);
        var key = page.Doc.GetElementById("key")!.TextContent.Trim();
        key.ShouldMatch("^([a-z2-7]{4} )+[a-z2-7]{1,4}$");
        Totp.Base32(key).Length.ShouldBeGreaterThanOrEqualTo(10);
        page.Doc.QuerySelector(".qr svg").ShouldNotBeNull();
        // The same key until it is confirmed (reloading the page does not invalidate what the phone scanned).
        (await b.GetAsync("/staff/account/two-factor")).Doc.GetElementById("key")!.TextContent.Trim().ShouldBe(key);

        var wrong = await b.PostAsync("/staff/account/two-factor", new() { ["code"] = Totp.WrongNow(key) });
        wrong.Status.ShouldBe(HttpStatusCode.BadRequest);
        wrong.Alert.ShouldContain("验证码不正确");
        (await b.GetAsync("/staff/admin")).Location.ShouldBe("/staff/account/two-factor");

        var done = (await b.PostAsync("/staff/account/two-factor", new() { ["code"] = Totp.Now(key) })).Expect(HttpStatusCode.OK);
        done.Notice.ShouldContain("已启用");
        var codes = done.Doc.QuerySelectorAll("ul.recovery-codes code").Select(c => c.TextContent.Trim()).ToArray();
        codes.Length.ShouldBe(10);
        codes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[A-Z0-9]{5}-[A-Z0-9]{5}$"));
        codes.Distinct().Count().ShouldBe(10);

        var again = (await b.GetAsync("/staff/account/two-factor")).Expect(HttpStatusCode.OK);
        again.Doc.QuerySelector("ul.recovery-codes").ShouldBeNull();
        again.Doc.GetElementById("key").ShouldBeNull();
        again.Text.ShouldContain("剩余恢复码：10 个");
        // An administrator may not switch it off while it is required.
        again.Doc.QuerySelector("form[action='/staff/account/two-factor/disable']").ShouldBeNull();
        (await b.PostAsync("/staff/account/two-factor/disable", new() { ["code"] = Totp.Now(key) })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await b.GetAsync("/staff/admin")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_in_to_the_workbench_with_two_factor_asks_for_the_code_after_the_password_and_opens_only_with_it()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("securityAdmin");
        var first = new Browser(factory);
        await first.SignInAsync(name);
        var (key, _) = await first.EnrolAsync();

        var b = new Browser(factory);
        var step = (await b.SignInAsync(name)).Expect(HttpStatusCode.OK);
        step.Doc.QuerySelector("form[action='/staff/login/two-factor'] input[name=code]").ShouldNotBeNull();
        // The password alone opened nothing.
        (await b.GetAsync("/staff/admin")).Location.ShouldNotBeNull().ShouldContain("/staff/login");
        var wrong = await b.PostAsync("/staff/login/two-factor", new() { ["code"] = Totp.WrongNow(key) }, from: "/staff/login/two-factor");
        wrong.Status.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Alert.ShouldContain("验证码或恢复码不正确");
        var done = await b.PostAsync("/staff/login/two-factor", new() { ["code"] = Totp.Now(key), ["returnUrl"] = "/staff/admin/users" });
        done.Status.ShouldBe(HttpStatusCode.Redirect, done.Alert);
        done.Location.ShouldBe("/staff/admin/users");
        (await b.GetAsync("/staff/admin/users")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_code_step_without_a_recent_password_sends_back_to_the_login_page()
    {
        await EnrolledAdmin.OfAsync(factory);
        var b = new Browser(factory);
        (await b.GetAsync("/staff/login/two-factor")).Location.ShouldBe("/staff/login");
        var post = await b.PostAsync("/staff/login/two-factor", new() { ["code"] = "123456" }, from: "/staff/login");
        post.Status.ShouldBe(HttpStatusCode.Unauthorized);
        post.Alert.ShouldContain("登录已超时");
        (await b.GetAsync("/staff")).Location.ShouldNotBeNull().ShouldContain("/staff/login");
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout_and_a_locked_account_is_refused_even_with_the_right_code()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("securityAdmin");
        var first = new Browser(factory);
        await first.SignInAsync(name);
        var (key, _) = await first.EnrolAsync();

        var b = new Browser(factory);
        await b.SignInAsync(name);
        for (var i = 0; i < 4; i++)
            (await b.PostAsync("/staff/login/two-factor", new() { ["code"] = Totp.WrongNow(key) }, from: "/staff/login/two-factor")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var fifth = await b.PostAsync("/staff/login/two-factor", new() { ["code"] = Totp.WrongNow(key) }, from: "/staff/login/two-factor");
        fifth.Alert.ShouldContain("锁定");
        // Locked: the right password and the right code no longer open the account, on either door.
        var locked = await new Browser(factory).SignInAsync(name);
        locked.Alert.ShouldContain("锁定");
        (await ApiLoginAsync(name, Totp.Now(key))).ProblemType.ShouldBe("/problems/locked-out");
    }

    [Fact]
    public async Task Signing_in_through_the_API_with_two_factor_needs_a_code_or_a_recovery_code_that_works_once()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("systemAdmin");
        var b = new Browser(factory);
        await b.SignInAsync(name);
        var (key, recovery) = await b.EnrolAsync();

        var none = await ApiLoginAsync(name);
        none.Status.ShouldBe(HttpStatusCode.Unauthorized);
        none.MediaType.ShouldBe("application/problem+json");
        none.ProblemType.ShouldEndWith("two-factor-required");
        var wrong = await ApiLoginAsync(name, Totp.WrongNow(key));
        wrong.Status.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.ProblemType.ShouldBe("/problems/invalid-two-factor-code");
        // The wrong password still says so, code or not.
        (await ApiLoginAsync(name, Totp.Now(key), password: "Wrong-Pass-2026")).ProblemType.ShouldBe("/problems/invalid-credentials");

        var ok = await ApiLoginAsync(name, Totp.Now(key));
        ok.Status.ShouldBe(HttpStatusCode.OK, ok.ToString());
        ok["accessToken"].ShouldNotBeNullOrEmpty();
        // A recovery code (as typed: lower case, spaces around) works once.
        (await ApiLoginAsync(name, recovery: " " + recovery[0].ToLowerInvariant() + " ")).Status.ShouldBe(HttpStatusCode.OK);
        (await ApiLoginAsync(name, recovery: recovery[0])).ProblemType.ShouldBe("/problems/invalid-two-factor-code");
        (await ApiLoginAsync(name, recovery: recovery[1])).Status.ShouldBe(HttpStatusCode.OK);
        // The token works.
        var token = JsonNode.Parse(ok.Body)!["accessToken"]!.GetValue<string>();
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await http.GetAsync("/api/v1/users")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Every second-factor outcome is on the audit trail, newest first (the bare password step that asked for a code is there too).
        var auditorName = await admin.UserAsync("auditAdmin");
        var ab = new Browser(factory);
        await ab.SignInAsync(auditorName);
        var (auditorKey, _) = await ab.EnrolAsync();
        var auditor = await EnrolledAdmin.LoginAsync(factory, auditorName, World.Password, auditorKey);
        var factors = (await auditor.GetAsync($"/api/v1/audit?actor={name}&action=signIn.&limit=100")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Where(e => e!["detail"]?["factor"]?.ToString() is "totp" or "recoveryCode")
            .Select(e => $"{e!["action"]} {e["detail"]!["factor"]}").ToList();
        factors.ShouldBe([
            "signIn.succeeded recoveryCode", "signIn.failed recoveryCode", "signIn.succeeded recoveryCode",
            "signIn.succeeded totp", "signIn.failed totp"]);
    }

    [Fact]
    public async Task Other_roles_sign_in_with_the_password_alone_and_may_enrol_and_switch_it_off_again()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("caseworker");
        var b = new Browser(factory);
        (await b.SignInAsync(name)).Location.ShouldBe("/staff");
        (await ApiLoginAsync(name)).Status.ShouldBe(HttpStatusCode.OK);

        var (key, _) = await b.EnrolAsync();
        (await ApiLoginAsync(name)).ProblemType.ShouldEndWith("two-factor-required");
        (await new Browser(factory).SignInAsync(name)).Doc.QuerySelector("form[action='/staff/login/two-factor']").ShouldNotBeNull();

        var page = await b.GetAsync("/staff/account/two-factor");
        page.Doc.QuerySelector("form[action='/staff/account/two-factor/disable']").ShouldNotBeNull();
        (await b.PostAsync("/staff/account/two-factor/disable", new() { ["code"] = Totp.WrongNow(key) })).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await ApiLoginAsync(name)).ProblemType.ShouldEndWith("two-factor-required");
        (await b.PostAsync("/staff/account/two-factor/disable", new() { ["code"] = Totp.Now(key) })).Notice.ShouldContain("已停用");
        (await ApiLoginAsync(name)).Status.ShouldBe(HttpStatusCode.OK);
        (await new Browser(factory).SignInAsync(name)).Location.ShouldBe("/staff");
    }

    [Fact]
    public async Task Renewing_recovery_codes_with_a_code_makes_the_old_ones_stop_working()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("securityAdmin");
        var b = new Browser(factory);
        await b.SignInAsync(name);
        var (key, old) = await b.EnrolAsync();
        (await b.PostAsync("/staff/account/two-factor/recovery-codes", new() { ["code"] = Totp.WrongNow(key) })).Status.ShouldBe(HttpStatusCode.BadRequest);
        var renewed = (await b.PostAsync("/staff/account/two-factor/recovery-codes", new() { ["code"] = Totp.Now(key) })).Expect(HttpStatusCode.OK);
        var fresh = renewed.Doc.QuerySelectorAll("ul.recovery-codes code").Select(c => c.TextContent.Trim()).ToArray();
        fresh.Length.ShouldBe(10);
        (await ApiLoginAsync(name, recovery: old[0])).ProblemType.ShouldBe("/problems/invalid-two-factor-code");
        (await ApiLoginAsync(name, recovery: fresh[0])).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Security_administrator_resetting_a_lost_second_factor_makes_the_owner_enrol_afresh_with_a_new_key()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var securityName = await admin.UserAsync("securityAdmin");
        var sb = new Browser(factory);
        await sb.SignInAsync(securityName);
        var (securityKey, _) = await sb.EnrolAsync();
        var security = await EnrolledAdmin.LoginAsync(factory, securityName, World.Password, securityKey);

        var lostName = await admin.UserAsync("auditAdmin");
        var lb = new Browser(factory);
        await lb.SignInAsync(lostName);
        var (oldKey, _) = await lb.EnrolAsync();
        var users = (await security.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var lostId = users.Single(u => u!["userName"]!.ToString() == lostName)!["id"]!.ToString();
        var securityId = users.Single(u => u!["userName"]!.ToString() == securityName)!["id"]!.ToString();

        // Only a security administrator, and not for their own account.
        (await admin.Api.PostAsync($"/api/v1/users/{lostId}/reset-two-factor", null)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await security.PostAsync($"/api/v1/users/{securityId}/reset-two-factor", null)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await security.PostAsync($"/api/v1/users/{lostId}/reset-two-factor", null)).Expect(HttpStatusCode.OK);

        (await ApiLoginAsync(lostName, Totp.Now(oldKey))).ProblemType.ShouldBe("/problems/two-factor-enrolment-required");
        var b = new Browser(factory);
        (await b.SignInAsync(lostName)).Location.ShouldBe("/staff/account/two-factor");
        var (newKey, _) = await b.EnrolAsync();
        newKey.ShouldNotBe(oldKey);
        (await ApiLoginAsync(lostName, Totp.Now(newKey))).Status.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class TwoFactorTests_Sqlite(StrictSqliteFactory f) : TwoFactorTests(f), IClassFixture<StrictSqliteFactory>;
public sealed class TwoFactorTests_Postgres(StrictPostgresFactory f) : TwoFactorTests(f), IClassFixture<StrictPostgresFactory>;
