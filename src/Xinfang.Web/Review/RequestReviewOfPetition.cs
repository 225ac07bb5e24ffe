using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Review;

/// <summary>复查 requested of the level above within 30 days of the opinion (Art. 35); 复核 likewise of the level above the reviewer (Art. 36).</summary>
public sealed record ReviewRequestBody(DateOnly? RequestedOn, string? Reason, Guid? UnitId);

public static class RequestReviewOfPetition
{
    public static StepInput Review(ReviewRequestBody r) => Input(r, (on, reason, unit) => new RequestReview(on, reason, unit));

    public static StepInput ReReview(ReviewRequestBody r) => Input(r, (on, reason, unit) => new RequestReReview(on, reason, unit));

    static StepInput Input(ReviewRequestBody r, Func<DateOnly, string, Guid, PetitionCommand> make) => StepInput.Check(
        () => make(r.RequestedOn!.Value, r.Reason!.Trim(), r.UnitId!.Value),
        (r.RequestedOn is null, "requestedOn", "请填写收到申请的日期"),
        (string.IsNullOrWhiteSpace(r.Reason), "reason", "请说明申请理由"),
        (r.Reason?.Length > StepInput.MaxText, "reason", StepInput.TooLong),
        (r.UnitId is null, "unitId", "请选择复查（复核）机关"));
}
