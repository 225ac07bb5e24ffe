using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Routing;

/// <summary>转送: the bureau sends the matter to the unit with power to handle it (Art. 22).</summary>
public sealed record ForwardRequest(Guid? UnitId, string? Note);

public static class ForwardPetition
{
    public static StepInput Input(ForwardRequest r) => StepInput.Check(
        () => new Forward(r.UnitId!.Value, r.Note),
        (r.UnitId is null, "unitId", "请选择转送单位"),
        (r.Note?.Length > StepInput.MaxText, "note", StepInput.TooLong));
}
