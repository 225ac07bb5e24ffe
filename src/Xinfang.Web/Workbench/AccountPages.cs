using Microsoft.AspNetCore.Identity;
using QRCoder;
using Xinfang.Web.Identity;
using Xinfang.Web.Workbench.Pages;
using static Xinfang.Web.Workbench.WorkbenchPages;

namespace Xinfang.Web.Workbench;

/// <summary>
/// The signed-in user's own account: two-factor sign-in (enrol with an authenticator app, recovery codes, switch
/// off where allowed), and the sign-in's second step (the 6-digit code after the password).
/// </summary>
public static class AccountPages
{
    public const string TwoFactorPath = "/staff/account/two-factor";

    /// <summary>The code after the password (anonymous: the pending cookie says whose password was right).</summary>
    public static void MapSecondStep(RouteGroupBuilder open)
    {
        open.MapGet("/login/two-factor", async (string? returnUrl, SignInStaff signIn) =>
            await signIn.PendingAsync() is null
                ? Results.LocalRedirect("/staff/login")
                : Page<TwoFactorSignInPage>(new { ReturnUrl = returnUrl }));

        open.MapPost("/login/two-factor", async (HttpContext http, SignInStaff signIn, SignInLimits limits) =>
        {
            var f = await http.Request.ReadFormAsync();
            var returnUrl = f["returnUrl"].ToString();
            var pending = await signIn.PendingAsync();
            if (!limits.Allow(http, pending?.UserName))
                return Page<TwoFactorSignInPage>(new { ReturnUrl = returnUrl, Error = SignInStaff.Message(SignInRefusal.TooManyAttempts) }, 429);
            var (_, refusal) = await signIn.CompleteTwoFactorAsync(f["code"], f["recoveryCode"]);
            if (refusal is SignInRefusal.TwoFactorExpired or SignInRefusal.LockedOut)
                return Page<LoginPage>(new { ReturnUrl = returnUrl, Error = SignInStaff.Message(refusal.Value) }, 401);
            if (refusal is { } r) return Page<TwoFactorSignInPage>(new { ReturnUrl = returnUrl, Error = SignInStaff.Message(r) }, 401);
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/staff");
        });
    }

    public static void MapAccountPages(RouteGroupBuilder g)
    {
        g.MapGet("/account/two-factor", async (HttpContext http, UserManager<StaffUser> users, TwoFactor twoFactor) =>
            await StatusPageAsync(http, users, twoFactor));

        g.MapPost("/account/two-factor", async (HttpContext http, UserManager<StaffUser> users, TwoFactor twoFactor, SignInManager<StaffUser> signIn) =>
        {
            var user = await UserOf(http, users);
            var codes = await twoFactor.EnableAsync(user, (await http.Request.ReadFormAsync())["code"]);
            if (codes is null) return await StatusPageAsync(http, users, twoFactor, error: "验证码不正确。请核对手机时间是否准确，并输入验证器当前显示的6位数字。", status: 400);
            // The session now rests on two factors; reissue it so it says so.
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new System.Security.Claims.Claim("amr", "mfa")]);
            return await StatusPageAsync(http, users, twoFactor, message: "双因素认证已启用。今后登录时需输入验证器显示的动态验证码。", recoveryCodes: codes);
        });

        g.MapPost("/account/two-factor/recovery-codes", async (HttpContext http, UserManager<StaffUser> users, TwoFactor twoFactor) =>
        {
            var codes = await twoFactor.RenewRecoveryCodesAsync(await UserOf(http, users), (await http.Request.ReadFormAsync())["code"]);
            return codes is null
                ? await StatusPageAsync(http, users, twoFactor, error: "验证码不正确，恢复码未更换。", status: 400)
                : await StatusPageAsync(http, users, twoFactor, message: "已生成新的恢复码，原恢复码全部作废。", recoveryCodes: codes);
        });

        g.MapPost("/account/two-factor/disable", async (HttpContext http, UserManager<StaffUser> users, TwoFactor twoFactor) =>
        {
            var user = await UserOf(http, users);
            if (!await twoFactor.MayDisableAsync(user)) return Forbidden(MeOf(http), "管理员账户必须使用双因素认证，不能停用。");
            return await twoFactor.DisableAsync(user, (await http.Request.ReadFormAsync())["code"])
                ? await StatusPageAsync(http, users, twoFactor, message: "双因素认证已停用。")
                : await StatusPageAsync(http, users, twoFactor, error: "验证码不正确，双因素认证仍在使用。", status: 400);
        });
    }

    static async Task<StaffUser> UserOf(HttpContext http, UserManager<StaffUser> users) =>
        await users.FindByIdAsync(MeOf(http).Staff.User.Id.ToString()) ?? throw new InvalidOperationException("signed-in user vanished");

    static async Task<IResult> StatusPageAsync(HttpContext http, UserManager<StaffUser> users, TwoFactor twoFactor,
        string? message = null, string? error = null, IReadOnlyList<string>? recoveryCodes = null, int status = 200)
    {
        var user = await UserOf(http, users);
        var me = MeOf(http);
        string? key = null, qr = null;
        if (!user.TwoFactorEnabled)
        {
            var raw = await twoFactor.KeyAsync(user);
            key = TwoFactor.Grouped(raw);
            qr = Qr(TwoFactor.UriOf(user.UserName!, raw));
        }
        return Page<TwoFactorPage>(new
        {
            Me = me, Enabled = user.TwoFactorEnabled, Key = key, QrSvg = qr, RecoveryCodes = recoveryCodes,
            MustEnrol = twoFactor.MustEnrol(me.Staff) && !user.TwoFactorEnabled,
            MayDisable = await twoFactor.MayDisableAsync(user),
            RecoveryCodesLeft = user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0,
            Message = message, Error = error,
        }, status);
    }

    /// <summary>The otpauth URI as an SVG QR code, drawn here: the key never leaves the server for a QR service.</summary>
    static string Qr(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(200, 200), "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute)
            .Replace("<svg ", "<svg role=\"img\" aria-label=\"身份验证器绑定二维码\" ", StringComparison.Ordinal);
    }
}
