using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

/// <summary>
/// Jurisdiction: a unit sees the petitions of its subtree, what was forwarded or assigned to it, what it
/// reviews, and what it first received (首接首办). Anything else is 404 to it.
/// </summary>
public static class Jurisdiction
{
    /// <summary>
    /// The petitions the caller may open: its unit's access rows, less what confidentiality hides from it
    /// (<see cref="NotHiddenFrom"/>). Every read and every step starts here.
    /// </summary>
    public static IQueryable<Petition> Visible(XinfangDb db, Staff staff)
    {
        var unitId = staff.Unit.Id;
        return db.Petitions.Where(p => db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == unitId)).Where(NotHiddenFrom(staff));
    }

    /// <summary>The units on a unit's territorial path, root first, itself last.</summary>
    public static IEnumerable<Guid> PathOf(Unit unit) => PathOf(unit.Path);

    /// <summary>The unit ids of a materialised path "/a/b/c/", root first.</summary>
    public static IEnumerable<Guid> PathOf(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.ParseExact(s, "N"));

    /// <summary>Gives a unit and all its ancestors read access to a petition.</summary>
    public static async Task GrantAsync(XinfangDb db, Petition petition, Guid unitId, CancellationToken ct)
    {
        var path = await db.Units.Where(u => u.Id == unitId).Select(u => u.Path).FirstOrDefaultAsync(ct);
        if (path is null) return;
        var units = PathOf(path).ToList();
        var existing = await db.PetitionAccess.Where(a => a.PetitionId == petition.Id && units.Contains(a.UnitId)).Select(a => a.UnitId).ToListAsync(ct);
        var pending = db.ChangeTracker.Entries<PetitionAccess>().Where(e => e.Entity.PetitionId == petition.Id).Select(e => e.Entity.UnitId);
        foreach (var u in units.Except(existing).Except(pending).ToList())
            db.PetitionAccess.Add(new PetitionAccess { UnitId = u, PetitionId = petition.Id, RegisteredAt = petition.RegisteredAt, Number = petition.Number });
    }

    // Art. 30 ¶3 (domain.md, "Handling paths"): an accusation and the petitioner's identity are never shown to the
    // accused person or unit. The rule lives here, once, in two forms that must agree: as query filters (lists,
    // search, clusters, near-duplicates, work queues page in the store) and as Sight (the view of one loaded matter).
    //  - The accused person's own account (Petition.AccusedUserId) sees nothing, in whatever unit it is now.
    //  - A unit in the accused unit's subtree (the accused unit itself or under it) sees nothing either — not even
    //    that the matter exists — unless it holds the matter or first received it (首接首办): such a unit must
    //    pass it on (never to the accused, Petition.CheckTarget) and sees only a notice, no content, no petitioner.
    //  - Nothing that matches by content or personal data (search, near-duplicates, clusters) ever returns an
    //    accusation to a unit in the accused subtree: matching would confirm what the notice withholds.

    /// <summary>What confidentiality leaves the caller of an existing access row: all of it, only a notice, or nothing.</summary>
    public static Sight SightOf(Staff staff, Petition p)
    {
        if (p.AccusedUserId is { } person && person == staff.User.Id) return Sight.Hidden;
        if (!InAccusedSubtree(staff, p)) return Sight.Full;
        return p.HoldingUnitId == staff.Unit.Id || p.ReceivingUnitId == staff.Unit.Id ? Sight.Notice : Sight.Hidden;
    }

    /// <summary>Query form of <see cref="SightOf"/> ≠ Hidden: the matters the caller may see at least as a notice.</summary>
    public static Expression<Func<Petition, bool>> NotHiddenFrom(Staff staff)
    {
        var user = staff.User.Id;
        var unit = staff.Unit.Id;
        var mine = PathOf(staff.Unit).ToList();
        return p => (p.AccusedUserId == null || p.AccusedUserId != user)
            && !(p.Type == PetitionType.Accusation && p.AccusedUnitId != null && mine.Contains(p.AccusedUnitId.Value)
                 && p.HoldingUnitId != unit && p.ReceivingUnitId != unit);
    }

    /// <summary>Query form of <see cref="SightOf"/> = Full: the matters whose content and petitioners the caller may match against.</summary>
    public static Expression<Func<Petition, bool>> SeenInFullBy(Staff staff)
    {
        var user = staff.User.Id;
        var mine = PathOf(staff.Unit).ToList();
        return p => (p.AccusedUserId == null || p.AccusedUserId != user)
            && !(p.Type == PetitionType.Accusation && p.AccusedUnitId != null && mine.Contains(p.AccusedUnitId.Value));
    }

    static bool InAccusedSubtree(Staff staff, Petition p) =>
        p.Type == PetitionType.Accusation && p.AccusedUnitId is { } accused
        && staff.Unit.Path.Contains("/" + accused.ToString("N") + "/", StringComparison.Ordinal);

    /// <summary>Whether the caller sees the matter only as the confidentiality notice (or not at all).</summary>
    public static bool IsAccused(Staff staff, Petition p) => SightOf(staff, p) != Sight.Full;

    /// <summary>Handling roles see petitioners in full; other roles see them masked.</summary>
    public static bool SeesPersonalData(Staff staff, Petition p) =>
        !IsAccused(staff, p) && staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader);
}

/// <summary>How much of a matter confidentiality (Art. 30 ¶3) lets a staff member see.</summary>
public enum Sight
{
    /// <summary>Everything their role allows.</summary>
    Full,
    /// <summary>That the matter exists and where it stands; title and content replaced by the notice, no petitioners, no accused, no notes.</summary>
    Notice,
    /// <summary>Nothing: 404, absent from every list.</summary>
    Hidden,
}
