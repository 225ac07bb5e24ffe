using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Petitions;

/// <summary>The glossary's Chinese terms for the workflow's values, as pages, notices and ledgers print them.</summary>
public static class Names
{
    public static string Of(ClockName name) => name switch
    {
        ClockName.Dispose => "登记转送期限",
        ClockName.Notify => "告知是否受理期限",
        ClockName.Objection => "异议期限",
        ClockName.Report => "报送办理结果期限",
        ClockName.Handle => "办理期限",
        ClockName.ReviewRequest => "申请复查期限",
        ClockName.Review => "复查答复期限",
        ClockName.ReReviewRequest => "申请复核期限",
        ClockName.ReReview => "复核答复期限",
        _ => name.ToString(),
    };

    /// <summary>What follows when a clock runs out, for the staff who hold the matter.</summary>
    public static string LapseOf(ClockName name) => name switch
    {
        ClockName.Dispose => "逾期未转送、交办或告知，属超期办理，将被督办（条例第二十二条）",
        ClockName.Notify => "逾期未书面告知信访人是否受理，将被督办（条例第二十三条）",
        ClockName.Objection => "期满未提出异议，视为接收，不能再退回（条例第二十三条）",
        ClockName.Report => "逾期未报送办理结果，将被督办（条例第二十二条）",
        ClockName.Handle => "逾期未出具处理意见，属超期办理，将被督办；可在期满前申请延期一次（条例第三十四条）",
        ClockName.ReviewRequest => "信访人期满未申请复查，事项自动办结（条例第三十五条）",
        ClockName.Review => "逾期未出具复查意见，将被督办（条例第三十五条）",
        ClockName.ReReviewRequest => "信访人期满未申请复核，事项自动办结（条例第三十六条）",
        ClockName.ReReview => "逾期未出具复核意见，将被督办（条例第三十六条）",
        _ => "",
    };

    public static string Of(Warning w) => w switch
    {
        Warning.Yellow => "临期",
        Warning.Red => "超期",
        _ => "正常",
    };

    public static string Of(Decision d) => d switch
    {
        Decision.Support => "予以支持",
        Decision.Explain => "解释说明",
        _ => "不予支持",
    };

    public static string Of(HandlingRoute r) => r switch
    {
        HandlingRoute.Litigation => "诉讼、检察或公安程序",
        HandlingRoute.Arbitration => "仲裁程序",
        HandlingRoute.PartyAppeal => "党员申诉程序",
        HandlingRoute.Administrative => "行政复议、裁决等行政程序",
        HandlingRoute.DutyToAct => "依法履职",
        _ => "信访程序",
    };

    public static string Of(Redirect? r) => r switch
    {
        Redirect.Litigation => "诉讼",
        Redirect.Arbitration => "仲裁",
        Redirect.PartyAppeal => "党员申诉",
        Redirect.Administrative => "行政复议等行政程序",
        _ => "其他法定途径",
    };

    public static string Of(PetitionType t) => t switch
    {
        PetitionType.Suggestion => "建议意见",
        PetitionType.Accusation => "检举控告",
        _ => "申诉求决",
    };

    public static string Of(Channel c) => c switch
    {
        Channel.Online => "网上信访",
        Channel.Letter => "来信",
        Channel.Visit => "来访",
        Channel.Phone => "电话",
        Channel.Fax => "传真",
        _ => c.ToString(),
    };

    public static string Of(PetitionStatus s) => StatusNames.Of(s);
    public static string Of(PetitionAction a) => ActionNames.Of(a);
}
