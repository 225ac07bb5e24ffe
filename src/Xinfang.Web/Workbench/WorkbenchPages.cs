using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>
/// The staff workbench (/staff): server-rendered Razor components behind a sign-in cookie, plain forms with
/// antiforgery tokens. Pages call the same use cases as /api/v1 and show their refusals in Chinese.
/// </summary>
public static class WorkbenchPages
{
    public const string Policy = "workbench";

    public static AuthorizationPolicy CookiePolicy { get; } =
        new AuthorizationPolicyBuilder(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser().Build();

    public static void MapWorkbenchPages(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/staff").AllowAnonymous().ExcludeFromDescription().WithMetadata(new RequireAntiforgeryTokenAttribute());
        open.AddEndpointFilter(async (ctx, next) => Forged(ctx.HttpContext)
            ? Page<LoginPage>(new { Error = Expired }, 400)
            : await next(ctx));

        open.MapGet("/login", (string? returnUrl, string? m, HttpContext http) =>
            Page<LoginPage>(new { ReturnUrl = returnUrl, Message = m == "out" ? "您已安全退出。" : returnUrl is null ? null : "请先登录。长时间未操作时，为保护信访人信息，系统会自动退出。" }));

        open.MapPost("/login", async (HttpContext http, SignInStaff signIn, SignInLimits limits, TwoFactor twoFactor) =>
        {
            var f = await http.Request.ReadFormAsync();
            if (!limits.Allow(http, f["userName"]))
                return Page<LoginPage>(new { UserName = f["userName"].ToString(), Error = SignInStaff.Message(SignInRefusal.TooManyAttempts) }, 429);
            var (user, refusal) = await signIn.HandleAsync(f["userName"], f["password"]);
            if (refusal == SignInRefusal.PasswordExpired)
                return Page<PasswordPage>(new { UserName = user!.UserName, Error = SignInStaff.Message(refusal.Value) });
            var returnUrl = f["returnUrl"].ToString();
            if (refusal == SignInRefusal.TwoFactorRequired) return Page<TwoFactorSignInPage>(new { ReturnUrl = returnUrl });
            if (refusal is { } r) return Page<LoginPage>(new { UserName = f["userName"].ToString(), ReturnUrl = returnUrl, Error = SignInStaff.Message(r) }, 401);
            // An administrator without a second factor enrols before anything else (see the filter below).
            if (await twoFactor.MustEnrolAsync(user!)) return Results.LocalRedirect(AccountPages.TwoFactorPath);
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/staff");
        });
        AccountPages.MapSecondStep(open);

        open.MapPost("/logout", async (SignInStaff signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/staff/login?m=out");
        });

        // The password page serves both a signed-in user and one whose expired password kept them out.
        open.MapGet("/password", async (HttpContext http, XinfangDb db, CancellationToken ct) =>
            Page<PasswordPage>(new { Me = await MeAsync(http, db, ct) }));
        open.MapPost("/password", async (HttpContext http, XinfangDb db, SignInStaff signIn, SignInLimits limits, UserManager<StaffUser> users, CancellationToken ct) =>
        {
            var f = await http.Request.ReadFormAsync(ct);
            var me = await MeAsync(http, db, ct);
            StaffUser? user;
            if (me is not null) user = await users.FindByIdAsync(me.Staff.User.Id.ToString());
            else
            {
                // Without a session the current password is checked with lockout and the sign-in limits, like a sign-in.
                if (!limits.Allow(http, f["userName"]))
                    return Page<PasswordPage>(new { UserName = f["userName"].ToString(), Error = SignInStaff.Message(SignInRefusal.TooManyAttempts) }, 429);
                var (found, refusal) = await signIn.CheckAsync(f["userName"], f["current"]);
                if (found is null) return Page<PasswordPage>(new { UserName = f["userName"].ToString(), Error = SignInStaff.Message(refusal!.Value) }, 400);
                user = found;
            }
            var errors = await signIn.ChangePasswordAsync(user!, f["current"], f["password"], f["repeat"]);
            if (errors.Count > 0) return Page<PasswordPage>(new { Me = me, UserName = f["userName"].ToString(), Errors = errors, Error = "密码未修改，请检查标注的字段" }, 400);
            if (me is null) return Page<LoginPage>(new { UserName = user!.UserName, Message = "密码已修改，请用新密码登录。" });
            return Page<PasswordPage>(new { Me = me, Message = "密码已修改。" });
        });

        var g = app.MapGroup("/staff").RequireAuthorization(CookiePolicy).ExcludeFromDescription().WithMetadata(new RequireAntiforgeryTokenAttribute());
        g.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var me = await MeAsync(http, http.RequestServices.GetRequiredService<XinfangDb>(), http.RequestAborted);
            if (me is null)
            {
                // The account was removed or disabled since the cookie was issued.
                await http.RequestServices.GetRequiredService<SignInStaff>().SignOutAsync();
                return Results.LocalRedirect("/staff/login");
            }
            http.Items[typeof(Me)] = me;
            if (Forged(http)) return Page<MessagePage>(new { Me = me, Title = "页面已过期", Error = Expired }, 400);
            if (http.RequestServices.GetRequiredService<TwoFactor>().MustEnrol(me.Staff) && !http.Request.Path.StartsWithSegments(AccountPages.TwoFactorPath))
                return Results.LocalRedirect(AccountPages.TwoFactorPath);
            return await next(ctx);
        });

