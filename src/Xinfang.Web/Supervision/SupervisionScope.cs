using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Supervision;

/// <summary>
/// Who supervises whom. Art. 40 gives 督办 to the petition bureaus of the Party committees and governments over the
/// units of their territory; a unit's own leaders supervise their own subtree. So the territory of a petition bureau
/// is its parent government's subtree (the county bureau supervises the county's departments, which are not under
/// it in the tree but beside it), and every other unit's territory is its own subtree.
/// </summary>
public static class SupervisionScope
{
    /// <summary>The roles that issue, close and send back a 督办 (督查员, 单位负责人).</summary>
    public static bool Supervises(Staff staff) => staff.HasAny(Role.Supervisor, Role.UnitLeader);

    /// <summary>The roles of the addressee that answer it in writing (承办人, 单位负责人).</summary>
    public static bool Answers(Staff staff) => staff.HasAny(Role.Caseworker, Role.UnitLeader);

    /// <summary>The materialised path whose subtree is the unit's territory of supervision.</summary>
    public static string TerritoryOf(Unit unit) =>
        unit.Kind == UnitKind.PetitionBureau && unit.ParentId is not null ? ParentPath(unit.Path) : unit.Path;

    /// <summary>"/a/b/c/" → "/a/b/".</summary>
    public static string ParentPath(string path)
    {
        var trimmed = path.TrimEnd('/');
        var cut = trimmed.LastIndexOf('/');
        return cut < 0 ? "/" : trimmed[..(cut + 1)];
    }

    public static bool Covers(Unit supervisor, string path) => path.StartsWith(TerritoryOf(supervisor), StringComparison.Ordinal);

    /// <summary>
    /// The 督办 a caller may see: of a matter they may open (Jurisdiction, with its confidentiality) and issued,
    /// addressed or escalated within their territory.
    /// </summary>
    public static IQueryable<Supervision> Visible(XinfangDb db, Staff staff)
    {
        var territory = TerritoryOf(staff.Unit);
        var matters = Jurisdiction.Visible(db, staff);
        var units = db.Units.Where(u => u.Path.StartsWith(territory));
        return db.Set<Supervision>().Where(s => matters.Any(p => p.Id == s.PetitionId)
            && units.Any(u => u.Id == s.IssuerUnitId || u.Id == s.AddresseeUnitId || u.Id == s.EscalatedToUnitId));
    }

    /// <summary>
    /// The open proposals a caller decides on: a supervisor or leader of a petition bureau whose territory holds the
    /// matter now, and who may open the matter.
    /// </summary>
    public static IQueryable<SupervisionProposal> Proposals(XinfangDb db, Staff staff)
    {
        if (staff.Unit.Kind != UnitKind.PetitionBureau) return db.Set<SupervisionProposal>().Where(_ => false);
        var territory = TerritoryOf(staff.Unit);
        var matters = Jurisdiction.Visible(db, staff)
            .Where(p => db.Units.Any(u => u.Id == p.HoldingUnitId && u.Path.StartsWith(territory)));
        return db.Set<SupervisionProposal>().Where(x => matters.Any(p => p.Id == x.PetitionId));
    }

    /// <summary>
    /// The petition bureau nearest above a unit's place: for each ancestor (itself first), a petition bureau that is
    /// the ancestor or its child. The proposal for a late matter goes there first.
    /// </summary>
    public static async Task<Guid?> NearestBureauAsync(XinfangDb db, string path, CancellationToken ct)
    {
        var chain = Jurisdiction.PathOf(path).Reverse().ToList();
        var bureaus = await db.Units.AsNoTracking().Where(u => u.Kind == UnitKind.PetitionBureau && (chain.Contains(u.Id) || (u.ParentId != null && chain.Contains(u.ParentId.Value))))
            .Select(u => new { u.Id, u.ParentId }).ToListAsync(ct);
        foreach (var a in chain)
            if (bureaus.FirstOrDefault(b => b.Id == a || b.ParentId == a) is { } found) return found.Id;
        return null;
    }

    /// <summary>
    /// Where late feedback is reported: the issuing unit's functional superior when that is a petition bureau (the
    /// county bureau → the city bureau); otherwise the nearest petition bureau of a higher level on its path.
    /// None when the issuer is at the top (the 督办 is then only marked overdue).
    /// </summary>
    public static async Task<Guid?> EscalationTargetAsync(XinfangDb db, Guid issuerUnitId, CancellationToken ct)
    {
        var issuer = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == issuerUnitId, ct);
        if (issuer is null) return null;
        if (issuer.SuperiorId is { } superior
            && await db.Units.AsNoTracking().AnyAsync(u => u.Id == superior && u.Kind == UnitKind.PetitionBureau, ct)) return superior;
        var chain = Jurisdiction.PathOf(issuer.Path).ToList();
        var candidates = await db.Units.AsNoTracking()
            .Where(u => u.Kind == UnitKind.PetitionBureau && u.Level < issuer.Level && u.Id != issuer.Id
                && (chain.Contains(u.Id) || (u.ParentId != null && chain.Contains(u.ParentId.Value))))
            .Select(u => new { u.Id, u.Level }).ToListAsync(ct);
        return candidates.OrderByDescending(u => u.Level).Select(u => (Guid?)u.Id).FirstOrDefault();
    }
}
