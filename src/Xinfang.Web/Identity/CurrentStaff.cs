using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>The signed-in staff member with their unit and roles, read fresh from the store on each request.</summary>
public sealed record Staff(StaffUser User, Unit Unit, IReadOnlySet<Role> Roles)
{
    public Actor Actor => new(ActorKind.Staff, User.Id, Unit.Id, Roles);
    public bool Has(Role role) => Roles.Contains(role);
    public bool HasAny(params Role[] roles) => roles.Any(Roles.Contains);

    /// <summary>Roles that work on petitions (三员分立: administrators manage the system, not the matters).</summary>
    public bool WorksOnPetitions => HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader, Role.Supervisor, Role.Analyst);

    public static async Task<Staff?> LoadAsync(XinfangDb db, ClaimsPrincipal principal, CancellationToken ct)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!Guid.TryParse(id, out var userId)) return null;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return null;
        var unit = await db.Units.AsNoTracking().FirstAsync(u => u.Id == user.UnitId, ct);
        var roleNames = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where ur.UserId == userId
                               select r.Name).ToListAsync(ct);
        var roles = roleNames.Select(n => RoleNames.TryParse(n, out var role) ? role : (Role?)null).OfType<Role>().ToHashSet();
        return new Staff(user, unit, roles);
    }
}

/// <summary>Role names on the wire and in Identity: camelCase as api.md spells them.</summary>
public static class RoleNames
{
    public static string Of(Role role) => char.ToLowerInvariant(role.ToString()[0]) + role.ToString()[1..];

    public static bool TryParse(string? name, out Role role)
    {
        foreach (var r in Enum.GetValues<Role>())
            if (Of(r) == name) { role = r; return true; }
        role = default;
        return false;
    }

    public static IEnumerable<string> All => Enum.GetValues<Role>().Select(Of);
}
