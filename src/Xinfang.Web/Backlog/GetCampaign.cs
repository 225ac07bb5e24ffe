using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record CriteriaView(int? MinRepeats, int? OpenLongerThanDays, bool PetitioningAfterFinal);

/// <summary>A campaign's figures; <c>resolutionRate</c> is 积案化解率 = struck off ÷ listed (domain.md, "Measures"), null while nothing is listed.</summary>
public sealed record ProgressView(int Listed, int Reported, int StruckOff, int SentBack, int Relapsed, int RechecksDue, double? ResolutionRate)
{
    public static ProgressView Of(BacklogProgress p) => new(p.Listed, p.Reported, p.StruckOff, p.SentBack, p.Relapsed, p.RechecksDue, p.ResolutionRate);
    public static readonly ProgressView Empty = Of(new BacklogProgress(0, 0, 0, 0, 0, 0));
    /// <summary>The rate as a whole percentage for pages ("90%"), or "—".</summary>
    public string RatePercent => ResolutionRate is { } r ? $"{Math.Round(r * 100, 1):0.#}%" : "—";
    public int RateWidth => ResolutionRate is { } r ? (int)Math.Round(r * 100) : 0;
}

public sealed record CampaignView(
    Guid Id, string Name, Guid UnitId, string UnitName, DateOnly StartsOn, DateOnly EndsOn, CriteriaView Criteria,
    ProgressView Progress, bool Running, bool WholeCampaign, DateTimeOffset CreatedAt, int Version);

/// <summary>One campaign with its progress (GET /api/v1/backlog-campaigns/{id}).</summary>
public sealed class GetCampaign(XinfangDb db, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!BacklogAccess.IsReader(staff)) return Problems.Forbidden();
        var view = await ViewAsync(id, staff, ct);
        return view is null ? BacklogAccess.NotFound() : new ETagged(TypedResults.Ok(view), view.Version);
    }

    public async Task<CampaignView?> ViewAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (await BacklogAccess.ReachAsync(db, staff, id, ct) is not { } reach) return null;
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var progress = await ProgressAsync(db, [id], today, ct);
        return Of(reach.Campaign, reach.Unit.Name, progress.GetValueOrDefault(id) ?? ProgressView.Empty, today, reach.WholeCampaign);
    }

    public static CampaignView Of(BacklogCampaign c, string unitName, ProgressView progress, DateOnly today, bool whole) =>
        new(c.Id, c.Name, c.UnitId, unitName, c.StartsOn, c.EndsOn, new CriteriaView(c.MinRepeats, c.OpenLongerThanDays, c.PetitioningAfterFinal),
            progress, today >= c.StartsOn && today <= c.EndsOn, whole, c.CreatedAt, c.Version);

    /// <summary>The figures of several campaigns in one grouped query over their members (no query per campaign).</summary>
    public static async Task<Dictionary<Guid, ProgressView>> ProgressAsync(XinfangDb db, IReadOnlyCollection<Guid> ids, DateOnly today, CancellationToken ct)
    {
        var rows = await db.Set<BacklogMember>().Where(m => ids.Contains(m.CampaignId)).GroupBy(m => m.CampaignId)
            .Select(g => new
            {
                g.Key,
                Listed = g.Count(),
                Reported = g.Count(m => m.Status == MemberStatus.Reported),
                StruckOff = g.Count(m => m.Status == MemberStatus.StruckOff),
                SentBack = g.Count(m => m.Returns > 0),
                Relapsed = g.Count(m => m.Relapses > 0),
                Due = g.Count(m => m.Status == MemberStatus.StruckOff && m.RecheckedAt == null && m.RecheckDueOn <= today),
            }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Key, r => ProgressView.Of(new BacklogProgress(r.Listed, r.Reported, r.StruckOff, r.SentBack, r.Relapsed, r.Due)));
    }
}
