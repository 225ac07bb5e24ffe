using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Ownership;

/// <summary>
/// The outcome as 三到位一处理 (domain.md, "Supervision and accountability"): reasonable claims resolved (解决到位),
/// unreasonable ones explained and counselled (教育疏导到位), hardship relieved (帮扶救助到位), unlawful conduct
/// handled by law (依法处理). At least one part achieved, each achieved part saying what was done, and a summary.
/// Recording it closes the ownership; on the timeline as OwnershipOutcome.
/// </summary>
public sealed class RecordOwnershipOutcome(OwnedMatters owned, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, OutcomeRequest? body, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var (m, refusal) = await owned.OpenForOwnerAsync(id, staff, ifMatch, ct);
        if (m is null) return refusal!;
        var errors = new Dictionary<string, string[]>();
        (bool Achieved, string? Note) Part(OutcomePartRequest? p, string field, string label)
        {
            var achieved = p?.Achieved == true;
            var note = OwnedMatters.Text(p?.Note, field + ".note", label + "情况", OwnershipLimits.Text, required: achieved, errors);
            return (achieved, note);
        }
        var resolved = Part(body?.Resolved, "resolved", OwnershipNames.Resolved);
        var counselled = Part(body?.Counselled, "counselled", OwnershipNames.Counselled);
        var relieved = Part(body?.Relieved, "relieved", OwnershipNames.Relieved);
        var handled = Part(body?.HandledByLaw, "handledByLaw", OwnershipNames.HandledByLaw);
        if (!resolved.Achieved && !counselled.Achieved && !relieved.Achieved && !handled.Achieved)
            errors["outcome"] = ["三到位一处理至少应有一项到位"];
        var summary = OwnedMatters.Text(body?.Summary, "summary", "化解结果", OwnershipLimits.Text, required: true, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        var o = m.Ownership;
        (o.Resolved, o.ResolvedNote) = resolved;
        (o.Counselled, o.CounselledNote) = counselled;
        (o.Relieved, o.RelievedNote) = relieved;
        (o.HandledByLaw, o.HandledByLawNote) = handled;
        o.OutcomeSummary = summary;
        o.Status = OwnershipStatus.Closed;
        o.EndedAt = now;
        o.EndedByUserId = staff.User.Id;
        o.Version++;
        var achieved = new[] { (resolved.Achieved, OwnershipNames.Resolved), (counselled.Achieved, OwnershipNames.Counselled), (relieved.Achieved, OwnershipNames.Relieved), (handled.Achieved, OwnershipNames.HandledByLaw) }
            .Where(x => x.Item1).Select(x => x.Item2);
        var e = m.Petition.Annotate(PetitionAction.OwnershipOutcome, staff.Actor, now, $"包案结果（{string.Join("、", achieved)}）：{summary}", new
        {
            ownershipId = id, resolved = resolved.Achieved, counselled = counselled.Achieved, relieved = relieved.Achieved, handledByLaw = handled.Achieved,
        });
        return await owned.SaveAsync(m, e, staff, ifMatch, ct);
    }
}
