using Microsoft.AspNetCore.Identity;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Identity;

/// <summary>
/// A security administrator switches off two-factor sign-in of an account in their subtree whose owner lost the
/// authenticator and the recovery codes: the key and the codes are discarded, so an administrator enrols afresh at
/// the next sign-in. Not one's own account: a second person confirms who asks (account security is the security
/// administrator's part of 三员分立).
/// </summary>
public static class ResetStaffTwoFactor
{
    public static async Task<IResult> HandleAsync(Guid id, Staff staff, XinfangDb db, UserManager<StaffUser> users, CancellationToken ct)
    {
        if (!staff.Has(Role.SecurityAdmin)) return Problems.Forbidden("只有安全管理员可以重置双因素认证");
        if (id == staff.User.Id) return Problems.Forbidden("不能重置本人的双因素认证，请联系其他安全管理员");
        if (await UnlockStaffUser.InSubtreeAsync(id, staff, db, users, ct) is not { } user) return Problems.NotFound("用户");
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        return TypedResults.Ok(await UnlockStaffUser.ViewAsync(user, users));
    }
}
