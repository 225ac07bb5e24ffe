using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Analysis;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.ClusterResolution;

/// <summary>A member of a cluster under resolution: where it stands, and whether the caller may reply to it now.</summary>
public sealed record ResolutionMember(Guid Id, string Number, string Title, PetitionStatus Status, string StatusName, DateOnly? RepliedOn, bool CanReply);

/// <summary>
/// GET /api/v1/clusters/{key}/resolution: the lead unit and measure (null until designated), the members the caller
/// sees, and how far they are resolved: <see cref="Replied"/> have a written opinion delivered, <see cref="Closed"/>
/// are completed or finally closed, <see cref="Resolved"/> are either (化解), <see cref="ResolutionShare"/> is
/// resolved ÷ members (0 when there are none).
/// </summary>
public sealed record ClusterResolutionView(string Key, bool Designated, Guid? LeadUnitId, string? LeadUnitName, string? Measure,
    DateTimeOffset? DesignatedAt, IReadOnlyList<string> Terms, IReadOnlyList<ResolutionMember> Members,
    int Total, int Replied, int Closed, int Resolved, double ResolutionShare);

/// <summary>
/// Finds what a cluster key means for a caller: the stored resolution (its member snapshot) and the cluster as the
/// caller's jurisdiction groups it today. The lead unit usually cannot recompute the cluster (it sees only what was
/// sent to it), so the snapshot is what it works from; anyone else works from whichever they see.
/// </summary>
public sealed class TrackClusterResolution(XinfangDb db, CaseClusters clusters, TimeProvider time)
{
    public sealed record Found(CaseClusterResolution? Resolution, ClusterView? Cluster, IReadOnlyList<Petition> Members)
    {
        public bool Any => Members.Count > 0;
    }

    /// <summary>
    /// The members the caller may see (the snapshot's and the current cluster's, in full sight only), loaded
    /// without tracking; none when the key names nothing the caller sees (a 404).
    /// </summary>
    public async Task<Found> FindAsync(Staff staff, string key, CancellationToken ct)
    {
        if (!WellFormed(key)) return new(null, null, []);
        var resolution = await db.Set<CaseClusterResolution>().AsNoTracking().FirstOrDefaultAsync(r => r.ClusterKey == key, ct);
        var cluster = await clusters.GetAsync(staff, key, ct);
        var ids = (resolution?.MemberIds ?? []).Concat(cluster?.Members.Select(m => m.Id) ?? []).Distinct().ToList();
        if (ids.Count == 0) return new(resolution, cluster, []);
        var members = await Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff)).AsNoTracking()
            .Where(p => ids.Contains(p.Id)).OrderByDescending(p => p.ReceivedAt).ThenByDescending(p => p.Number).ToListAsync(ct);
        return new(resolution, cluster, members);
    }

    /// <summary>Keys are made by CaseClusters.KeyOf: letters, digits and underscores, short.</summary>
    public static bool WellFormed(string? key) =>
        key is { Length: > 0 and <= CaseClusterResolution.MaxKey } && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public async Task<IResult> HandleAsync(Staff staff, string key, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var view = await ViewAsync(staff, key, ct);
        return view is null ? Problems.NotFound("类案") : TypedResults.Ok(view);
    }

    public async Task<ClusterResolutionView?> ViewAsync(Staff staff, string key, CancellationToken ct)
    {
        var found = await FindAsync(staff, key, ct);
        if (!found.Any) return null;
        var r = found.Resolution;
        // Tracking follows the snapshot once a measure is set; before, the cluster as the caller sees it.
        var members = r is null ? found.Members : found.Members.Where(m => r.MemberIds.Contains(m.Id)).ToList();
        var lead = r is null ? null : await db.Units.AsNoTracking().Where(u => u.Id == r.LeadUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        var actor = staff.Actor;
        var list = members.Select(p => new ResolutionMember(p.Id, p.Number, p.Title, p.Status, StatusNames.Of(p.Status), p.RepliedOn,
            p.Offers(PetitionAction.Reply, actor))).ToList();
        var replied = members.Count(p => p.RepliedOn is not null);
        var closed = members.Count(p => p.Status is PetitionStatus.Closed or PetitionStatus.Final);
        var resolved = members.Count(p => p.RepliedOn is not null || p.Status is PetitionStatus.Closed or PetitionStatus.Final);
        var terms = found.Cluster?.TopTerms ?? (r is null ? [] : r.Terms.Split('、', StringSplitOptions.RemoveEmptyEntries));
        return new ClusterResolutionView(key, r is not null, r?.LeadUnitId, lead, r?.Measure, r?.DesignatedAt, terms, list,
            list.Count, replied, closed, resolved, list.Count == 0 ? 0 : Math.Round((double)resolved / list.Count, 4));
    }

    /// <summary>
    /// The cluster page of a caller who cannot recompute the cluster (the lead unit): the snapshot's members it
    /// sees, as a cluster view. Null when there is no resolution or the caller sees none of it.
    /// </summary>
    public async Task<ClusterView?> SnapshotViewAsync(Staff staff, string key, CancellationToken ct)
    {
        var found = await FindAsync(staff, key, ct);
        if (found.Resolution is not { } r || !found.Any) return null;
        var now = time.GetUtcNow();
        var members = found.Members.Where(m => r.MemberIds.Contains(m.Id)).ToList();
        if (members.Count == 0) return null;
        var last7 = members.Count(m => m.ReceivedAt >= now.AddDays(-7));
        var last30 = members.Count(m => m.ReceivedAt >= now.AddDays(-30));
        return new ClusterView(key, members.Count, new ClusterGrowth(last7, last30, members.Count - last30), r.Terms.Split('、', StringSplitOptions.RemoveEmptyEntries),
            members.Select(p => new ClusterMember(p.Id, p.Number, p.Title, p.Status, StatusNames.Of(p.Status), p.ReceivedAt)).ToList());
    }
}
