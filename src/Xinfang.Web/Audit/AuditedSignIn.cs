using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Audit;

/// <summary>
/// Identity's sign-in manager with every outcome on the audit trail (等保2.0 安全审计: 登录成功与失败): the
/// password check (success, failure, lockout), the second factor, and sign-out. Both the API's login and the
/// workbench's go through <see cref="CheckPasswordSignInAsync"/>, so neither needs a call of its own; an unknown
/// user name never reaches the manager and is recorded through <see cref="UnknownUserAsync{T}"/>.
/// </summary>
public sealed class AuditedSignIn(UserManager<StaffUser> userManager, IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory, IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger, IAuthenticationSchemeProvider schemes, IUserConfirmation<StaffUser> confirmation, XinfangDb db)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    readonly AuditTrail _trail = new(db, contextAccessor);

    public override async Task<SignInResult> CheckPasswordSignInAsync(StaffUser user, string password, bool lockoutOnFailure)
    {
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        await ForgetLostUpdatesAsync();
        var action = result.Succeeded ? AuditActions.SignInSucceeded : result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed;
        await _trail.AppendAsync(new AuditRecord(action, AuditActor.Of(user), AuditTargets.User, user.Id.ToString(),
            new { factor = "password", via = Via(), failedCount = result.Succeeded ? (int?)null : user.AccessFailedCount }));
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await ForgetLostUpdatesAsync();
        if (user is not null)
        {
            var action = result.Succeeded ? AuditActions.SignInSucceeded : result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed;
            await _trail.AppendAsync(new AuditRecord(action, AuditActor.Of(user), AuditTargets.User, user.Id.ToString(), new { factor = "totp", via = Via() }));
        }
        return result;
    }

    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        await base.SignOutAsync();
        if (Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
            await _trail.AppendAsync(new AuditRecord(AuditActions.SignedOut, new AuditActor("staff", id, principal.Identity?.Name), AuditTargets.User, id.ToString(), new { via = Via() }));
    }

    /// <summary>Records a failed sign-in under a user name that has no account, and passes <paramref name="result"/> through.</summary>
    public static async Task<T> UnknownUserAsync<T>(SignInManager<StaffUser> signIn, string? userName, T result)
    {
        if (signIn is AuditedSignIn audited)
            await audited._trail.AppendAsync(new AuditRecord(AuditActions.SignInFailed, AuditActor.Unknown(userName), null, null, new { reason = "unknownUser", via = audited.Via() }));
        return result;
    }

    /// <summary>Records that <paramref name="user"/> changed their own password.</summary>
    public static Task PasswordChangedAsync(SignInManager<StaffUser> signIn, StaffUser user) =>
        signIn is AuditedSignIn audited
            ? audited._trail.AppendAsync(new AuditRecord(AuditActions.PasswordChanged, AuditActor.Of(user), AuditTargets.User, user.Id.ToString()))
            : Task.CompletedTask;

    /// <summary>
    /// Records the outcome of the second factor (Identity/TwoFactor checks it without this manager) and passes the
    /// refusal through. Nothing is written when no code was offered: the password step is already on the trail.
    /// </summary>
    public static async Task<SignInRefusal?> SecondFactorAsync(SignInManager<StaffUser> signIn, StaffUser user, bool recoveryCode, SignInRefusal? refusal)
    {
        if (signIn is not AuditedSignIn audited || refusal == SignInRefusal.TwoFactorRequired) return refusal;
        await audited.ForgetLostUpdatesAsync();
        var action = refusal is null ? AuditActions.SignInSucceeded : refusal == SignInRefusal.LockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed;
        await audited._trail.AppendAsync(new AuditRecord(action, AuditActor.Of(user), AuditTargets.User, user.Id.ToString(),
            new { factor = recoveryCode ? "recoveryCode" : "totp", via = audited.Via() }));
        return refusal;
    }

    /// <summary>
    /// Identity answers a lost race on the account row (two sign-ins of one account at once, each counting a
    /// failure) with a failed result and leaves the account modified in the context; the append saves the context,
    /// so the stale account is re-read first rather than saved again (which would fail the request).
    /// </summary>
    async Task ForgetLostUpdatesAsync()
    {
        foreach (var entry in db.ChangeTracker.Entries<StaffUser>().Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Modified).ToList())
            await entry.ReloadAsync();
    }

    string Via() => Context.Request.Path.StartsWithSegments("/api") ? "api" : "workbench";
}
