using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Backlog;

/// <summary>Why a backlog step was refused; the code becomes the problem type (/problems/{code}).</summary>
public static class BacklogErrors
{
    public static readonly WorkflowError NotListed = new("backlog-not-listed", "该积案当前不是“已列入”状态，不能上报化解");
    public static readonly WorkflowError NotReported = new("backlog-not-reported", "该积案尚未上报化解，或已审核，不能审核");
    public static readonly WorkflowError NotStruckOff = new("backlog-not-struck-off", "该积案尚未销号，不能回头看");
    public static readonly WorkflowError AlreadyRechecked = new("backlog-already-rechecked", "该积案已完成回头看");
    public static readonly WorkflowError RecheckNotDue = new("backlog-recheck-not-due", "回头看时间未到，请在销号满规定天数后再回头看");
    public static readonly WorkflowError CampaignEnded = new("backlog-campaign-ended", "专项工作已结束，不能再列入积案");
    public static readonly WorkflowError AlreadyMember = new("backlog-already-listed", "该信访事项已列入本专项工作");
    public static readonly WorkflowError NotOwner = new("backlog-not-owner", "只有该积案的责任人（或专项工作单位的负责人、督查员）可以上报化解", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError NotAuditor = new("backlog-not-auditor", "只有专项工作单位（或其上级）的督查员可以审核积案", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError OwnReport = new("backlog-own-report", "不能审核本人上报的化解材料", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError NotRechecker = new("backlog-not-rechecker", "只有专项工作单位（或其上级）的督查员、负责人可以回头看", WorkflowErrorKind.Forbidden);
    public static readonly WorkflowError SummaryRequired = new("validation", "请填写化解情况", WorkflowErrorKind.Invalid, "summary");
    public static readonly WorkflowError EvidenceRequired = new("validation", "请填写化解证明材料的文字说明（可另引用本事项的附件）", WorkflowErrorKind.Invalid, "evidence");
    public static readonly WorkflowError ReasonsRequired = new("validation", "退回时须写明理由", WorkflowErrorKind.Invalid, "reasons");
    public static readonly WorkflowError NoteRequired = new("validation", "出现反复时须写明情况", WorkflowErrorKind.Invalid, "note");
    public static readonly WorkflowError TooLong = new("validation", "内容过长（不超过2000字）", WorkflowErrorKind.Invalid, "body");
}
