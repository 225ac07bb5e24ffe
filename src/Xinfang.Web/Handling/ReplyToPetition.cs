using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>答复: the written opinion (信访处理意见书) with one decision of Art. 32, and the day it was delivered.</summary>
public sealed record OpinionRequest(string? Decision, string? Text, DateOnly? DeliveredOn);

public static class ReplyToPetition
{
    public static StepInput Input(OpinionRequest r) => Opinion(r, (d, text, on) => new Reply(d, text, on));

    public static StepInput Opinion(OpinionRequest r, Func<Decision, string, DateOnly, PetitionCommand> make) => StepInput.Check(
        () => make(StepInput.DecisionOf(r.Decision)!.Value, r.Text!.Trim(), r.DeliveredOn!.Value),
        (StepInput.DecisionOf(r.Decision) is null, "decision", StepInput.DecisionMessage),
        (string.IsNullOrWhiteSpace(r.Text), "text", "请填写意见书正文（条例第三十二条）"),
        (r.Text?.Length > 19_000, "text", "正文不超过19000字"),
        (r.DeliveredOn is null, "deliveredOn", "请填写送达日期"));
}
