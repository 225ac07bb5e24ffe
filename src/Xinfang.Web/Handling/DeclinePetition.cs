using Xinfang.Domain.Petitions;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>不予受理, telling the petitioner where the matter belongs instead.</summary>
public sealed record DeclineRequest(string? Reason, string? Redirect);

public static class DeclinePetition
{
    public static StepInput Input(DeclineRequest r) => StepInput.Check(
        () => new Decline(r.Reason!.Trim(), RegisterPetition.ParseEnum<Redirect>(r.Redirect)),
        (string.IsNullOrWhiteSpace(r.Reason), "reason", "请说明不予受理的理由"),
        (r.Reason?.Length > StepInput.MaxText, "reason", StepInput.TooLong),
        (r.Redirect is not null && RegisterPetition.ParseEnum<Redirect>(r.Redirect) is null, "redirect", "导向途径应为 litigation、arbitration、partyAppeal、administrative 或 other"));
}
