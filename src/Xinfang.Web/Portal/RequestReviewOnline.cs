using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Portal;

public sealed record PublicReviewRequest(string? QueryCode, string? Reason, Guid? UnitId);
public sealed record PublicWithdrawal(string? QueryCode, string? Reason);

/// <summary>
/// From the status page the petitioner asks for review (复查) or re-review (复核) of the latest opinion, choosing
/// among the eligible bodies, or withdraws the matter. Both are workflow steps by the petitioner as actor.
/// </summary>
public sealed class PetitionerSteps(PetitionerAccess access, PetitionWorkflow workflow)
{
    public async Task<PortalError?> RequestReviewAsync(string number, PublicReviewRequest r, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.Reason)) errors["reason"] = ["请说明申请复查（复核）的理由"];
        else if (r.Reason.Length > StepInput.MaxText) errors["reason"] = [StepInput.TooLong];
        if (r.UnitId is null) errors["unitId"] = ["请选择受理申请的机关"];
        if (errors.Count > 0) return PortalError.Invalid(errors);
        var (petition, error) = await access.OpenAsync(number, r.QueryCode, ct);
        if (petition is null) return error;
        var context = workflow.Context() with { ReviewBodies = await workflow.ReviewBodiesAsync(petition, ct) };
        PetitionCommand command = petition.Status == PetitionStatus.Reviewed
            ? new RequestReReview(context.Today, r.Reason!.Trim(), r.UnitId!.Value)
            : new RequestReview(context.Today, r.Reason!.Trim(), r.UnitId!.Value);
        return await ApplyAsync(petition, command, context, ct);
    }

    public async Task<PortalError?> WithdrawAsync(string number, PublicWithdrawal r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Reason)) return PortalError.Invalid("reason", "请说明撤回理由");
        if (r.Reason.Length > StepInput.MaxText) return PortalError.Invalid("reason", StepInput.TooLong);
        var (petition, error) = await access.OpenAsync(number, r.QueryCode, ct);
        if (petition is null) return error;
        return await ApplyAsync(petition, new Withdraw(r.Reason.Trim()), workflow.Context(), ct);
    }

    async Task<PortalError?> ApplyAsync(Petition petition, PetitionCommand command, WorkflowContext context, CancellationToken ct)
    {
        var outcome = petition.Apply(command, Actor.Petitioner, context);
        if (outcome.Error is { } refused) return PortalError.Of(refused);
        return await workflow.SaveStepAsync(petition, outcome.Event!, ct) switch
        {
            PetitionWorkflow.StepSaved.Saved => null,
            PetitionWorkflow.StepSaved.TooLong => PortalError.Invalid("reason", StepInput.TooLong),
            _ => new PortalError(409, "concurrent-change", "事项状态刚刚发生变化，请刷新后重试"),
        };
    }
}
