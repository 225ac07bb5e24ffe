using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Identity;

/// <summary>
/// On a store with no users: the roles, the root unit (Bootstrap:RootUnit, default the national level), the
/// category taxonomy, and the system administrator <c>admin</c> with Bootstrap:AdminPassword.
/// </summary>
public sealed class Bootstrap(XinfangDb db, UserManager<StaffUser> users, RoleManager<IdentityRole<Guid>> roles,
    IConfiguration config, TimeProvider time, ILogger<Bootstrap> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var name in RoleNames.All)
            if (!await roles.RoleExistsAsync(name)) await roles.CreateAsync(new IdentityRole<Guid>(name));
        if (!await db.Categories.AnyAsync(ct))
        {
            db.Categories.AddRange(Categories.Defaults);
            await db.SaveChangesAsync(ct);
        }
        if (await db.Users.AnyAsync(ct)) return;
        var root = await db.Units.FirstOrDefaultAsync(u => u.ParentId == null, ct);
        if (root is null)
        {
            var section = config.GetSection("Bootstrap:RootUnit");
            root = new Unit
            {
                Code = section["Code"] ?? "root",
                Name = section["Name"] ?? "国家信访局",
                Level = section.GetValue("Level", 0),
                Kind = RegisterPetition.ParseEnum<UnitKind>(section["Kind"]) ?? UnitKind.PetitionBureau,
                RegionCode = section["RegionCode"] ?? "100000",
            };
            root.Path = Unit.PathOf(null, root.Id);
            db.Units.Add(root);
            await db.SaveChangesAsync(ct);
        }
        var password = config["Bootstrap:AdminPassword"];
        if (string.IsNullOrEmpty(password))
        {
            log.LogWarning("No users and no Bootstrap:AdminPassword: set it to create the system administrator 'admin'.");
            return;
        }
        var admin = new StaffUser { UserName = "admin", DisplayName = "系统管理员", UnitId = root.Id, CreatedAt = time.GetUtcNow(), PasswordChangedAt = TimeProvider.System.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
            throw new InvalidOperationException("Bootstrap:AdminPassword does not meet the password policy: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, RoleNames.Of(Role.SystemAdmin));
        log.LogInformation("Created the system administrator 'admin' in {Unit}.", root.Name);
    }
}
