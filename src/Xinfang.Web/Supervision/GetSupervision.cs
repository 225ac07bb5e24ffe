using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Supervision;

/// <summary>GET /supervisions/{id}: one 督办 in full, for the issuer's, the addressee's and the bureau above's staff.</summary>
public sealed class GetSupervision(XinfangDb db)
{
    public async Task<IResult> HandleAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        return await ViewAsync(db, staff, id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound("督办");
    }

    /// <summary>The 督办 as the caller may see it, or null when it is not theirs to see.</summary>
    public static async Task<SupervisionView?> ViewAsync(XinfangDb db, Staff staff, Guid id, CancellationToken ct)
    {
        var s = await SupervisionScope.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return null;
        var row = (await RowsOf(db, staff, [s], ct)).Single();
        var mayAnswer = s.AwaitsFeedback && s.AddresseeUnitId == staff.Unit.Id && SupervisionScope.Answers(staff);
        var mayDecide = s.Status == SupervisionStatus.Answered && s.IssuerUnitId == staff.Unit.Id && SupervisionScope.Supervises(staff);
        var confidential = row.Title == PetitionView.Confidential;
        return new SupervisionView(row, confidential ? null : s.Note, confidential ? null : s.FeedbackText, confidential ? null : s.FeedbackMeasures,
            s.Returns, confidential ? null : s.ReturnReason, s.EscalatedAt, s.ClosedAt, confidential ? null : s.CloseNote, s.ProposalId, s.Version, mayAnswer, mayDecide);
    }

    /// <summary>
    /// Ledger rows of loaded 督办: the matter's title (or the confidentiality notice, Art. 30 ¶3, for a caller in
    /// the accused unit's subtree) and the units' names, looked up once for the batch.
    /// </summary>
    public static async Task<List<SupervisionRow>> RowsOf(XinfangDb db, Staff staff, IReadOnlyList<Supervision> batch, CancellationToken ct)
    {
        var petitionIds = batch.Select(s => s.PetitionId).Distinct().ToList();
        var matters = await db.Petitions.AsNoTracking().Where(p => petitionIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Title, p.Type, p.AccusedUnitId }).ToDictionaryAsync(p => p.Id, ct);
        var unitIds = batch.SelectMany(s => new[] { s.IssuerUnitId, s.AddresseeUnitId, s.EscalatedToUnitId ?? Guid.Empty }).Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return batch.Select(s =>
        {
            var m = matters.GetValueOrDefault(s.PetitionId);
            var accused = m is { Type: PetitionType.Accusation, AccusedUnitId: { } a } && staff.Unit.Path.Contains("/" + a.ToString("N") + "/", StringComparison.Ordinal);
            return new SupervisionRow(s.Id, s.PetitionId, s.Number, accused ? PetitionView.Confidential : m?.Title ?? "",
                s.Form, SupervisionNames.Of(s.Form), s.Reasons, s.Reasons.Select(SupervisionNames.Of).ToList(),
                s.IssuerUnitId, names.GetValueOrDefault(s.IssuerUnitId) ?? "", s.AddresseeUnitId, names.GetValueOrDefault(s.AddresseeUnitId) ?? "",
                s.IssuedOn, s.DueOn, s.FeedbackOn, s.Status, SupervisionNames.Of(s.Status), s.Late,
                s.EscalatedToUnitId, s.EscalatedToUnitId is { } e ? names.GetValueOrDefault(e) : null, s.IssuedAt.ToOffset(Domain.Deadlines.ChinaTime.Offset));
        }).ToList();
    }
}
