using Xinfang.Domain.Deadlines;

namespace Xinfang.Web.Supervision;

/// <summary>One row of the supervision ledger (督办台账): what the API lists and an export writes.</summary>
public sealed record SupervisionRow(
    Guid Id, Guid PetitionId, string Number, string Title,
    SupervisionForm Form, string FormName, IReadOnlyList<SupervisionReason> Reasons, IReadOnlyList<string> ReasonNames,
    Guid IssuerUnitId, string IssuerUnitName, Guid AddresseeUnitId, string AddresseeUnitName,
    DateOnly IssuedOn, DateOnly DueOn, DateOnly? FeedbackOn, SupervisionStatus Status, string StatusName, bool Late,
    Guid? EscalatedToUnitId, string? EscalatedToUnitName, DateTimeOffset IssuedAt);

/// <summary>One 督办 in full, with what the caller may do with it.</summary>
public sealed record SupervisionView(
    SupervisionRow Row, string? Note, string? FeedbackText, string? FeedbackMeasures, int Returns, string? ReturnReason,
    DateTimeOffset? EscalatedAt, DateTimeOffset? ClosedAt, string? CloseNote, Guid? ProposalId, int Version,
    bool MayAnswer, bool MayDecide);

/// <summary>One proposal (督办建议) as its deciders see it.</summary>
public sealed record ProposalView(
    Guid Id, Guid PetitionId, string Number, string Title, Guid HoldingUnitId, string HoldingUnitName,
    ClockName ClockName, string ClockTitle, DateOnly ClockDueOn, int DaysOverdue, DateTimeOffset RaisedAt,
    ProposalStatus Status, string? DismissReason, Guid? SupervisionId);

/// <summary>The Chinese names of the forms, triggers and states.</summary>
public static class SupervisionNames
{
    public static string Of(SupervisionForm f) => f switch
    {
        SupervisionForm.Phone => "电话督办",
        SupervisionForm.Letter => "督办函",
        SupervisionForm.Flagged => "挂牌督办",
        SupervisionForm.Interview => "约谈",
        SupervisionForm.Circular => "通报",
        SupervisionForm.OrderedCorrection => "限期整改",
        _ => f.ToString(),
    };

    public static string Of(SupervisionReason r) => r switch
    {
        SupervisionReason.NotFinishedInTime => "无正当理由未按规定时限办结",
        SupervisionReason.ResultNotReported => "未按规定反馈办理结果",
        SupervisionReason.WrongProcedure => "未按规定程序办理",
        SupervisionReason.ShirkingOrDelay => "办理时推诿、敷衍、拖延",
        SupervisionReason.OpinionNotCarriedOut => "不执行信访处理意见",
        _ => r.ToString(),
    };

    public static string Of(SupervisionStatus s) => s switch
    {
        SupervisionStatus.Open => "待反馈",
        SupervisionStatus.Answered => "已反馈",
        SupervisionStatus.Closed => "已办结",
        SupervisionStatus.Overdue => "逾期未反馈",
        SupervisionStatus.Escalated => "逾期已上报",
        _ => s.ToString(),
    };

    public static string Of(ClockName c) => c switch
    {
        ClockName.Dispose => "登记交转送期限",
        ClockName.Notify => "告知期限",
        ClockName.Objection => "异议期限",
        ClockName.Report => "报送办理结果期限",
        ClockName.Handle => "办理期限",
        ClockName.Review => "复查期限",
        ClockName.ReReview => "复核期限",
        _ => c.ToString(),
    };
}
