using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

/// <summary>POST /petitions/{id}/recusal: <c>userId</c> absent (or one's own) to declare one's own interest; a leader or supervisor names a user of their unit.</summary>
public sealed record RecusalRequest(string? Reason, Guid? UserId = null);

public sealed record RecusalView(Guid Id, Guid UserId, string? UserName, Guid UnitId, Guid RecordedByUserId, string? Reason, DateTimeOffset At);

/// <summary>
/// 回避 (Art. 28 ¶3): records that a staff member has a direct interest in a matter. From then on every workflow
/// step by that member is refused (Petition.Apply, WorkflowContext.ActorRecused) and no step is offered to them;
/// they may still read the matter — a recusal concerns acting, and whoever must be kept from reading an
/// accusation is linked as the accused person at registration (Jurisdiction.SightOf).
/// </summary>
public sealed class RecordRecusal(XinfangDb db, TimeProvider time)
{
    public const int MaxReason = 500;

    public async Task<IResult> HandleAsync(Guid id, RecusalRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();

        var reason = body?.Reason?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(reason)) errors["reason"] = ["请说明回避理由（与本事项有何直接利害关系）"];
        else if (reason.Length > MaxReason) errors["reason"] = [$"回避理由不超过{MaxReason}字"];

        var userId = body?.UserId is { } named && named != Guid.Empty ? named : staff.User.Id;
        var user = staff.User;
        if (userId != staff.User.Id)
        {
            if (!staff.HasAny(Role.UnitLeader, Role.Supervisor)) return Problems.Forbidden("只有单位负责人或督办人员可以为本单位其他人员登记回避");
            var other = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (other is null || other.UnitId != staff.Unit.Id) errors["userId"] = ["该用户不存在或不属于本单位"];
            else user = other;
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await Recusals.IsRecusedAsync(db, id, userId, ct))
            return Problems.Make(StatusCodes.Status409Conflict, "already-recused", "该人员已对本事项回避");

        var recusal = new Recusal
        {
            PetitionId = id, UserId = userId, UnitId = user.UnitId, RecordedByUserId = staff.User.Id,
            Reason = reason!, At = time.GetUtcNow(), AfterSequence = petition.LastEventSequence,
        };
        db.Recusals.Add(recusal);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/petitions/{id}/recusals", ViewOf(recusal, user.DisplayName, confidential: false));
    }

    /// <summary>GET /petitions/{id}/recusals: who stands recused, oldest first (reasons withheld from a notice reader).</summary>
    public async Task<IResult> ListAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        var confidential = Jurisdiction.IsAccused(staff, petition);
        var items = await ListOfAsync(db, id, ct);
        return TypedResults.Ok(new Listing<RecusalView>(items.Select(x => ViewOf(x.Recusal, x.UserName, confidential)).ToList()));
    }

    /// <summary>A petition's recusals with the recused users' display names, oldest first.</summary>
    public static async Task<List<(Recusal Recusal, string? UserName)>> ListOfAsync(XinfangDb db, Guid petitionId, CancellationToken ct)
    {
        var rows = await db.Recusals.AsNoTracking().Where(r => r.PetitionId == petitionId).ToListAsync(ct);
        var userIds = rows.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.OrderBy(r => r.At).ThenBy(r => r.AfterSequence).Select(r => (r, names.GetValueOrDefault(r.UserId))).ToList();
    }

    static RecusalView ViewOf(Recusal r, string? userName, bool confidential) =>
        new(r.Id, r.UserId, userName, r.UnitId, r.RecordedByUserId, confidential ? null : r.Reason, r.At.ToOffset(ChinaTime.Offset));
}
