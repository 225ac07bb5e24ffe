namespace Xinfang.Domain.Petitions;

public enum ActorKind { Staff, Petitioner, System }

/// <summary>Who acts: a staff user of a unit, the petitioner (through the portal), or the system (sweeps).</summary>
public sealed record Actor(ActorKind Kind, Guid? UserId, Guid? UnitId, IReadOnlySet<Role> Roles)
{
    public static readonly Actor System = new(ActorKind.System, null, null, new HashSet<Role>());
    public static readonly Actor Petitioner = new(ActorKind.Petitioner, null, null, new HashSet<Role>());

    public static Actor Staff(Guid userId, Guid unitId, params Role[] roles) => new(ActorKind.Staff, userId, unitId, roles.ToHashSet());

    public bool HasAny(IReadOnlySet<Role> roles) => Roles.Overlaps(roles);
}
