using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Routing;

/// <summary>异议: the recipient says, with reasons, that the matter is not its competence — within 5 working days (Art. 23 ¶3).</summary>
public sealed record ObjectRequest(string? Reason);

public static class ObjectToPetition
{
    public static StepInput Input(ObjectRequest r) => StepInput.Check(
        () => new Domain.Petitions.Object(r.Reason!.Trim()),
        (string.IsNullOrWhiteSpace(r.Reason), "reason", "请说明异议理由（条例第二十三条第三款）"),
        (r.Reason?.Length > StepInput.MaxText, "reason", StepInput.TooLong));
}
