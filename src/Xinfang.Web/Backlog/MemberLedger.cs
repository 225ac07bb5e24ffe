using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Backlog;

/// <summary>
/// One row of a campaign's member ledger (积案台账): the matter, its owner and responsible units, where it stands,
/// and its dates and counts. Titles only where the reader sees the matter in full (Art. 30 ¶3); no petitioner data.
/// </summary>
public sealed record MemberLedgerRow(
    Guid MemberId, Guid CampaignId, Guid PetitionId, string Number, string? Title, PetitionStatus? PetitionStatus,
    Guid OwnerUserId, string OwnerName, IReadOnlyList<Guid> ResponsibleUnitIds, IReadOnlyList<string> ResponsibleUnitNames,
    MemberStatus Status, string StatusName, DateTimeOffset ListedAt, DateTimeOffset? ReportedAt, Guid? ReportedByUserId, string? ReportSummary, string? Evidence,
    IReadOnlyList<Guid> EvidenceAttachmentIds, DateTimeOffset? AuditedAt, string? AuditReasons, DateTimeOffset? StruckOffAt,
    DateOnly? RecheckDueOn, DateTimeOffset? RecheckedAt, RecheckResult? RecheckResult, string? RecheckNote, int Returns, int Relapses, int Version)
{
    public bool Relapsed => Relapses > 0;
}

/// <summary>
/// The member ledger as a stream: pages of members by listing time (the (campaign_id, listed_at) index), each
/// page's titles, owners and unit names fetched in one query apiece. The API pages it; the ledgers export
/// (XLSX/CSV) enumerates <see cref="RowsAsync(CampaignReach, Staff, CancellationToken)"/> to the end.
/// </summary>
public sealed class MemberLedger(XinfangDb db)
{
    public const int Batch = 200;

    public static string StatusNameOf(MemberStatus s) => s switch
    {
        MemberStatus.Listed => "已列入",
        MemberStatus.Reported => "已上报待审核",
        MemberStatus.StruckOff => "已销号",
        _ => s.ToString(),
    };

    public static string ResultNameOf(RecheckResult? r) => r switch
    {
        RecheckResult.Stable => "稳定",
        RecheckResult.Relapsed => "反复",
        _ => "",
    };

    /// <summary>Every member the reader sees in the campaign, oldest listing first.</summary>
    public async IAsyncEnumerable<MemberLedgerRow> RowsAsync(CampaignReach reach, Staff staff, [EnumeratorCancellation] CancellationToken ct)
    {
        (DateTimeOffset, Guid)? after = null;
        while (true)
        {
            var page = await PageAsync(reach, staff, after, Batch, ct);
            foreach (var row in page) yield return row;
            if (page.Count < Batch) yield break;
            after = (page[^1].ListedAt, page[^1].MemberId);
        }
    }

    /// <summary>The rows of the given members (as just listed).</summary>
    public async Task<IReadOnlyList<MemberLedgerRow>> RowsAsync(CampaignReach reach, Staff staff, IReadOnlyList<Guid> memberIds, CancellationToken ct)
    {
        var members = await reach.Members(db, staff).AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToListAsync(ct);
        return await ToRowsAsync(members.OrderBy(m => memberIds.ToList().IndexOf(m.Id)).ToList(), staff, ct);
    }

    /// <summary>One page after a (listedAt, memberId) key, by listing time then id.</summary>
    public async Task<IReadOnlyList<MemberLedgerRow>> PageAsync(CampaignReach reach, Staff staff, (DateTimeOffset At, Guid Id)? after, int take, CancellationToken ct,
        MemberStatus? status = null)
    {
        var query = reach.Members(db, staff).AsNoTracking();
        if (status is { } s) query = query.Where(m => m.Status == s);
        if (after is { } a) query = query.Where(m => m.ListedAt > a.At || (m.ListedAt == a.At && m.Id.CompareTo(a.Id) > 0));
        var members = await query.OrderBy(m => m.ListedAt).ThenBy(m => m.Id).Take(take).ToListAsync(ct);
        return await ToRowsAsync(members, staff, ct);
    }

    public async Task<IReadOnlyList<MemberLedgerRow>> ToRowsAsync(IReadOnlyList<BacklogMember> members, Staff staff, CancellationToken ct)
    {
        if (members.Count == 0) return [];
        var petitionIds = members.Select(m => m.PetitionId).Distinct().ToList();
        var seen = await Jurisdiction.Visible(db, staff).Where(Jurisdiction.SeenInFullBy(staff)).Where(p => petitionIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Title, p.Status }).ToDictionaryAsync(p => p.Id, ct);
        var ownerIds = members.Select(m => m.OwnerUserId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var unitIds = members.SelectMany(m => m.ResponsibleUnitIds).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return members.Select(m =>
        {
            var p = seen.GetValueOrDefault(m.PetitionId);
            return new MemberLedgerRow(m.Id, m.CampaignId, m.PetitionId, m.PetitionNumber, p?.Title, p?.Status, m.OwnerUserId, owners.GetValueOrDefault(m.OwnerUserId) ?? "",
                m.ResponsibleUnitIds, m.ResponsibleUnitIds.Select(u => units.GetValueOrDefault(u) ?? "").ToList(), m.Status, StatusNameOf(m.Status),
                m.ListedAt, m.ReportedAt, m.ReportedByUserId, m.ReportSummary, m.Evidence, m.EvidenceAttachmentIds, m.AuditedAt, m.AuditReasons, m.StruckOffAt,
                m.RecheckDueOn, m.RecheckedAt, m.RecheckResult, m.RecheckNote, m.Returns, m.Relapses, m.Version);
        }).ToList();
    }

    /// <summary>GET /api/v1/backlog-campaigns/{id}/members: the ledger, keyset-paginated.</summary>
    public async Task<IResult> HandleAsync(Guid id, Staff staff, string? status, string? cursor, int? limit, CancellationToken ct)
    {
        if (!BacklogAccess.IsReader(staff)) return Problems.Forbidden();
        var errors = new Dictionary<string, string[]>();
        MemberStatus? filter = null;
        if (status is not null)
        {
            if (Intake.RegisterPetition.ParseEnum<MemberStatus>(status) is { } s) filter = s;
            else errors["status"] = ["状态应为 listed、reported 或 struckOff"];
        }
        if (limit is < 1 or > ListCampaigns.MaxLimit) errors["limit"] = [$"每页条数为1至{ListCampaigns.MaxLimit}"];
        (DateTimeOffset, Guid)? after = null;
        if (cursor is not null && (after = Cursors.DecodeInstant(cursor)) is null) errors["cursor"] = ["分页游标无效"];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await BacklogAccess.ReachAsync(db, staff, id, ct) is not { } reach) return BacklogAccess.NotFound();
        var take = limit ?? ListCampaigns.DefaultLimit;
        var page = await PageAsync(reach, staff, after, take + 1, ct, filter);
        var more = page.Count > take;
        var items = more ? page.Take(take).ToList() : page;
        return TypedResults.Ok(new Listing<MemberLedgerRow>(items, more ? Cursors.EncodeInstant(items[^1].ListedAt, items[^1].MemberId) : null));
    }

}
