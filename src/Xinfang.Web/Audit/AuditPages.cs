using System.Text;
using Xinfang.Web.Data;
using Xinfang.Web.Workbench;

namespace Xinfang.Web.Audit;

/// <summary>审计日志 (/staff/audit): the audit administrator's view of the trail, with filters, the chain's verification and a CSV export.</summary>
public static class AuditPages
{
    public static void MapAuditPages(RouteGroupBuilder g)
    {
        g.MapGet("/audit", async ([AsParameters] AuditQuery q, string? verify, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!ListAuditEntries.MayRead(me.Staff)) return WorkbenchPages.Forbidden(me, "只有审计管理员可以查看审计日志（三员分立）。");
            var page = await ListAuditEntries.PageAsync(db, q with { Limit = ListAuditEntries.DefaultLimit }, ct);
            var verification = verify is "1" or "true" ? await VerifyAuditTrail.RunAsync(db, ct) : null;
            return WorkbenchPages.Page<AuditLogPage>(new { Me = me, Q = q, P = page, Verification = verification, Query = http.Request.QueryString.Value ?? "" },
                page.Errors is { Count: > 0 } ? 400 : 200);
        });

        g.MapGet("/audit/export.csv", async ([AsParameters] AuditQuery q, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!ListAuditEntries.MayRead(me.Staff)) return WorkbenchPages.Forbidden(me, "只有审计管理员可以导出审计日志（三员分立）。");
            var (csv, count, errors) = await AuditEndpoints.ExportAsync(db, q with { Cursor = null }, ct);
            if (errors is not null) return WorkbenchPages.Page<AuditLogPage>(new { Me = me, Q = q, P = new AuditPage([], null, errors), Query = "" }, 400);
            await AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditActions.AuditExported, me.Staff, AuditTargets.AuditTrail, null,
                new { rows = count, q.From, q.To, q.Actor, q.Action, q.Target }), ct);
            return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", "audit.csv");
        });
    }

    /// <summary>The Chinese name of an action code (the code itself when it has none).</summary>
    public static string NameOf(string action) => action switch
    {
        AuditActions.SignInSucceeded => "登录成功",
        AuditActions.SignInFailed => "登录失败",
        AuditActions.SignInLockedOut => "登录失败（账户锁定）",
        AuditActions.SignedOut => "退出登录",
        AuditActions.PasswordChanged => "修改密码",
        AuditActions.PasswordReset => "重置密码",
        AuditActions.UserUnlocked => "解除锁定",
        AuditActions.UserCreated => "新建用户",
        AuditActions.RolesChanged => "变更角色",
        AuditActions.UnitChanged => "变更所属单位",
        AuditActions.UnitCreated => "新建单位",
        AuditActions.UnitUpdated => "修改单位",
        AuditActions.RoutingRuleCreated => "新增分流规则",
        AuditActions.RoutingRuleDeleted => "删除分流规则",
        AuditActions.CalendarImported => "导入工作日历",
        AuditActions.CategoryAdded => "新增问题分类",
        AuditActions.PersonalDataRevealed => "查看个人信息明文",
        AuditActions.RepeatLinkDecided => "重复信访判定",
        AuditActions.CategoryCorrected => "更正问题类别",
        AuditActions.AttachmentDownloaded => "下载附件",
        AuditActions.AuditExported => "导出审计日志",
        AuditActions.AuditPurged => "清理过期审计日志",
        "petition.register" => "登记",
        "petition.forward" => "转送",
        "petition.assign" => "交办",
        "petition.object" => "提出异议",
        "petition.accept" => "受理",
        "petition.decline" => "不予受理",
        "petition.extend" => "延期",
        "petition.reply" => "出具处理意见",
        "petition.requestReview" => "申请复查",
        "petition.reviewDecision" => "复查意见",
        "petition.requestReReview" => "申请复核",
        "petition.hearing" => "听证",
        "petition.reReviewDecision" => "复核意见",
        "petition.close" => "办结",
        "petition.withdraw" => "撤回",
        _ when action.StartsWith(AuditActions.ExportPrefix, StringComparison.Ordinal) => "导出（" + action[AuditActions.ExportPrefix.Length..] + "）",
        _ => action,
    };

    public static string ActorKindName(string kind) => kind switch
    {
        "staff" => "工作人员",
        "petitioner" => "信访人（网上）",
        "system" => "系统",
        _ => "未知用户",
    };

    /// <summary>The filter choices of the page: groups (a prefix) and the common codes.</summary>
    public static readonly (string Code, string Name)[] ActionChoices =
    [
        ("signIn.", "登录与退出（全部）"),
        (AuditActions.SignInFailed, "登录失败"),
        (AuditActions.SignInLockedOut, "账户锁定"),
        ("user.", "账户与权限（全部）"),
        (AuditActions.PersonalDataRevealed, "查看个人信息明文"),
        ("petition.", "办理流程（全部）"),
        (AuditActions.AttachmentDownloaded, "下载附件"),
        (AuditActions.ExportPrefix, "导出（全部）"),
        ("unit.", "单位"),
        ("routingRule.", "分流规则"),
        ("calendar.", "工作日历"),
        ("category.", "问题分类"),
        ("audit.", "审计日志维护"),
    ];
}
