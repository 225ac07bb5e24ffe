using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>撤回: the petitioner withdraws an open matter; staff record it.</summary>
public sealed record WithdrawRequest(string? Reason);

public static class WithdrawPetition
{
    public static StepInput Input(WithdrawRequest r) => StepInput.Check(
        () => new Withdraw(r.Reason!.Trim()),
        (string.IsNullOrWhiteSpace(r.Reason), "reason", "请说明撤回理由"),
        (r.Reason?.Length > StepInput.MaxText, "reason", StepInput.TooLong));
}
