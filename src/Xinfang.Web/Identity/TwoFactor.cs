using System.Text;
using Microsoft.AspNetCore.Identity;
using Xinfang.Domain.Petitions;

namespace Xinfang.Web.Identity;

/// <summary>
/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238), on Identity's authenticator support: the key
/// and the recovery codes live in identity_user_tokens. Administrator accounts (系统/安全/审计管理员) must enrol
/// while Auth:RequireTwoFactorForAdmins holds (issue #8; GB/T 22239-2019 8.1.4.1: administrators sign in with two
/// or more factors); any other account may. Once enrolled, every sign-in — workbench or API — asks for a code.
/// </summary>
public sealed class TwoFactor(UserManager<StaffUser> users, IConfiguration config)
{
    public const string Issuer = "Xinfang";
    public const int RecoveryCodeCount = 10;

    /// <summary>The short-lived cookie that carries a user between the password and the code (5 minutes).</summary>
    public static readonly string PendingScheme = IdentityConstants.TwoFactorUserIdScheme;

    static readonly Role[] Administrators = [Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin];

    public static void AddTwoFactor(IServiceCollection services)
    {
        services.AddScoped<TwoFactor>();
        services.AddAuthentication().AddCookie(PendingScheme, o =>
        {
            o.Cookie.Name = "xinfang.staff.2fa";
            o.Cookie.Path = "/staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            o.SlidingExpiration = false;
            o.TimeProvider = TimeProvider.System;
        });
    }

    public bool RequiredForAdministrators => config.GetValue("Auth:RequireTwoFactorForAdmins", true);

    /// <summary>An administrator without a second factor while the requirement holds: they may only enrol.</summary>
    public bool MustEnrol(Staff staff) => RequiredForAdministrators && !staff.User.TwoFactorEnabled && staff.HasAny(Administrators);

    public async Task<bool> MustEnrolAsync(StaffUser user) =>
        RequiredForAdministrators && !user.TwoFactorEnabled
        && (await users.GetRolesAsync(user)).Any(n => RoleNames.TryParse(n, out var r) && Administrators.Contains(r));

    /// <summary>May the account switch two-factor sign-in off? Not an administrator while it is required.</summary>
    public async Task<bool> MayDisableAsync(StaffUser user) =>
        !RequiredForAdministrators || !(await users.GetRolesAsync(user)).Any(n => RoleNames.TryParse(n, out var r) && Administrators.Contains(r));

    /// <summary>
    /// The second factor of an enrolled account: a 6-digit code, or one of the recovery codes (each works once).
    /// A wrong one counts towards the lockout like a wrong password; none at all is <see cref="SignInRefusal.TwoFactorRequired"/>.
    /// </summary>
    public async Task<SignInRefusal?> CheckAsync(StaffUser user, string? code, string? recoveryCode)
    {
        if (await users.IsLockedOutAsync(user)) return SignInRefusal.LockedOut;
        bool valid;
        if (!string.IsNullOrWhiteSpace(code)) valid = await VerifyCodeAsync(user, code);
        else if (!string.IsNullOrWhiteSpace(recoveryCode))
            valid = (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode.Trim().ToUpperInvariant())).Succeeded;
        else return SignInRefusal.TwoFactorRequired;
        if (valid)
        {
            await users.ResetAccessFailedCountAsync(user);
            return null;
        }
        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user) ? SignInRefusal.LockedOut : SignInRefusal.InvalidTwoFactorCode;
    }

    /// <summary>The account's authenticator key (base32), made on first use; it takes effect only once confirmed.</summary>
    public async Task<string> KeyAsync(StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (!string.IsNullOrEmpty(key)) return key;
        await users.ResetAuthenticatorKeyAsync(user);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    /// <summary>The key in groups of four, lower case, for typing into an app by hand.</summary>
    public static string Grouped(string key)
    {
        var b = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) b.Append(b.Length > 0 ? " " : "").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        return b.ToString().ToLowerInvariant();
    }

    /// <summary>The key as authenticator apps scan it (Key Uri Format: otpauth://totp/Issuer:account?secret=…&amp;issuer=…).</summary>
    public static string UriOf(string userName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(userName)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>Switches two-factor sign-in on once a code from the app proves the key was taken; returns the new recovery codes, or null.</summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(StaffUser user, string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || !await VerifyCodeAsync(user, code)) return null;
        await users.SetTwoFactorEnabledAsync(user, true);
        return [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!];
    }

    /// <summary>New recovery codes (the old ones stop working), after a current code.</summary>
    public async Task<IReadOnlyList<string>?> RenewRecoveryCodesAsync(StaffUser user, string? code)
    {
        if (!user.TwoFactorEnabled || string.IsNullOrWhiteSpace(code) || !await VerifyCodeAsync(user, code)) return null;
        return [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!];
    }

    /// <summary>Switches two-factor sign-in off after a current code; the key is replaced so a later enrolment starts afresh.</summary>
    public async Task<bool> DisableAsync(StaffUser user, string? code)
    {
        if (!user.TwoFactorEnabled || string.IsNullOrWhiteSpace(code) || !await VerifyCodeAsync(user, code)) return false;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        return true;
    }

    Task<bool> VerifyCodeAsync(StaffUser user, string code) =>
        users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, new string(code.Where(char.IsAsciiDigit).ToArray()));
}
