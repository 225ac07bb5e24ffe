using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Review;

/// <summary>听证 during re-review: the 30 days stand still while it lasts (Art. 36). Send startOn to open, endOn to close (or both at once).</summary>
public sealed record HearingRequest(DateOnly? StartOn, DateOnly? EndOn);

public static class RecordHearing
{
    public static StepInput Input(HearingRequest r) => StepInput.Check(
        () => new Hearing(r.StartOn!.Value, r.EndOn),
        (r.StartOn is null, "startOn", "请填写听证开始日期"));
}
