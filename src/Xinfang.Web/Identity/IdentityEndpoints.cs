using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>The sign-in body; the two-factor fields are named as in Identity's own API endpoints.</summary>
public sealed record LoginRequest(string? UserName, string? Password, string? TwoFactorCode = null, string? TwoFactorRecoveryCode = null);
public sealed record CreateUserRequest(string? UserName, string? Password, string? DisplayName, Guid? UnitId, List<string>? Roles);
public sealed record UserView(Guid Id, string UserName, string DisplayName, Guid UnitId, IReadOnlyList<string> Roles, bool LockedOut);

/// <summary>Sign-in for API clients (bearer tokens) and user administration.</summary>
public static class IdentityEndpoints
{
    public static void MapIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/login", LoginAsync).WithTags("Identity").AllowAnonymous().WithName("Login").WithSummary("登录，获取访问令牌")
            .Produces<AccessTokenResponse>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);

        var users = app.MapGroup("/api/v1/users").WithTags("Identity").RequireAuthorization();
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").WithSummary("新建用户（系统管理员）");
        users.MapGet("/", ListUsersAsync).WithName("ListUsers").WithSummary("用户列表（系统管理员、安全管理员）");
        users.MapPost("/{id:guid}/unlock", UnlockAsync).WithName("UnlockUser").WithSummary("解除账户锁定（安全管理员）");
        users.MapPost("/{id:guid}/reset-password", ResetPasswordAsync).WithName("ResetUserPassword").WithSummary("重置密码（安全管理员）");
        users.MapPut("/{id:guid}", ChangeUserAsync).WithName("ChangeUser").WithSummary("变更用户角色或所属单位（系统管理员）")
            .Produces<UserView>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        users.MapPost("/{id:guid}/reset-two-factor", ResetTwoFactorAsync).WithName("ResetUserTwoFactor").WithSummary("重置双因素认证（安全管理员）");
    }

    static async Task<IResult> LoginAsync([FromBody] LoginRequest body, HttpContext http, UserManager<StaffUser> users, SignInManager<StaffUser> signIn,
        TwoFactor twoFactor, SignInLimits limits)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || string.IsNullOrEmpty(body.Password))
            return Problems.Validation(new Dictionary<string, string[]> { ["userName"] = ["请输入用户名和密码"] });
        if (!limits.Allow(http, body.UserName)) return SignInLimits.Problem(http);
        var user = await users.FindByNameAsync(body.UserName.Trim());
        if (user is null) return await Audit.AuditedSignIn.UnknownUserAsync(signIn, body.UserName, Problems.Make(401, "invalid-credentials", "用户名或密码错误"));
        var result = await signIn.CheckPasswordSignInAsync(user, body.Password, lockoutOnFailure: true);
        if (result.IsLockedOut) return Problems.Make(401, "locked-out", "登录失败次数过多，账户已暂时锁定，请稍后再试");
        if (!result.Succeeded) return Problems.Make(401, "invalid-credentials", "用户名或密码错误");
        if (user.TwoFactorEnabled && await Audit.AuditedSignIn.SecondFactorAsync(signIn, user, string.IsNullOrWhiteSpace(body.TwoFactorCode), await twoFactor.CheckAsync(user, body.TwoFactorCode, body.TwoFactorRecoveryCode)) is { } refusal)
            return TwoFactorProblem(refusal);
        if (await twoFactor.MustEnrolAsync(user))
            return Problems.Make(403, "two-factor-enrolment-required", "管理员账户须先启用双因素认证",
                "请在信访工作台（/staff）用本账户登录，按提示用身份验证器扫描二维码完成绑定后，再通过接口登录并提供 twoFactorCode。");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        // The bearer handler writes { tokenType: "Bearer", accessToken, expiresIn, refreshToken }.
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    static IResult TwoFactorProblem(SignInRefusal refusal) => refusal switch
    {
        SignInRefusal.TwoFactorRequired => Problems.Make(401, "two-factor-required", "本账户已启用双因素认证，请提供身份验证器的6位动态验证码",
            "在请求中加入 twoFactorCode（或一次性恢复码 twoFactorRecoveryCode）后重试。"),
        SignInRefusal.LockedOut => Problems.Make(401, "locked-out", "登录失败次数过多，账户已暂时锁定，请稍后再试"),
        _ => Problems.Make(401, "invalid-two-factor-code", "动态验证码或恢复码不正确"),
    };

    static async Task<IResult> CreateUserAsync([FromBody] CreateUserRequest body, HttpContext http, XinfangDb db,
        UserManager<StaffUser> users, TimeProvider time, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await CreateStaffUser.HandleAsync(body, staff, db, users, time, ct) : Problems.Unauthenticated();

    static async Task<IResult> ListUsersAsync(HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await ListStaffUsers.HandleAsync(staff, db, time, ct) : Problems.Unauthenticated();

    static async Task<IResult> ChangeUserAsync(Guid id, [FromBody] ChangeUserRequest body, HttpContext http, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await ChangeStaffUser.HandleAsync(id, body, staff, db, users, ct) : Problems.Unauthenticated();

    static async Task<IResult> UnlockAsync(Guid id, HttpContext http, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await UnlockStaffUser.HandleAsync(id, staff, db, users, ct) : Problems.Unauthenticated();

    static async Task<IResult> ResetPasswordAsync(Guid id, [FromBody] ResetPasswordRequest body, HttpContext http, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await ResetStaffPassword.HandleAsync(id, body, staff, db, users, ct) : Problems.Unauthenticated();

    static async Task<IResult> ResetTwoFactorAsync(Guid id, HttpContext http, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await ResetStaffTwoFactor.HandleAsync(id, staff, db, users, ct) : Problems.Unauthenticated();

    /// <summary>Identity's password and name errors, in Chinese, under the field they concern.</summary>
    public static Dictionary<string, string[]> IdentityErrors(IdentityResult result)
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var e in result.Errors)
        {
            var (field, message) = e.Code switch
            {
                "DuplicateUserName" => ("userName", "用户名已存在"),
                "InvalidUserName" => ("userName", "用户名只能包含字母、数字和 -._@+"),
                PasswordPolicy.TooShort => ("password", e.Description.StartsWith("密码", StringComparison.Ordinal) ? e.Description : "密码长度至少10位"),
                PasswordPolicy.TooFewClasses => ("password", e.Description),
                "PasswordRequiresDigit" => ("password", "密码须包含数字"),
                "PasswordRequiresLower" => ("password", "密码须包含小写字母"),
                "PasswordRequiresUpper" => ("password", "密码须包含大写字母"),
                "PasswordRequiresNonAlphanumeric" => ("password", "密码须包含符号"),
                "PasswordRequiresUniqueChars" => ("password", "密码中不同字符过少"),
                _ => ("body", e.Description),
            };
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            if (!list.Contains(message)) list.Add(message);
        }
        return errors.ToDictionary(k => k.Key, v => v.Value.ToArray());
    }
}
