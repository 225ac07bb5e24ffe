using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.ClusterResolution;

/// <summary>The lead unit (牵头单位), the common policy measure, and the members it covers (default: every member the caller sees).</summary>
public sealed record ClusterMeasureRequest(Guid? LeadUnitId, string? Measure, IReadOnlyList<Guid>? MemberIds);

/// <summary>
/// PUT /api/v1/clusters/{key}/resolution: a supervisor or unit leader designates a lead unit of their own subtree and
/// the policy measure for a cluster (domain.md: homogeneous cases are "resolved together at policy level by a lead
/// unit"). Each member gets a <c>ClusterMeasure</c> annotation naming the lead unit (which thereby reads the
/// matter), the lead unit gets a notice, and the audit trail a <c>cluster.measureSet</c> row — all in one
/// transaction guarded by every member's version and the resolution's own, so nothing is half set.
/// </summary>
public sealed class DesignateClusterMeasure(XinfangDb db, TrackClusterResolution track, Notifier notifier, TimeProvider time)
{
    public const string AuditAction = "cluster.measureSet";

    public async Task<IResult> HandleAsync(Staff staff, string key, ClusterMeasureRequest? r, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !staff.HasAny(Role.Supervisor, Role.UnitLeader))
            return Problems.Forbidden("只有督查员或单位负责人可以确定类案的牵头单位和政策措施");
        var found = await track.FindAsync(staff, key, ct);
        if (!found.Any) return Problems.NotFound("类案");

        var errors = new Dictionary<string, string[]>();
        var lead = r?.LeadUnitId is { } leadId ? await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == leadId, ct) : null;
        if (r?.LeadUnitId is null) errors["leadUnitId"] = ["请选择牵头单位"];
        else if (lead is null || !lead.Path.StartsWith(staff.Unit.Path, StringComparison.Ordinal)) errors["leadUnitId"] = ["牵头单位应为本单位或本单位的下级单位"];
        if (string.IsNullOrWhiteSpace(r?.Measure)) errors["measure"] = ["请填写政策措施（共性问题的统一答复口径或解决措施）"];
        else if (r.Measure.Length > CaseClusterResolution.MaxMeasure) errors["measure"] = [$"政策措施不超过{CaseClusterResolution.MaxMeasure}字"];
        var visible = found.Members.Select(m => m.Id).ToHashSet();
        var chosen = r?.MemberIds is { } ids ? ids.Distinct().ToList() : visible.ToList();
        if (r?.MemberIds is { Count: 0 }) errors["memberIds"] = ["请至少选择一件事项"];
        else if (chosen.Count > CaseClusterResolution.MaxMembers) errors["memberIds"] = [$"一次不超过{CaseClusterResolution.MaxMembers}件"];
        else if (chosen.Any(id => !visible.Contains(id))) errors["memberIds"] = ["所选事项不属于该类案，或不在本单位管辖范围内"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        var measure = r!.Measure!.Trim();
        var petitions = await Jurisdiction.Visible(db, staff).Where(p => chosen.Contains(p.Id)).OrderBy(p => p.Number).ToListAsync(ct);
        var resolution = await db.Set<CaseClusterResolution>().FirstOrDefaultAsync(x => x.ClusterKey == key, ct);
        if (resolution is null)
        {
            resolution = new CaseClusterResolution { ClusterKey = key };
            db.Set<CaseClusterResolution>().Add(resolution);
        }
        else resolution.Version++;
        resolution.LeadUnitId = lead!.Id;
        resolution.Measure = measure;
        resolution.MemberIds = petitions.Select(p => p.Id).ToList();
        var terms = string.Join("、", found.Cluster?.TopTerms ?? resolution.Terms.Split('、', StringSplitOptions.RemoveEmptyEntries));
        resolution.Terms = terms.Length > 200 ? terms[..200] : terms;
        resolution.DesignatedAt = now;
        resolution.DesignatedByUserId = staff.User.Id;
        resolution.DesignatedByUnitId = staff.Unit.Id;

        foreach (var p in petitions)
        {
            db.PetitionEvents.Add(p.Annotate(PetitionAction.ClusterMeasure, staff.Actor, now, measure, new { clusterKey = key, leadUnitId = lead.Id }, lead.Id));
            // The lead unit reads every member it leads on (and its ancestors, as for any matter sent down).
            await Jurisdiction.GrantAsync(db, p, lead.Id, ct);
        }
        var title = $"类案牵头办理：{(terms.Length == 0 ? "类案" : terms)}";
        await notifier.SendAsync(new Notification
        {
            RecipientUnitId = lead.Id, Kind = NotificationKinds.Cluster, Title = title.Length > 200 ? title[..200] : title,
            Body = $"本单位被确定为类案牵头单位，涉及{petitions.Count}件事项：{string.Join("、", petitions.Take(20).Select(p => p.Number))}{(petitions.Count > 20 ? "等" : "")}。",
            Link = "/staff/clusters/" + key,
        }, ct);
        try
        {
            await AuditTrail.For(db).SaveAsync(AuditRecord.Of(AuditAction, staff, "cluster", key,
                new { leadUnitId = lead.Id, members = petitions.Count, numbers = petitions.Take(50).Select(p => p.Number) }), ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || PetitionWorkflow.IsUniqueViolation(ex))
        {
            // A member moved, or another leader set the measure meanwhile: nothing of ours was saved.
            return Problems.ConcurrentChange();
        }
        return TypedResults.Ok(await track.ViewAsync(staff, key, ct));
    }
}
