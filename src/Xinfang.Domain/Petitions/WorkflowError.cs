namespace Xinfang.Domain.Petitions;

/// <summary>
/// Why the workflow refused an action. <see cref="Code"/> is stable (it becomes the problem type);
/// <see cref="Title"/> is the Chinese message shown to users. Kind says how HTTP should answer.
/// </summary>
public sealed record WorkflowError(string Code, string Title, WorkflowErrorKind Kind = WorkflowErrorKind.Conflict, string? Field = null)
{
    public static WorkflowError NotAllowed(PetitionStatus status, PetitionAction action) =>
        new("action-not-allowed", $"当前状态不允许此操作（{StatusNames.Of(status)} → {ActionNames.Of(action)}）");
    public static readonly WorkflowError NotHoldingUnit = new("not-holding-unit", "本单位当前不承办此事项，无权办理此步骤", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError RoleNotPermitted = new("role-not-permitted", "您的角色无权执行此操作", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError MatterIsFinal = new("matter-final", "该信访事项已复核终结，不再受理（条例第三十六条第三款）");
    public static readonly WorkflowError RepeatOfFinal = new("repeat-of-final", "同一事实和理由的信访事项已复核终结，不再受理（条例第三十六条第三款）");
    public static readonly WorkflowError RepeatInHandling = new("repeat-in-handling", "同一信访事项正在受理或办理中，不再重复受理（条例第十九条第三款）");
    public static readonly WorkflowError RepeatOfItself = new("repeat-of-itself", "不能将信访事项标记为其自身（或其重复件）的重复信访", WorkflowErrorKind.Invalid, "candidateId");
    public static readonly WorkflowError ObjectionWindowLapsed = new("objection-window-lapsed", "异议期限（收到之日起5个工作日）已过，不能再提出异议（条例第二十三条第三款）");
    public static readonly WorkflowError ExtensionAlreadyUsed = new("extension-already-used", "办理期限只能延长一次（条例第三十四条）");
    public static readonly WorkflowError ExtensionTooLong = new("extension-too-long", "延长期限不得超过30日（条例第三十四条）", WorkflowErrorKind.Invalid, "days");
    public static readonly WorkflowError ExtensionOnlyForProcedure = new("extension-not-applicable", "只有按信访程序办理的事项可以延期（条例第三十四条）");
    public static readonly WorkflowError ReplyOnlyForProcedure = new("reply-not-applicable", "依其他法定途径办理的事项不出具信访处理意见书，请办结");
    public static readonly WorkflowError ReviewWindowLapsed = new("review-window-lapsed", "复查申请期限（收到处理意见书之日起30日）已过（条例第三十五条）");
    public static readonly WorkflowError ReReviewWindowLapsed = new("re-review-window-lapsed", "复核申请期限（收到复查意见之日起30日）已过（条例第三十六条）");
    public static readonly WorkflowError ReviewNotApplicable = new("review-not-applicable", "该事项不适用复查复核程序（仅申诉求决类按信访程序办理的事项）");
    public static readonly WorkflowError ReviewBodyNotEligible = new("review-body-not-eligible", "复查（复核）机关应为原办理机关的上一级机关（条例第三十五条、第三十六条）", WorkflowErrorKind.Invalid, "unitId");
    public static readonly WorkflowError WindowStillOpen = new("window-still-open", "申请复查（复核）的期限尚未届满，暂不能办结");
    public static readonly WorkflowError HearingOpen = new("hearing-open", "听证尚未结束，不能作出复核意见");
    public static readonly WorkflowError SameUnit = new("same-unit", "不能转送或交办给本单位", WorkflowErrorKind.Invalid, "unitId");
    public static readonly WorkflowError ToAccusedUnit = new("accusation-to-accused", "检举控告事项不得转送、交办给被检举控告单位或其下属单位（条例第三十条第三款）", WorkflowErrorKind.Invalid, "unitId");
    public static readonly WorkflowError Recused = new("recused", "您已对本事项申请回避，不能办理", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError UnknownUnit = new("unknown-unit", "单位不存在", WorkflowErrorKind.Invalid, "unitId");
    public static readonly WorkflowError DateInFuture = new("date-in-future", "日期不能晚于今天", WorkflowErrorKind.Invalid);
    public static readonly WorkflowError DateBeforeStep = new("date-before-step", "日期不能早于上一办理环节", WorkflowErrorKind.Invalid);
    public static WorkflowError Required(string field, string title) => new("validation", title, WorkflowErrorKind.Invalid, field);
}

public enum WorkflowErrorKind
{
    /// <summary>The action does not fit the matter's state now (HTTP 409).</summary>
    Conflict,
    /// <summary>The actor may not take it (HTTP 403).</summary>
    Forbidden,
    /// <summary>The request itself is wrong (HTTP 400 with the field).</summary>
    Invalid,
}

public static class StatusNames
{
    public static string Of(PetitionStatus s) => s switch
    {
        PetitionStatus.Registered => "已登记",
        PetitionStatus.Forwarded => "已转送",
        PetitionStatus.Assigned => "已交办",
        PetitionStatus.Accepted => "已受理",
        PetitionStatus.Declined => "不予受理",
        PetitionStatus.Replied => "已答复",
        PetitionStatus.UnderReview => "复查中",
        PetitionStatus.Reviewed => "已复查",
        PetitionStatus.UnderReReview => "复核中",
        PetitionStatus.Final => "已终结",
        PetitionStatus.Closed => "已办结",
        PetitionStatus.Withdrawn => "已撤回",
        _ => s.ToString(),
    };
}

public static class ActionNames
{
    public static string Of(PetitionAction a) => a switch
    {
        PetitionAction.Register => "登记",
        PetitionAction.Forward => "转送",
        PetitionAction.Assign => "交办",
        PetitionAction.Object => "异议",
        PetitionAction.Accept => "受理",
        PetitionAction.Decline => "不予受理",
        PetitionAction.Extend => "延期",
        PetitionAction.Reply => "答复",
        PetitionAction.RequestReview => "申请复查",
        PetitionAction.ReviewDecision => "复查意见",
        PetitionAction.RequestReReview => "申请复核",
        PetitionAction.Hearing => "听证",
        PetitionAction.ReReviewDecision => "复核意见",
        PetitionAction.Close => "办结",
        PetitionAction.Withdraw => "撤回",
        PetitionAction.Supervise => "督办",
        PetitionAction.SupervisionFeedback => "督办反馈",
        PetitionAction.SupervisionEscalate => "督办升级",
        PetitionAction.OwnershipAssign => "领导包案",
        PetitionAction.OwnershipPlan => "包案方案",
        PetitionAction.OwnershipProgress => "包案进展",
        PetitionAction.OwnershipOutcome => "包案结果",
        PetitionAction.BacklogList => "列入积案",
        PetitionAction.BacklogReport => "上报化解",
        PetitionAction.BacklogAudit => "积案审核",
        PetitionAction.BacklogStrikeOff => "积案销号",
        PetitionAction.BacklogReturn => "积案退回",
        PetitionAction.BacklogRecheck => "回头看",
        PetitionAction.ClusterMeasure => "类案措施",
        PetitionAction.FollowUp => "回访",
        PetitionAction.Rating => "满意度评价",
        PetitionAction.UrgentReport => "紧急上报",
        PetitionAction.UrgentAcknowledge => "上报签收",
        _ => a.ToString(),
    };
}
