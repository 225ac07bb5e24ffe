using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Backlog;

public sealed record AddMembersRequest(IReadOnlyList<Guid>? PetitionIds, Guid? OwnerUserId, IReadOnlyList<Guid>? ResponsibleUnitIds);

public sealed record AddedMembers(IReadOnlyList<MemberLedgerRow> Items);

/// <summary>
/// Lists matters in a campaign (POST /api/v1/backlog-campaigns/{id}/members), each with its owner (责任人) and
/// responsible units (责任单位): a member per matter, the matter flagged backlog (积案) with a BacklogList event on its
/// timeline, read access for the owner's and the responsible units (as a forward would give), and a notice to the
/// owner. All the matters or none: one transaction guarded by each matter's version.
/// </summary>
public sealed class AddMembers(XinfangDb db, TimeProvider time, PetitionWorkflow workflow, Notifier notifier, MemberLedger ledger)
{
    public const int MaxPerRequest = 200;

    public async Task<IResult> HandleAsync(Guid id, AddMembersRequest? body, Staff staff, CancellationToken ct)
    {
        if (!staff.HasAny(BacklogAccess.Organisers)) return Problems.Forbidden();
        if (await BacklogAccess.ReachAsync(db, staff, id, ct) is not { WholeCampaign: true } reach) return BacklogAccess.NotFound();
        if (body is null) return Problems.Validation("body", "请求内容不能为空");
        var campaign = reach.Campaign;
        var errors = new Dictionary<string, string[]>();
        var petitionIds = (body.PetitionIds ?? []).Distinct().ToList();
        if (petitionIds.Count == 0) errors["petitionIds"] = ["请选择要列入的信访事项"];
        else if (petitionIds.Count > MaxPerRequest) errors["petitionIds"] = [$"每次最多列入{MaxPerRequest}件"];
        // The owner: a staff member who works on matters, in the campaign unit's subtree.
        var owner = body.OwnerUserId is { } o ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == o, ct) : null;
        var ownerUnit = owner is null ? null : await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == owner.UnitId, ct);
        if (body.OwnerUserId is null) errors["ownerUserId"] = ["请指定责任人"];
        else if (owner is null || ownerUnit is null || !reach.Unit.Contains(ownerUnit) || !await WorksOnMattersAsync(owner.Id, ct))
            errors["ownerUserId"] = ["责任人应为专项工作单位或其下属单位办理信访事项的工作人员"];
        var unitIds = (body.ResponsibleUnitIds ?? []).Distinct().ToList();
        if (unitIds.Count > 20) errors["responsibleUnitIds"] = ["责任单位最多20个"];
        else if (unitIds.Count > 0)
        {
            var paths = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => u.Path).ToListAsync(ct);
            if (paths.Count != unitIds.Count || paths.Any(p => !p.StartsWith(reach.Unit.Path, StringComparison.Ordinal)))
                errors["responsibleUnitIds"] = ["责任单位应为专项工作单位或其下属单位"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        var now = time.GetUtcNow();
        if (campaign.CanList(ChinaTime.DateOf(now)) is { } ended) return Problems.Of(ended);

        // Each matter: in the caller's jurisdiction, seen in full, and in the campaign unit's subtree — else 404.
        var petitions = await Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff))
            .Where(p => petitionIds.Contains(p.Id) && db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == campaign.UnitId))
            .ToListAsync(ct);
        if (petitions.Count != petitionIds.Count) return Problems.NotFound();
        if (await db.Set<BacklogMember>().AnyAsync(m => m.CampaignId == campaign.Id && petitionIds.Contains(m.PetitionId), ct))
            return Problems.Of(BacklogErrors.AlreadyMember);

        var link = $"/staff/backlog/{campaign.Id}";
        PetitionEvent? last = null;
        Petition? lastPetition = null;
        var members = new List<BacklogMember>();
        foreach (var p in petitions.OrderBy(p => petitionIds.IndexOf(p.Id)))
        {
            // By default the unit that handles (or holds) the matter answers for it.
            var responsible = unitIds.Count > 0 ? unitIds : [p.ResponsibleUnitId ?? p.HoldingUnitId];
            var member = BacklogMember.List(campaign.Id, p.Id, p.Number, owner!.Id, responsible, staff.User.Id, now);
            db.Add(member);
            members.Add(member);
            p.MarkBacklog(true);
            var e = p.Annotate(PetitionAction.BacklogList, staff.Actor, now, campaign.Name,
                new { campaignId = campaign.Id, memberId = member.Id, ownerUserId = owner.Id, responsibleUnitIds = responsible }, ownerUnit!.Id);
            foreach (var unit in responsible) await Jurisdiction.GrantAsync(db, p, unit, ct);
            if (last is not null) { db.PetitionEvents.Add(last); await Jurisdiction.GrantAsync(db, lastPetition!, ownerUnit.Id, ct); }
            last = e;
            lastPetition = p;
            await notifier.SendAsync(new Notification
            {
                RecipientUnitId = ownerUnit.Id, RecipientUserId = owner.Id, Kind = NotificationKinds.Backlog, PetitionId = p.Id, Link = link,
                Title = $"积案列入：{p.Number}", Body = $"信访事项 {p.Number} 已列入积案化解专项工作，您为责任人，请及时化解并上报。",
            }, ct);
        }
        // The last event goes through the workflow's save, which also grants its target (the owner's unit) access.
        var saved = await workflow.SaveStepAsync(lastPetition!, last!, ct);
        if (saved == PetitionWorkflow.StepSaved.Conflict) return Problems.ConcurrentChange();
        if (saved == PetitionWorkflow.StepSaved.TooLong) return Problems.Validation("body", "内容过长");
        var rows = await ledger.RowsAsync(reach, staff, members.Select(m => m.Id).ToList(), ct);
        return TypedResults.Created($"/api/v1/backlog-campaigns/{campaign.Id}/members", new AddedMembers(rows));
    }

    async Task<bool> WorksOnMattersAsync(Guid userId, CancellationToken ct)
    {
        var names = new[] { RoleNames.Of(Role.Caseworker), RoleNames.Of(Role.UnitLeader), RoleNames.Of(Role.Supervisor) };
        return await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                      where ur.UserId == userId && names.Contains(r.Name!) select ur).AnyAsync(ct);
    }
}
