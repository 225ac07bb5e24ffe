using Xinfang.Web.Handling;
using Xinfang.Web.Review;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Petitions;

/// <summary>A workflow step as the API and the staff pages expose it: its URL verb, its Chinese name, its request and how that becomes a command.</summary>
public abstract record Step(string Action, string Summary)
{
    public abstract Type Body { get; }
    public abstract StepInput InputOf(object body);
    /// <summary>Maps the step's endpoint with its request type known at compile time (for binding and the OpenAPI document).</summary>
    internal abstract void MapOn(RouteGroupBuilder g);
}

public sealed record Step<TBody>(string Action, string Summary, Func<TBody, StepInput> Input) : Step(Action, Summary)
{
    public override Type Body => typeof(TBody);
    public override StepInput InputOf(object body) => Input((TBody)body);
    internal override void MapOn(RouteGroupBuilder g) => PetitionEndpoints.MapStep(g, this);
}

/// <summary>Every workflow step of api.md, once: the endpoints map them and the petition page offers them.</summary>
public static class Steps
{
    public static readonly Step<ForwardRequest> Forward = new("forward", "转送", ForwardPetition.Input);
    public static readonly Step<AssignRequest> Assign = new("assign", "交办", AssignPetition.Input);
    public static readonly Step<ObjectRequest> Object = new("object", "异议（退回）", ObjectToPetition.Input);
    public static readonly Step<AcceptRequest> Accept = new("accept", "受理", AcceptPetition.Input);
    public static readonly Step<DeclineRequest> Decline = new("decline", "不予受理", DeclinePetition.Input);
    public static readonly Step<ExtendRequest> Extend = new("extend", "延期", ExtendHandling.Input);
    public static readonly Step<OpinionRequest> Reply = new("reply", "答复（出具信访处理意见书）", ReplyToPetition.Input);
    public static readonly Step<ReviewRequestBody> RequestReview = new("request-review", "申请复查", RequestReviewOfPetition.Review);
    public static readonly Step<OpinionRequest> ReviewDecision = new("review-decision", "复查意见", DecideReview.Review);
    public static readonly Step<ReviewRequestBody> RequestReReview = new("request-re-review", "申请复核", RequestReviewOfPetition.ReReview);
    public static readonly Step<HearingRequest> Hearing = new("hearing", "听证", RecordHearing.Input);
    public static readonly Step<OpinionRequest> ReReviewDecision = new("re-review-decision", "复核意见（终结）", DecideReview.ReReview);
    public static readonly Step<CloseRequest> Close = new("close", "办结", ClosePetition.Input);
    public static readonly Step<WithdrawRequest> Withdraw = new("withdraw", "撤回", WithdrawPetition.Input);

    public static readonly IReadOnlyList<Step> All =
        [Forward, Assign, Object, Accept, Decline, Extend, Reply, RequestReview, ReviewDecision, RequestReReview, Hearing, ReReviewDecision, Close, Withdraw];

    public static Step? Find(string action) => All.FirstOrDefault(s => s.Action == action);
}