        g.MapGet("/", async (string? queue, string? warning, string? type, string? channel, string? cursor, string? m,
            HttpContext http, MyWork use, TimeProvider time, CancellationToken ct) =>
        {
            var me = MeOf(http);
            if (!me.WorksOnPetitions) return me.Administers ? Results.LocalRedirect("/staff/admin") : Forbidden(me);
            var filter = new QueueFilter(RegisterPetition.ParseEnum<Warning>(warning), RegisterPetition.ParseEnum<PetitionType>(type), RegisterPetition.ParseEnum<Channel>(channel));
            var asked = Enum.GetValues<Queue>().Cast<Queue?>().FirstOrDefault(q => MyWork.SlugOf(q!.Value) == queue);
            var page = await use.HandleAsync(me.Staff, asked, filter, cursor, ct);
            if (page is null) return Forbidden(me);
            return Page<MyWorkPage>(new { Me = me, P = page, Today = ChinaTime.DateOf(time.GetUtcNow()), Message = Flash(m) });
        });

        PetitionPages.MapPetitionPages(g);
        RegistrationPages.MapRegistrationPages(g);
        SearchPages.MapSearchPages(g);
        ReviewRequestPages.MapReviewRequestPages(g);
        AdminPages.MapAdminPages(g);
        ClusterPages.MapClusterPages(g);
        Supervision.SupervisionPages.MapSupervisionPages(g);
        ClusterResolution.ClusterResolutionPages.MapClusterResolutionPages(g);
        FollowUp.FollowUpPages.MapFollowUpPages(g);
        Backlog.BacklogPages.MapBacklogPages(g);
        Dashboard.DashboardPages.MapDashboardPages(g);
        Audit.AuditPages.MapAuditPages(g);
        Warnings.OverduePages.MapOverduePages(g);
        Notifications.NotificationPages.MapNotificationPages(g);
        UrgentReports.UrgentPages.MapUrgentPages(g);
        AccountPages.MapAccountPages(g);
        Ownership.OwnershipPages.MapOwnershipPages(g);
        Ledgers.LedgerEndpoints.MapLedgerPages(g);
        Documents.DocumentPages.MapDocumentPages(g);
    }

    const string Expired = "页面已过期或来源不明，请重新打开页面后再提交";

    public static Me MeOf(HttpContext http) => (Me)http.Items[typeof(Me)]!;

    static async Task<Me?> MeAsync(HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (http.User.Identity?.IsAuthenticated != true) return null;
        var staff = await Staff.LoadAsync(db, http.User, ct);
        if (staff is null) return null;
        // The header's unread badge: one count over the notices' (recipient unit, read at) index.
        return Me.Of(staff) with { UnreadNotices = await http.RequestServices.GetRequiredService<Notifications.NotificationCentre>().UnreadAsync(staff, ct) };
    }

    public static RazorComponentResult Page<T>(object parameters, int status = 200) where T : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<T>(parameters) { StatusCode = status };

    public static IResult Forbidden(Me me, string? why = null) =>
        Page<MessagePage>(new { Me = me, Title = "无权访问", Error = why ?? "您的角色无权使用此页面。如需权限，请联系本单位系统管理员。" }, 403);

    static bool Forged(HttpContext http) => http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false };

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    /// <summary>Short confirmations carried across a redirect after a successful post (post/redirect/get).</summary>
    public static string? Flash(string? m) => m switch
    {
        null or "" => null,
        _ when Steps.Find(m) is { } step => $"已{step.Summary.Split('（')[0]}。",
        "registered" => "已登记。",
        "revealed" => "已显示完整个人信息，本次查看已记录。",
        "uploaded" => "附件已上传。",
        "repeat-confirm" => "已确认为重复信访并关联原事项，本次确认已记录。",
        "repeat-reject" => "已排除该候选，不再提示，本次排除已记录。",
        "recusal" => "回避已记录，回避人员不能再办理本事项。",
        "category" => "问题分类已更正，更正已记录，分类模型将据此重新训练。",
        "urgent" => "已标记为重大紧急事项，并已向上一级信访部门报告。",
        _ => null,
    };
}
