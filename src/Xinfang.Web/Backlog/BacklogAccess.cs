using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

/// <summary>A campaign as one caller reaches it: through its unit (at or above the campaign's unit), or as an owner of some of its members.</summary>
public sealed record CampaignReach(BacklogCampaign Campaign, Unit Unit, bool WholeCampaign)
{
    /// <summary>The members this caller sees: all of them from the campaign's unit or above, else only those they own.</summary>
    public IQueryable<BacklogMember> Members(XinfangDb db, Staff staff) =>
        WholeCampaign
            ? db.Set<BacklogMember>().Where(m => m.CampaignId == Campaign.Id)
            : db.Set<BacklogMember>().Where(m => m.CampaignId == Campaign.Id && m.OwnerUserId == staff.User.Id);

    public MemberActor ActorFor(Staff staff, BacklogMember member) => new(
        staff.User.Id,
        IsOwner: member.OwnerUserId == staff.User.Id,
        Supervises: WholeCampaign && staff.Has(Role.Supervisor),
        Leads: WholeCampaign && staff.Has(Role.UnitLeader));
}

/// <summary>
/// Who reaches backlog campaigns (domain.md, "Supervision and accountability"; jurisdiction as everywhere: a unit
/// sees its own subtree). A campaign belongs to a unit; its staff and the staff of the units above see it whole;
/// a member's owner (责任人), wherever they sit, sees the campaign and their own members. Anyone else gets 404.
/// </summary>
public static class BacklogAccess
{
    /// <summary>Roles that read campaigns and their progress.</summary>
    public static readonly Role[] Readers = [Role.Caseworker, Role.UnitLeader, Role.Supervisor, Role.Analyst];
    /// <summary>Roles that create campaigns and list matters in them.</summary>
    public static readonly Role[] Organisers = [Role.UnitLeader, Role.Supervisor];
    /// <summary>Roles that may report a resolution (the domain narrows it to the owner, or leaders and supervisors of the campaign).</summary>
    public static readonly Role[] Reporters = [Role.Caseworker, Role.UnitLeader, Role.Supervisor];
    /// <summary>Roles that re-check (回头看).</summary>
    public static readonly Role[] Recheckers = [Role.UnitLeader, Role.Supervisor];

    /// <summary>The campaigns a caller reaches as a query: their unit's subtree, or one of their own members.</summary>
    public static IQueryable<BacklogCampaign> Visible(XinfangDb db, Staff staff)
    {
        var path = staff.Unit.Path;
        var me = staff.User.Id;
        return db.Set<BacklogCampaign>().Where(c =>
            db.Units.Any(u => u.Id == c.UnitId && u.Path.StartsWith(path))
            || db.Set<BacklogMember>().Any(m => m.CampaignId == c.Id && m.OwnerUserId == me));
    }

    public static async Task<CampaignReach?> ReachAsync(XinfangDb db, Staff staff, Guid id, CancellationToken ct, bool track = false)
    {
        var campaigns = track ? db.Set<BacklogCampaign>() : db.Set<BacklogCampaign>().AsNoTracking();
        var campaign = await campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return null;
        var unit = await db.Units.AsNoTracking().FirstAsync(u => u.Id == campaign.UnitId, ct);
        if (staff.Unit.Contains(unit)) return new(campaign, unit, true);
        var owns = await db.Set<BacklogMember>().AnyAsync(m => m.CampaignId == id && m.OwnerUserId == staff.User.Id, ct);
        return owns ? new(campaign, unit, false) : null;
    }

    public static bool IsReader(Staff staff) => staff.HasAny(Readers);

    public static IResult NotFound() => Problems.NotFound("积案专项工作");
    public static IResult MemberNotFound() => Problems.NotFound("积案");
}
