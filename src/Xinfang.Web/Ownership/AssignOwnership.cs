using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Ownership;

/// <summary>
/// 领导包案 (Art. 18): a unit leader or supervisor of a unit that sees the matter names its owner — one leader, or
/// two for 双包案 (the territory's leader and the department's). On a matter already owned, the same request
/// re-assigns: leaders left out are released, new ones added, and the plan stays.
/// <para>
/// Who may own it: a staff account holding the unitLeader role in a unit that sees the matter in full — a unit
/// with an access row for it. Access rows are granted to every unit a matter was sent to and to all units above
/// each (Jurisdiction.GrantAsync), so this covers the leaders of the departments handling it and of every level
/// of government above them, and nobody whom confidentiality (Art. 30 ¶3) keeps from the matter. A territory
/// leader leads a government unit (人民政府); a department leader any other unit. Nobody recused from the matter
/// (Art. 28 ¶3) owns it.
/// </para>
/// </summary>
public sealed class AssignOwnership(XinfangDb db, OwnedMatters owned, Notifier notifier, TimeProvider time)
{
    public async Task<IResult> HandleAsync(Guid petitionId, AssignOwnershipRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).FirstOrDefaultAsync(p => p.Id == petitionId, ct);
        if (petition is null) return Problems.NotFound();
        if (!staff.HasAny(Role.UnitLeader, Role.Supervisor)) return Problems.Forbidden("只有单位负责人或督查人员可以指定包案领导");
        if (Jurisdiction.IsAccused(staff, petition)) return Problems.Forbidden("本事项依法保密，本单位不能指定包案领导");
        if (await Recusals.IsRecusedAsync(db, petition.Id, staff.User.Id, ct)) return OwnershipProblems.Recused();

