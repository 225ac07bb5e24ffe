using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

public sealed record RecheckView(Guid CampaignId, string CampaignName, MemberLedgerRow Member, bool Due);

/// <summary>
/// Pending re-checks (回头看) of the campaigns of the caller's unit and below (GET /api/v1/backlog-campaigns/rechecks):
/// struck-off members not yet re-checked, by due day; <c>due=true</c> keeps those due today or earlier. Read over
/// the (status, recheck_due_on) index: it costs what is pending, not what was ever struck off.
/// </summary>
public sealed class ListRechecks(XinfangDb db, TimeProvider time, MemberLedger ledger)
{
    public async Task<IResult> HandleAsync(Staff staff, bool? due, Guid? campaignId, int? limit, CancellationToken ct)
    {
        if (!BacklogAccess.IsReader(staff)) return Problems.Forbidden();
        if (limit is < 1 or > ListCampaigns.MaxLimit) return Problems.Validation("limit", $"每页条数为1至{ListCampaigns.MaxLimit}");
        return TypedResults.Ok(new Listing<RecheckView>(await ListAsync(staff, due ?? false, campaignId, limit ?? ListCampaigns.MaxLimit, ct)));
    }

    public async Task<IReadOnlyList<RecheckView>> ListAsync(Staff staff, bool dueOnly, Guid? campaignId, int take, CancellationToken ct)
    {
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var path = staff.Unit.Path;
        var campaigns = db.Set<BacklogCampaign>().Where(c => db.Units.Any(u => u.Id == c.UnitId && u.Path.StartsWith(path)));
        if (campaignId is { } only) campaigns = campaigns.Where(c => c.Id == only);
        var query = db.Set<BacklogMember>().AsNoTracking()
            .Where(m => m.Status == MemberStatus.StruckOff && m.RecheckDueOn != null && m.RecheckedAt == null)
            .Where(m => campaigns.Any(c => c.Id == m.CampaignId));
        if (dueOnly) query = query.Where(m => m.RecheckDueOn <= today);
        var members = await query.OrderBy(m => m.RecheckDueOn).ThenBy(m => m.Id).Take(take).ToListAsync(ct);
        var rows = await ledger.ToRowsAsync(members, staff, ct);
        var ids = members.Select(m => m.CampaignId).Distinct().ToList();
        var names = await db.Set<BacklogCampaign>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return rows.Select(r => new RecheckView(r.CampaignId, names.GetValueOrDefault(r.CampaignId) ?? "", r, r.RecheckDueOn <= today)).ToList();
    }
}
