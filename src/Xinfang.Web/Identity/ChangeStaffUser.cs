using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

public sealed record ChangeUserRequest(List<string>? Roles, Guid? UnitId);

/// <summary>
/// A system administrator changes an account's roles or moves it to another unit of their subtree (a transfer).
/// The three administrator roles stay on separate accounts (三员分立), and nobody changes their own account: an
/// administrator could otherwise grant themselves the audit role and read the log of their own actions.
/// Each change is on the audit trail with what it was before. Roles and unit are read from the store on every
/// request (Identity/CurrentStaff), so the change applies at once; the security stamp changes too, ending cookie
/// sessions at their next validation.
/// </summary>
public static class ChangeStaffUser
{
    public static async Task<IResult> HandleAsync(Guid id, ChangeUserRequest body, Staff staff, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以变更用户角色和所属单位");
        if (await UnlockStaffUser.InSubtreeAsync(id, staff, db, users, ct) is not { } user) return Problems.NotFound("用户");
        if (user.Id == staff.User.Id) return Problems.Forbidden("不能变更本人账户的角色或所属单位，请由其他系统管理员办理");

        var errors = new Dictionary<string, string[]>();
        var roles = body.Roles is { } names ? CreateStaffUser.RolesOf(names, errors) : null;
        Xinfang.Domain.Organisation.Unit? unit = null;
        if (body.UnitId is { } unitId)
        {
            unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null) errors["unitId"] = ["单位不存在"];
            else if (!staff.Unit.Contains(unit)) errors["unitId"] = ["只能调入本单位及下级单位"];
        }
        if (roles is null && body.UnitId is null) errors["roles"] = ["请填写新的角色或所属单位"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var before = (await users.GetRolesAsync(user)).ToList();
        if (roles is not null)
        {
            var after = roles.Select(RoleNames.Of).Distinct().ToList();
            var removed = before.Except(after).ToList();
            var added = after.Except(before).ToList();
            if (removed.Count > 0 || added.Count > 0)
            {
                if (removed.Count > 0) await users.RemoveFromRolesAsync(user, removed);
                if (added.Count > 0) await users.AddToRolesAsync(user, added);
                await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.RolesChanged, staff, Audit.AuditTargets.User, user.Id,
                    new { user.UserName, before, after }), ct);
            }
        }
        if (unit is not null && unit.Id != user.UnitId)
        {
            var from = user.UnitId;
            user.UnitId = unit.Id;
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return Problems.Validation(IdentityEndpoints.IdentityErrors(updated));
            await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.UnitChanged, staff, Audit.AuditTargets.User, user.Id,
                new { user.UserName, from, to = unit.Id }), ct);
        }
        await users.UpdateSecurityStampAsync(user);
        return TypedResults.Ok(await UnlockStaffUser.ViewAsync(user, users));
    }
}
