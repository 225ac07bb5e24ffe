using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Supervision;

/// <summary>POST /supervision-proposals/{id}/dismiss: <c>reason</c> — why no 督办 is needed.</summary>
public sealed record DismissProposalRequest(string? Reason);

/// <summary>
/// 督办建议 raised by the sweep: GET /supervision-proposals lists the open ones a supervisor or leader of a petition
/// bureau decides on (its territory holds the matter); they issue a 督办 from one (the same body and rules as a
/// direct 督办) or dismiss it with a reason (audited).
/// </summary>
public sealed class SupervisionProposals(XinfangDb db, CreateSupervision create, TimeProvider time)
{
    public const int MaxReason = 1000;
    public const int MaxItems = 500;

    public async Task<IResult> ListAsync(Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以查看督办建议");
        return TypedResults.Ok(new Listing<ProposalView>(await OpenAsync(staff, ct)));
    }

    /// <summary>The caller's open proposals, the longest overdue first.</summary>
    public async Task<List<ProposalView>> OpenAsync(Staff staff, CancellationToken ct)
    {
        var open = await SupervisionScope.Proposals(db, staff).Where(x => x.Status == ProposalStatus.Open)
            .OrderBy(x => x.ClockDueOn).ThenBy(x => x.Number).Take(MaxItems).AsNoTracking().ToListAsync(ct);
        return await ViewsAsync(staff, open, ct);
    }

    async Task<List<ProposalView>> ViewsAsync(Staff staff, List<SupervisionProposal> list, CancellationToken ct)
    {
        var ids = list.Select(x => x.PetitionId).ToList();
        var matters = await db.Petitions.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Title, p.Type, p.AccusedUnitId, p.HoldingUnitId }).ToDictionaryAsync(p => p.Id, ct);
        var unitIds = matters.Values.Select(m => m.HoldingUnitId).Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        return list.Select(x =>
        {
            var m = matters[x.PetitionId];
            var accused = m is { Type: PetitionType.Accusation, AccusedUnitId: { } a } && staff.Unit.Path.Contains("/" + a.ToString("N") + "/", StringComparison.Ordinal);
            return new ProposalView(x.Id, x.PetitionId, x.Number, accused ? PetitionView.Confidential : m.Title, m.HoldingUnitId, names.GetValueOrDefault(m.HoldingUnitId) ?? "",
                x.ClockName, SupervisionNames.Of(x.ClockName), x.ClockDueOn, Math.Max(0, today.DayNumber - x.ClockDueOn.DayNumber),
                x.RaisedAt.ToOffset(ChinaTime.Offset), x.Status, x.DismissReason, x.SupervisionId);
        }).ToList();
    }

    public async Task<IResult> IssueAsync(Guid id, SupervisionRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以督办");
        var proposal = await SupervisionScope.Proposals(db, staff).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (proposal is null) return Problems.NotFound("督办建议");
        if (proposal.Status != ProposalStatus.Open) return Decided(proposal);
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == proposal.PetitionId, ct);
        if (petition is null) return Problems.NotFound("督办建议");
        return await create.IssueAsync(petition, body, staff, proposal, ct);
    }

    public async Task<IResult> DismissAsync(Guid id, DismissProposalRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !SupervisionScope.Supervises(staff)) return Problems.Forbidden("只有督查员或单位负责人可以处理督办建议");
        var proposal = await SupervisionScope.Proposals(db, staff).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (proposal is null) return Problems.NotFound("督办建议");
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Problems.Validation("reason", "请说明不予督办的理由");
        if (reason.Length > MaxReason) return Problems.Validation("reason", $"理由不超过{MaxReason}字");
        if (proposal.Status != ProposalStatus.Open) return Decided(proposal);
        proposal.Status = ProposalStatus.Dismissed;
        proposal.DismissReason = reason;
        proposal.DecidedAt = time.GetUtcNow();
        proposal.DecidedByUserId = staff.User.Id;
        proposal.Version++;
        try
        {
            await AuditTrail.For(db).SaveAsync(AuditRecord.Of("supervisionProposal.dismissed", staff, "supervisionProposal", proposal.Id, new { proposal.Number, proposal.PetitionId }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Make(StatusCodes.Status409Conflict, "concurrent-change", "该督办建议正被他人同时处理，请刷新后重试");
        }
        return TypedResults.Ok((await ViewsAsync(staff, [proposal], ct))[0]);
    }

    static IResult Decided(SupervisionProposal p) => Problems.Make(StatusCodes.Status409Conflict, "proposal-decided",
        p.Status == ProposalStatus.Issued ? "该督办建议已督办" : "该督办建议已不予督办");
}
