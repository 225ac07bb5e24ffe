using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>The accounts of the administrator's subtree, by user name, with their roles and whether they are locked out now.</summary>
public static class ListStaffUsers
{
    public static async Task<IResult> HandleAsync(Staff staff, XinfangDb db, TimeProvider time, CancellationToken ct)
    {
        if (!staff.HasAny(Role.SystemAdmin, Role.SecurityAdmin)) return Problems.Forbidden("只有系统管理员或安全管理员可以查看用户");
        var prefix = staff.Unit.Path;
        var rows = await (from u in db.Users.AsNoTracking()
                          join unit in db.Units on u.UnitId equals unit.Id
                          where unit.Path.StartsWith(prefix)
                          orderby u.UserName
                          select u).Take(1000).ToListAsync(ct);
        var ids = rows.Select(u => u.Id).ToList();
        var roleRows = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name }).ToListAsync(ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new Listing<UserView>(rows.Select(u => new UserView(u.Id, u.UserName!, u.DisplayName, u.UnitId,
            roleRows.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList(), u.LockoutEnd > now)).ToList()));
    }
}
