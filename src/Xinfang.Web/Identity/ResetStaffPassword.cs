using Microsoft.AspNetCore.Identity;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

public sealed record ResetPasswordRequest(string? Password);

/// <summary>
/// A security administrator sets a new password on an account of their subtree (the user forgot theirs).
/// The new password meets the same policy as any other; a lockout is lifted with it.
/// </summary>
public static class ResetStaffPassword
{
    public static async Task<IResult> HandleAsync(Guid id, ResetPasswordRequest body, Staff staff, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct)
    {
        if (!staff.Has(Role.SecurityAdmin)) return Problems.Forbidden("只有安全管理员可以重置密码");
        if (await UnlockStaffUser.InSubtreeAsync(id, staff, db, users, ct) is not { } user) return Problems.NotFound("用户");
        if (string.IsNullOrEmpty(body.Password)) return Problems.Validation("password", "请输入新密码");
        // Validate before touching the stored hash, so a refused password leaves the old one in place.
        var failures = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, user, body.Password) is { Succeeded: false } r) failures.AddRange(r.Errors);
        if (failures.Count > 0) return Problems.Validation(IdentityEndpoints.IdentityErrors(IdentityResult.Failed([.. failures])));
        user.PasswordHash = users.PasswordHasher.HashPassword(user, body.Password);
        user.PasswordChangedAt = TimeProvider.System.GetUtcNow();
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        // A new security stamp also saves the user.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded) return Problems.Validation(IdentityEndpoints.IdentityErrors(saved));
        await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.PasswordReset, staff, Audit.AuditTargets.User, user.Id, new { user.UserName }), ct);
        return TypedResults.Ok(await UnlockStaffUser.ViewAsync(user, users));
    }
}
