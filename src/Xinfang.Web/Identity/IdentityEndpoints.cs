using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

public sealed record LoginRequest(string? UserName, string? Password);
public sealed record CreateUserRequest(string? UserName, string? Password, string? DisplayName, Guid? UnitId, List<string>? Roles);
public sealed record UserView(Guid Id, string UserName, string DisplayName, Guid UnitId, IReadOnlyList<string> Roles, bool LockedOut);

/// <summary>Sign-in for API clients (bearer tokens) and user administration.</summary>
public static class IdentityEndpoints
{
    public static void MapIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/login", LoginAsync).WithTags("Identity").AllowAnonymous().WithName("Login").WithSummary("登录，获取访问令牌")
            .Produces<AccessTokenResponse>().ProducesProblem(401).ProducesProblem(423);

        var users = app.MapGroup("/api/v1/users").WithTags("Identity").RequireAuthorization();
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").WithSummary("新建用户（系统管理员）");
        users.MapGet("/", ListUsersAsync).WithName("ListUsers").WithSummary("用户列表（系统管理员、安全管理员）");
    }

    static async Task<IResult> LoginAsync([FromBody] LoginRequest body, UserManager<StaffUser> users, SignInManager<StaffUser> signIn)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || string.IsNullOrEmpty(body.Password))
            return Problems.Validation(new Dictionary<string, string[]> { ["userName"] = ["请输入用户名和密码"] });
        var user = await users.FindByNameAsync(body.UserName.Trim());
        if (user is null) return Problems.Make(401, "invalid-credentials", "用户名或密码错误");
        var result = await signIn.CheckPasswordSignInAsync(user, body.Password, lockoutOnFailure: true);
        if (result.IsLockedOut) return Problems.Make(401, "locked-out", "登录失败次数过多，账户已暂时锁定，请稍后再试");
        if (!result.Succeeded) return Problems.Make(401, "invalid-credentials", "用户名或密码错误");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        // The bearer handler writes { tokenType: "Bearer", accessToken, expiresIn, refreshToken }.
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    static async Task<IResult> CreateUserAsync([FromBody] CreateUserRequest body, HttpContext http, XinfangDb db,
        UserManager<StaffUser> users, TimeProvider time, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以管理用户");
        var errors = new Dictionary<string, string[]>();
        var roles = new List<Role>();
        foreach (var name in body.Roles ?? [])
            if (RoleNames.TryParse(name, out var role)) roles.Add(role);
            else errors["roles"] = [$"未知角色：{name}"];
        if (string.IsNullOrWhiteSpace(body.UserName)) errors["userName"] = ["请填写用户名"];
        if (string.IsNullOrWhiteSpace(body.DisplayName)) errors["displayName"] = ["请填写姓名"];
        if (roles.Count == 0 && !errors.ContainsKey("roles")) errors["roles"] = ["请至少选择一个角色"];
        if (!Roles.AreSeparated(roles)) errors["roles"] = ["系统管理员、安全管理员、审计管理员三个角色不得由同一账户兼任（三员分立）"];
        var unit = body.UnitId is { } unitId ? await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct) : null;
        if (unit is null) errors["unitId"] = ["单位不存在"];
        // An administrator manages accounts within their own subtree.
        else if (!staff.Unit.Contains(unit)) errors["unitId"] = ["只能在本单位及下级单位中创建用户"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var user = new StaffUser { UserName = body.UserName!.Trim(), DisplayName = body.DisplayName!.Trim(), UnitId = unit!.Id, CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, body.Password ?? "");
        if (!created.Succeeded) return Problems.Validation(IdentityErrors(created));
        await users.AddToRolesAsync(user, roles.Select(RoleNames.Of));
        return TypedResults.Created($"/api/v1/users/{user.Id}", new UserView(user.Id, user.UserName!, user.DisplayName, user.UnitId, roles.Select(RoleNames.Of).ToList(), false));
    }

    static async Task<IResult> ListUsersAsync(HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
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
        return TypedResults.Ok(new
        {
            items = rows.Select(u => new UserView(u.Id, u.UserName!, u.DisplayName, u.UnitId,
                roleRows.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList(), u.LockoutEnd > now)).ToList(),
            nextCursor = (string?)null,
        });
    }

    /// <summary>Identity's password and name errors, in Chinese, under the field they concern.</summary>
    public static Dictionary<string, string[]> IdentityErrors(IdentityResult result)
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var e in result.Errors)
        {
            var (field, message) = e.Code switch
            {
                "DuplicateUserName" => ("userName", "用户名已存在"),
                "InvalidUserName" => ("userName", "用户名只能包含字母、数字和 -._@+"),
                "PasswordTooShort" => ("password", "密码长度至少10位"),
                "PasswordRequiresDigit" => ("password", "密码须包含数字"),
                "PasswordRequiresLower" => ("password", "密码须包含小写字母"),
                "PasswordRequiresUpper" => ("password", "密码须包含大写字母"),
                "PasswordRequiresNonAlphanumeric" => ("password", "密码须包含符号"),
                "PasswordRequiresUniqueChars" => ("password", "密码中不同字符过少"),
                _ => ("body", e.Description),
            };
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }
        return errors.ToDictionary(k => k.Key, v => v.Value.ToArray());
    }
}
