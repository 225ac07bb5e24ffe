using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Routing;

/// <summary>交办: the bureau assigns the matter and sets when the result must be reported back (Art. 22 (3)).</summary>
public sealed record AssignRequest(Guid? UnitId, DateOnly? ReportDueOn, string? Note);

public static class AssignPetition
{
    public static StepInput Input(AssignRequest r) => StepInput.Check(
        () => new Assign(r.UnitId!.Value, r.ReportDueOn, r.Note),
        (r.UnitId is null, "unitId", "请选择交办单位"),
        (r.Note?.Length > StepInput.MaxText, "note", StepInput.TooLong));
}
