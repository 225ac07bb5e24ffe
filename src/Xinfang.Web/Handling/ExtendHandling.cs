using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>延期: once, at most 30 days, approved by the unit's head, the reason told to the petitioner (Art. 34).</summary>
public sealed record ExtendRequest(int? Days, string? Reason, string? ApprovedBy);

public static class ExtendHandling
{
    public static StepInput Input(ExtendRequest r) => StepInput.Check(
        () => new Extend(r.Days!.Value, r.Reason!.Trim(), r.ApprovedBy!.Trim()),
        (r.Days is null or < 1, "days", "请填写延长天数（1至30日）"),
        (string.IsNullOrWhiteSpace(r.Reason), "reason", "请说明延期理由（条例第三十四条）"),
        (string.IsNullOrWhiteSpace(r.ApprovedBy), "approvedBy", "请填写批准延期的单位负责人（条例第三十四条）"),
        (r.Reason?.Length > StepInput.MaxText, "reason", StepInput.TooLong),
        (r.ApprovedBy?.Length > 100, "approvedBy", "批准人姓名不超过100字"));
}
