using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Xinfang.Web.Identity;

/// <summary>Why a sign-in did not go through, with the Chinese message the page shows.</summary>
public enum SignInRefusal { Missing, InvalidCredentials, LockedOut, PasswordExpired, TwoFactorRequired, InvalidTwoFactorCode, TwoFactorExpired, TooManyAttempts }

/// <summary>
/// Staff sign-in to the workbench (a cookie): password check with lockout, and the password's age. An expired
/// password does not open the workbench; the page asks for a new one first. Password age follows the real
/// clock, like token expiry, even when a controllable clock moves the workflow's notion of now. An account with
/// two-factor sign-in gets no cookie after the password: a short-lived pending cookie carries it to the code page.
/// </summary>
public sealed class SignInStaff(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, TwoFactor twoFactor, IConfiguration config)
{
    public static string Message(SignInRefusal r) => r switch
    {
        SignInRefusal.Missing => "请输入用户名和密码",
        SignInRefusal.LockedOut => "登录失败次数过多，账户已暂时锁定，请15分钟后再试或联系安全管理员",
        SignInRefusal.PasswordExpired => "密码已过期，请设置新密码后登录",
        SignInRefusal.TwoFactorRequired => "请输入身份验证器（手机验证器应用）显示的6位动态验证码",
        SignInRefusal.InvalidTwoFactorCode => "动态验证码或恢复码不正确，请重新输入",
        SignInRefusal.TwoFactorExpired => "登录已超时，请重新输入用户名和密码",
        SignInRefusal.TooManyAttempts => "登录尝试过于频繁，请1分钟后再试",
        _ => "用户名或密码错误",
    };

    public int PasswordMaxAgeDays => config.GetValue("Auth:PasswordMaxAgeDays", 90);

    /// <summary>Checks the credentials; on success the cookie is issued. Returns the user (also when only the password expired).</summary>
    public async Task<(StaffUser? User, SignInRefusal? Refusal)> HandleAsync(string? userName, string? password)
    {
        var (user, refusal) = await CheckAsync(userName, password);
        if (user is null) return (null, refusal);
        if (IsExpired(user)) return (user, SignInRefusal.PasswordExpired);
        if (user.TwoFactorEnabled)
        {
            await signIn.Context.SignInAsync(TwoFactor.PendingScheme,
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Id.ToString())], TwoFactor.PendingScheme)));
            return (user, SignInRefusal.TwoFactorRequired);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return (user, null);
    }

    /// <summary>The account waiting for its code (the password was right a few minutes ago), or null.</summary>
    public async Task<StaffUser?> PendingAsync()
    {
        var pending = await signIn.Context.AuthenticateAsync(TwoFactor.PendingScheme);
        return pending.Principal?.FindFirstValue(ClaimTypes.Name) is { } id ? await users.FindByIdAsync(id) : null;
    }

    /// <summary>The second step: the code (or a recovery code) of the pending account; on success the cookie is issued.</summary>
    public async Task<(StaffUser? User, SignInRefusal? Refusal)> CompleteTwoFactorAsync(string? code, string? recoveryCode)
    {
        var user = await PendingAsync();
        if (user is null) return (null, SignInRefusal.TwoFactorExpired);
        var refusal = await Audit.AuditedSignIn.SecondFactorAsync(signIn, user, string.IsNullOrWhiteSpace(code), await twoFactor.CheckAsync(user, code, recoveryCode));
        if (refusal == SignInRefusal.LockedOut) await signIn.Context.SignOutAsync(TwoFactor.PendingScheme);
        if (refusal is not null) return (user, refusal);
        await signIn.Context.SignOutAsync(TwoFactor.PendingScheme);
        // "amr": the session was opened with more than one factor (RFC 8176).
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        return (user, null);
    }

    /// <summary>The password check alone, counting failures towards lockout.</summary>
    public async Task<(StaffUser? User, SignInRefusal? Refusal)> CheckAsync(string? userName, string? password)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password)) return (null, SignInRefusal.Missing);
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null) return await Audit.AuditedSignIn.UnknownUserAsync(signIn, userName, ((StaffUser?)null, (SignInRefusal?)SignInRefusal.InvalidCredentials));
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut) return (null, SignInRefusal.LockedOut);
        if (!result.Succeeded) return (null, SignInRefusal.InvalidCredentials);
        return (user, null);
    }

    /// <summary>A password set before the maximum age (counted from the account's creation if never changed).</summary>
    public bool IsExpired(StaffUser user) =>
        PasswordMaxAgeDays > 0 && (user.PasswordChangedAt ?? user.CreatedAt) < TimeProvider.System.GetUtcNow().AddDays(-PasswordMaxAgeDays);

    /// <summary>Sets a new password after checking the current one; the new one must differ and meet the policy.</summary>
    public async Task<Dictionary<string, string[]>> ChangePasswordAsync(StaffUser user, string? current, string? next, string? repeat)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(current)) errors["current"] = ["请输入当前密码"];
        if (string.IsNullOrEmpty(next)) errors["password"] = ["请输入新密码"];
        else if (next != repeat) errors["repeat"] = ["两次输入的新密码不一致"];
        else if (next == current) errors["password"] = ["新密码不能与当前密码相同"];
        if (errors.Count > 0) return errors;
        var changed = await users.ChangePasswordAsync(user, current!, next!);
        if (!changed.Succeeded)
            return changed.Errors.Any(e => e.Code == "PasswordMismatch")
                ? new Dictionary<string, string[]> { ["current"] = ["当前密码不正确"] }
                : IdentityEndpoints.IdentityErrors(changed);
        user.PasswordChangedAt = TimeProvider.System.GetUtcNow();
        await users.UpdateAsync(user);
        await Audit.AuditedSignIn.PasswordChangedAsync(signIn, user);
        return errors;
    }

    public Task SignOutAsync() => signIn.SignOutAsync();
}