        var errors = new Dictionary<string, string[]>();
        var note = OwnedMatters.Text(body?.Note, "note", "包案说明", OwnershipLimits.Note, required: false, errors);
        var asked = body?.Leaders ?? [];
        if (asked.Count is < 1 or > 2) errors["leaders"] = ["请指定一名包案领导，或属地、部门领导各一名（双包案）"];
        else
        {
            for (var i = 0; i < asked.Count; i++)
            {
                if (asked[i] is not { UserId: { } u } || u == Guid.Empty) errors[$"leaders[{i}].userId"] = ["请选择包案领导"];
                if (asked[i]?.Capacity is null) errors[$"leaders[{i}].capacity"] = ["请选择包案身份：属地或部门"];
            }
            if (asked.Count == 2 && errors.Count == 0)
            {
                if (asked[0].UserId == asked[1].UserId) errors["leaders"] = ["同一领导不能重复指定"];
                else if (asked[0].Capacity == asked[1].Capacity) errors["leaders"] = ["双包案应为属地领导和部门领导各一名"];
            }
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var chosen = new List<(StaffUser User, Unit Unit, LeaderCapacity Capacity)>();
        for (var i = 0; i < asked.Count; i++)
        {
            var (userId, capacity) = (asked[i].UserId!.Value, asked[i].Capacity!.Value);
            var field = $"leaders[{i}].userId";
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
            var unit = user is null ? null : await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.UnitId, ct);
            if (user is null || unit is null || !await SeesInFullAsync(user, unit, petition, ct))
            {
                errors[field] = ["该用户不是能查看本事项的单位的负责人"];
                continue;
            }
            if (capacity == LeaderCapacity.Territory && unit.Kind != UnitKind.Government)
                errors[$"leaders[{i}].capacity"] = ["属地包案领导应为人民政府（属地）的负责人"];
            else if (capacity == LeaderCapacity.Department && unit.Kind == UnitKind.Government)
                errors[$"leaders[{i}].capacity"] = ["部门包案领导应为职能部门的负责人"];
            else chosen.Add((user, unit, capacity));
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        foreach (var (user, _, _) in chosen)
            if (await Recusals.IsRecusedAsync(db, petition.Id, user.Id, ct))
                return Problems.Make(StatusCodes.Status409Conflict, "leader-recused", $"{user.DisplayName}已对本事项回避，不能包案");

        var now = time.GetUtcNow();
        var ownership = await db.Set<Ownership>().FirstOrDefaultAsync(o => o.PetitionId == petition.Id && o.Status == OwnershipStatus.Active, ct);
        var created = ownership is null;
        var released = new List<OwnershipLeader>();
        var added = new List<(StaffUser User, Unit Unit, LeaderCapacity Capacity)>();
        if (ownership is null)
        {
            ownership = new Ownership { PetitionId = petition.Id, AssignedAt = now, AssignedByUserId = staff.User.Id, AssignedByUnitId = staff.Unit.Id, Note = note };
            db.Add(ownership);
            added.AddRange(chosen);
        }
        else
        {
            var current = await db.Set<OwnershipLeader>().Where(l => l.OwnershipId == ownership.Id && l.ReleasedAt == null).ToListAsync(ct);
            released = current.Where(l => !chosen.Any(c => c.User.Id == l.UserId && c.Capacity == l.Capacity)).ToList();
            added = chosen.Where(c => !current.Any(l => l.UserId == c.User.Id && l.Capacity == c.Capacity)).ToList();
            if (released.Count == 0 && added.Count == 0)
                return Problems.Make(StatusCodes.Status409Conflict, "already-owned", "本事项已由所选领导包案");
            foreach (var l in released) l.ReleasedAt = now;
            if (note is not null) ownership.Note = note;
            ownership.Version++;
        }
        foreach (var (user, unit, capacity) in added)
            db.Add(new OwnershipLeader { OwnershipId = ownership.Id, UserId = user.Id, UnitId = unit.Id, Capacity = capacity, AssignedAt = now });

        var names = await db.Users.AsNoTracking().Where(u => released.Select(r => r.UserId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var said = (created ? "包案领导：" : "变更包案领导：") + string.Join("、", chosen.Select(c => $"{c.User.DisplayName}（{OwnershipNames.Short(c.Capacity)}）"))
            + (released.Count > 0 ? "；不再包案：" + string.Join("、", released.Select(r => names.GetValueOrDefault(r.UserId))) : "")
            + (note is null ? "" : "。" + note);
        var e = petition.Annotate(PetitionAction.OwnershipAssign, staff.Actor, now, said, new
        {
            ownershipId = ownership.Id,
            reassigned = !created,
            leaders = chosen.Select(c => new { userId = c.User.Id, unitId = c.Unit.Id, capacity = c.Capacity }),
            released = released.Select(r => r.UserId),
        });

        foreach (var (user, unit, capacity) in added)
            await notifier.SendAsync(new Notification
            {
                RecipientUnitId = unit.Id, RecipientUserId = user.Id, Kind = NotificationKinds.Ownership, PetitionId = petition.Id,
                Title = $"领导包案：{petition.Number}", Link = $"/staff/ownership/{ownership.Id}",
                Body = $"您被指定为信访事项 {petition.Number} 的{OwnershipNames.Of(capacity)}，请制定一案一策化解方案并推进落实。",
            }, ct);
        foreach (var l in released)
            await notifier.SendAsync(new Notification
            {
                RecipientUnitId = l.UnitId, RecipientUserId = l.UserId, Kind = NotificationKinds.Ownership, PetitionId = petition.Id,
                Title = $"包案变更：{petition.Number}", Link = $"/staff/ownership/{ownership.Id}",
                Body = $"信访事项 {petition.Number} 已改由其他领导包案，您不再包案。",
            }, ct);

        return await owned.SaveAsync(new OwnedMatter(ownership, petition), e, staff, null, ct, created);
    }

    /// <summary>A unit leader whose unit holds an access row for the matter and whom confidentiality does not keep from it.</summary>
    async Task<bool> SeesInFullAsync(StaffUser user, Unit unit, Petition petition, CancellationToken ct)
    {
        var leaderRole = RoleNames.Of(Role.UnitLeader);
        var isLeader = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                              where ur.UserId == user.Id && r.Name == leaderRole select r.Id).AnyAsync(ct);
        if (!isLeader) return false;
        if (!await db.PetitionAccess.AnyAsync(a => a.PetitionId == petition.Id && a.UnitId == unit.Id, ct)) return false;
        return Jurisdiction.SightOf(new Staff(user, unit, new HashSet<Role> { Role.UnitLeader }), petition) == Sight.Full;
    }
}
