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
    public static IQueryable<Petition> Visible(XinfangDb db, Staff staff)
    {
        var unitId = staff.Unit.Id;
        return db.Petitions.Where(p => db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == unitId));
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

    /// <summary>
    /// Art. 30 ¶3: the accusation's content and the petitioner's identity never reach the accused unit
    /// (nor the units under it).
    /// </summary>
    public static bool IsAccused(Staff staff, Petition p) =>
        p.Type == PetitionType.Accusation && p.AccusedUnitId is { } accused
        && staff.Unit.Path.Contains("/" + accused.ToString("N") + "/", StringComparison.Ordinal);

    /// <summary>Handling roles see petitioners in full; other roles see them masked.</summary>
    public static bool SeesPersonalData(Staff staff, Petition p) =>
        !IsAccused(staff, p) && staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader);
}
