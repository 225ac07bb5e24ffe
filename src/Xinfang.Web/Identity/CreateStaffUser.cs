using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>
/// A system administrator opens an account in a unit of their own subtree. The three administrator roles are
/// never held by one account (三员分立).
/// </summary>
public static class CreateStaffUser
{
    public const string SeparationMessage = "系统管理员、安全管理员、审计管理员三个角色不得由同一账户兼任（三员分立）";

    /// <summary>The roles named, at least one and 三员分立 kept; what is wrong goes under "roles" in <paramref name="errors"/>.</summary>
    internal static List<Role> RolesOf(IEnumerable<string> names, Dictionary<string, string[]> errors)
    {
        var roles = new List<Role>();
        foreach (var name in names)
            if (RoleNames.TryParse(name, out var role)) roles.Add(role);
            else errors["roles"] = [$"未知角色：{name}"];
        if (roles.Count == 0 && !errors.ContainsKey("roles")) errors["roles"] = ["请至少选择一个角色"];
        if (!Roles.AreSeparated(roles)) errors["roles"] = [SeparationMessage];
        return roles;
    }

    public static async Task<IResult> HandleAsync(CreateUserRequest body, Staff staff, XinfangDb db, UserManager<StaffUser> users, TimeProvider time, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以管理用户");
        var errors = new Dictionary<string, string[]>();
        var roles = RolesOf(body.Roles ?? [], errors);
        if (string.IsNullOrWhiteSpace(body.UserName)) errors["userName"] = ["请填写用户名"];
        if (string.IsNullOrWhiteSpace(body.DisplayName)) errors["displayName"] = ["请填写姓名"];
        var unit = body.UnitId is { } unitId ? await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct) : null;
        if (unit is null) errors["unitId"] = ["单位不存在"];
        // An administrator manages accounts within their own subtree.
        else if (!staff.Unit.Contains(unit)) errors["unitId"] = ["只能在本单位及下级单位中创建用户"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var user = new StaffUser { UserName = body.UserName!.Trim(), DisplayName = body.DisplayName!.Trim(), UnitId = unit!.Id, CreatedAt = time.GetUtcNow(), PasswordChangedAt = TimeProvider.System.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, body.Password ?? "");
        if (!created.Succeeded) return Problems.Validation(IdentityEndpoints.IdentityErrors(created));
        await users.AddToRolesAsync(user, roles.Select(RoleNames.Of));
        await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.UserCreated, staff, Audit.AuditTargets.User, user.Id, new { user.UserName, user.UnitId, roles = roles.Select(RoleNames.Of) }), ct);
        return TypedResults.Created($"/api/v1/users/{user.Id}", new UserView(user.Id, user.UserName!, user.DisplayName, user.UnitId, roles.Select(RoleNames.Of).ToList(), false));
    }
}
