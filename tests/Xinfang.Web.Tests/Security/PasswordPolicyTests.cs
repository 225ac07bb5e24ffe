using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Xinfang.Web.Identity;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>The password policy itself (issue #8): at least 10 characters, three of the four character classes.</summary>
public sealed class PasswordPolicyRuleTests
{
    static readonly PasswordPolicy Policy = new(new ConfigurationBuilder().Build());

    [Theory]
    [InlineData("Xinfang2026")] // the demo's
    [InlineData("Test-Pass-2026")] // the tests'
    [InlineData("Admin-Pass-2026")] // the bootstrap admin's in tests and the demo
    [InlineData("abcdefgh-12")] // lower, digit, symbol: no upper-case letter needed
    [InlineData("ABCDEFGH-12")]
    [InlineData("Abcdefghi!")]
    [InlineData("信访工作系统Ab12")] // CJK counts as a symbol
    public async Task Checking_a_password_of_ten_characters_and_three_classes_passes(string password) =>
        (await Policy.ValidateAsync(null!, new StaffUser(), password)).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("Ab1-xyz", "PasswordTooShort")] // four classes, 7 characters
    [InlineData("Ab1-xyzab", "PasswordTooShort")] // 9 characters
    [InlineData("abcdefgh12", "PasswordTooFewCharacterClasses")] // lower + digit
    [InlineData("NoDigitsInHere", "PasswordTooFewCharacterClasses")] // lower + upper
    [InlineData("1234567890!", "PasswordTooFewCharacterClasses")] // digit + symbol
    [InlineData("", "PasswordTooShort")]
    public async Task Checking_a_short_or_too_plain_password_fails_with_its_reason(string password, string code)
    {
        var result = await Policy.ValidateAsync(null!, new StaffUser(), password);
        result.Succeeded.ShouldBeFalse();
        result.Errors.Select(e => e.Code).ShouldContain(code);
        result.Errors.ShouldAllBe(e => e.Description.StartsWith("密码"));
    }

    [Fact]
    public async Task Checking_against_a_configured_longer_minimum_uses_it()
    {
        var longer = new PasswordPolicy(new ConfigurationBuilder().AddInMemoryCollection([new("Auth:PasswordMinLength", "14")]).Build());
        var result = await longer.ValidateAsync(null!, new StaffUser(), "Test-Pass-2026"[..13]);
        result.Errors.Single().Description.ShouldBe("密码长度至少14位");
    }
}

/// <summary>The policy where passwords are set: user creation, the security administrator's reset, the user's own change.</summary>
public abstract class PasswordPolicyTests(XinfangFactory factory)
{
    static string NewName() => "pw-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Creating_a_user_with_three_classes_but_no_upper_case_letter_succeeds_and_the_user_signs_in()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        (await w.Admin.PostAsync("/api/v1/users", new { userName = name, password = "abcdefgh-12", displayName = "测试", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        await Infrastructure.Api.LoginAsync(factory, name, "abcdefgh-12");
    }

    [Fact]
    public async Task Creating_a_user_with_two_classes_is_refused_with_the_Chinese_reason_under_the_password()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.PostAsync("/api/v1/users", new { userName = NewName(), password = "abcdefgh12", displayName = "测试", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } });
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Json["errors"]!["password"]!.AsArray().Select(e => e!.ToString()).ShouldBe(["密码须包含大写字母、小写字母、数字、符号中的至少三类"]);
        var empty = await w.Admin.PostAsync("/api/v1/users", new { userName = NewName(), password = "short", displayName = "测试", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } });
        empty.Json["errors"]!["password"]!.AsArray().Select(e => e!.ToString()).ShouldBe(["密码长度至少10位", "密码须包含大写字母、小写字母、数字、符号中的至少三类"]);
    }

    [Fact]
    public async Task Changing_ones_own_password_to_a_plain_one_shows_the_reason_under_the_field_and_keeps_the_old_one()
    {
        var w = await World.OfAsync(factory);
        var name = NewName();
        (await w.Admin.PostAsync("/api/v1/users", new { userName = name, password = World.Password, displayName = "测试", unitId = w.CountyBureau, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        var c = await PageClient.SignInAsync(factory, name);
        var page = await c.PostAsync("/staff/password", new() { ["current"] = World.Password, ["password"] = "onlylowercase", ["repeat"] = "onlylowercase" }, from: "/staff/password");
        page.Status.ShouldBe(HttpStatusCode.BadRequest);
        page.FieldError("password").ShouldBe("密码须包含大写字母、小写字母、数字、符号中的至少三类");
        page.Text.ShouldContain("符号中的至少三类"); // the hint above the field says it before
        await Infrastructure.Api.LoginAsync(factory, name, World.Password);
    }
}

public sealed class PasswordPolicyTests_Sqlite(SqliteFactory f) : PasswordPolicyTests(f), IClassFixture<SqliteFactory>;
public sealed class PasswordPolicyTests_Postgres(PostgresFactory f) : PasswordPolicyTests(f), IClassFixture<PostgresFactory>;
