using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>
/// A security administrator lifts a lockout (repeated wrong passwords) on an account of their subtree and
/// clears its failure count. Account security is the security administrator's part of 三员分立.
/// </summary>
public static class UnlockStaffUser
{
    public static async Task<IResult> HandleAsync(Guid id, Staff staff, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct)
    {
        if (!staff.Has(Role.SecurityAdmin)) return Problems.Forbidden("只有安全管理员可以解锁账户");
        if (await InSubtreeAsync(id, staff, db, users, ct) is not { } user) return Problems.NotFound("用户");
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.UserUnlocked, staff, Audit.AuditTargets.User, user.Id, new { user.UserName }), ct);
        return TypedResults.Ok(await ViewAsync(user, users));
    }

    /// <summary>The account, if it belongs to a unit of the administrator's subtree; tracked, for an update.</summary>
    internal static async Task<StaffUser?> InSubtreeAsync(Guid id, Staff staff, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return null;
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.UnitId, ct);
        return unit is not null && staff.Unit.Contains(unit) ? user : null;
    }

    internal static async Task<UserView> ViewAsync(StaffUser user, UserManager<StaffUser> users) =>
        new(user.Id, user.UserName!, user.DisplayName, user.UnitId, [.. await users.GetRolesAsync(user)], await users.IsLockedOutAsync(user));
}
