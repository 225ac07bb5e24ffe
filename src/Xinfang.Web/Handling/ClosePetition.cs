using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>办结: a replied or reviewed matter whose review window lapsed (the sweep does it too), or a diverted route finished.</summary>
public sealed record CloseRequest(string? Note);

public static class ClosePetition
{
    public static StepInput Input(CloseRequest r) => StepInput.Check(() => new Close(r.Note), (r.Note?.Length > StepInput.MaxText, "note", StepInput.TooLong));
}
