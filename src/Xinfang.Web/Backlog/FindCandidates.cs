using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Backlog;

/// <summary>A matter that meets the campaign's criteria; <c>reasons</c>: repeats, openTooLong, afterFinal.</summary>
public sealed record CandidateView(
    Guid PetitionId, string Number, string Title, PetitionStatus Status, string StatusName, DateTimeOffset ReceivedAt,
    int Repeats, int DaysOpen, IReadOnlyList<string> Reasons, Guid HoldingUnitId);

public sealed record CandidateList(IReadOnlyList<CandidateView> Items, bool Truncated);

/// <summary>
/// Candidates of a campaign (GET /api/v1/backlog-campaigns/{id}/candidates): matters of the campaign unit's subtree,
/// not yet listed in it, meeting any criterion — repeated at least N times (repeatOf links, counted along chains),
/// open longer than N days since receipt, or petitioned again after final closure (Art. 36 ¶3). Each criterion
/// is its own indexed query (petitions.repeat_of_id, the unit's petition_access rows); nothing scans every matter.
/// </summary>
public sealed class FindCandidates(XinfangDb db, TimeProvider time)
{
    public const int MaxCandidates = 500;
    public static readonly string Repeats = "repeats", OpenTooLong = "openTooLong", AfterFinal = "afterFinal";

    public async Task<IResult> HandleAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.HasAny(BacklogAccess.Organisers)) return Problems.Forbidden();
        if (await BacklogAccess.ReachAsync(db, staff, id, ct) is not { WholeCampaign: true } reach) return BacklogAccess.NotFound();
        return TypedResults.Ok(await ListAsync(reach.Campaign, staff, ct));
    }

    public async Task<CandidateList> ListAsync(BacklogCampaign campaign, Staff staff, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // The campaign unit's subtree (its access rows), as far as the caller sees matters in full (Art. 30 ¶3).
        var unitId = campaign.UnitId;
        var inScope = Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff))
            .Where(p => db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == unitId))
            .Where(p => !db.Set<BacklogMember>().Any(m => m.CampaignId == campaign.Id && m.PetitionId == p.Id));

        var reasons = new Dictionary<Guid, List<string>>();
        void Add(Guid petition, string reason) => (reasons.TryGetValue(petition, out var l) ? l : reasons[petition] = []).Add(reason);

        var repeats = await RepeatCountsAsync(unitId, ct);
        if (campaign.MinRepeats is { } min)
        {
            var roots = repeats.Where(r => r.Value >= min).Select(r => r.Key).ToList();
            foreach (var chunk in roots.Chunk(500))
                foreach (var pid in await inScope.Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)) Add(pid, Repeats);
        }
        if (campaign.OpenLongerThanDays is { } days)
        {
            var cutoff = now.AddDays(-days);
            var terminal = Workflow.Terminal.ToList();
            foreach (var pid in await inScope.Where(p => !terminal.Contains(p.Status) && p.ReceivedAt < cutoff)
                         .OrderBy(p => p.ReceivedAt).Select(p => p.Id).Take(MaxCandidates + 1).ToListAsync(ct)) Add(pid, OpenTooLong);
        }
        if (campaign.PetitioningAfterFinal)
        {
            // A new petition linked to a matter closed for good, registered after that closure.
            foreach (var pid in await inScope.Where(p => p.Status == PetitionStatus.Final
                             && db.Petitions.Any(r => r.RepeatOfId == p.Id && p.ClosedAt != null && r.RegisteredAt > p.ClosedAt))
                         .Select(p => p.Id).Take(MaxCandidates + 1).ToListAsync(ct)) Add(pid, AfterFinal);
        }

        var ids = reasons.Keys.ToList();
        var rows = new List<CandidateView>();
        foreach (var chunk in ids.Chunk(500))
        {
            var found = await db.Petitions.AsNoTracking().Where(p => chunk.Contains(p.Id))
                .Select(p => new { p.Id, p.Number, p.Title, p.Status, p.ReceivedAt, p.HoldingUnitId, p.ClosedAt }).ToListAsync(ct);
            rows.AddRange(found.Select(p => new CandidateView(p.Id, p.Number, p.Title, p.Status, StatusNames.Of(p.Status), p.ReceivedAt,
                repeats.GetValueOrDefault(p.Id), (int)((p.ClosedAt ?? now) - p.ReceivedAt).TotalDays, reasons[p.Id], p.HoldingUnitId)));
        }
        var ordered = rows.OrderByDescending(r => r.Reasons.Count).ThenByDescending(r => r.Repeats).ThenBy(r => r.ReceivedAt).ToList();
        return new CandidateList(ordered.Take(MaxCandidates).ToList(), ordered.Count > MaxCandidates);
    }

    /// <summary>
    /// How many petitions repeat each matter of the unit's subtree: a GROUP BY over the repeat_of_id index, limited
    /// to originals the unit has access rows for (wherever the repeat itself was registered), then each count carried
    /// up to the root of its chain (a repeat of a repeat counts for the original, too).
    /// </summary>
    async Task<Dictionary<Guid, int>> RepeatCountsAsync(Guid unitId, CancellationToken ct)
    {
        var direct = await db.Petitions.Where(p => p.RepeatOfId != null && db.PetitionAccess.Any(a => a.PetitionId == p.RepeatOfId && a.UnitId == unitId))
            .GroupBy(p => p.RepeatOfId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(ct);
        var counts = direct.ToDictionary(d => d.Id, d => d.Count);
        // Parents of the matters that are themselves repeats (chains are short: registration links to the root).
        var parents = new Dictionary<Guid, Guid>();
        var pending = counts.Keys.ToList();
        for (var depth = 0; depth < 10 && pending.Count > 0; depth++)
        {
            var next = new List<Guid>();
            foreach (var chunk in pending.Chunk(500))
                foreach (var x in await db.Petitions.Where(p => chunk.Contains(p.Id) && p.RepeatOfId != null).Select(p => new { p.Id, Parent = p.RepeatOfId!.Value }).ToListAsync(ct))
                    if (parents.TryAdd(x.Id, x.Parent)) next.Add(x.Parent);
            pending = next.Where(n => !parents.ContainsKey(n)).Distinct().ToList();
        }
        var total = new Dictionary<Guid, int>(counts);
        foreach (var (child, count) in counts)
        {
            var seen = new HashSet<Guid> { child };
            for (var at = child; parents.TryGetValue(at, out var up) && seen.Add(up); at = up)
                total[up] = total.GetValueOrDefault(up) + count;
        }
        return total;
    }
}
