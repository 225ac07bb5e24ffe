using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Measures;
using Xinfang.Web.Dashboard;
using Xinfang.Web.Data;

namespace Xinfang.Web.Backlog;

/// <summary>
/// 积案化解率 for the dashboard (domain.md "Measures": backlog struck off ÷ backlog listed): the members of the
/// campaigns run by units of the scope's subtree whose period overlaps the dashboard's, counted by their state now.
/// </summary>
public sealed class BacklogFigures(XinfangDb db) : IBacklogFigures
{
    public async Task<BacklogCounts> CountAsync(Guid scopeUnitId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var path = await db.Units.AsNoTracking().Where(u => u.Id == scopeUnitId).Select(u => u.Path).FirstOrDefaultAsync(ct);
        if (path is null) return new BacklogCounts(0, 0);
        var campaigns = db.Set<BacklogCampaign>().AsNoTracking()
            .Where(c => c.StartsOn <= to && c.EndsOn >= from && db.Units.Any(u => u.Id == c.UnitId && u.Path.StartsWith(path)))
            .Select(c => c.Id);
        var members = db.Set<BacklogMember>().AsNoTracking().Where(m => campaigns.Contains(m.CampaignId));
        var listed = await members.CountAsync(ct);
        var struckOff = listed == 0 ? 0 : await members.CountAsync(m => m.Status == MemberStatus.StruckOff, ct);
        return new BacklogCounts(struckOff, listed);
    }
}
