using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.UrgentReports;

public sealed record UrgentReportView(
    Guid Id, Guid PetitionId, string Number, string Title, PetitionStatus Status,
    Guid FromUnitId, string FromUnitName, Guid ToUnitId, string ToUnitName, string Reason, bool AtRegistration,
    DateTimeOffset ReportedAt, DateTimeOffset? AcknowledgedAt, Guid? AcknowledgedByUserId, string? AcknowledgedByName);

/// <summary>
/// 紧急上报: the reports addressed to the caller's unit (a petition bureau's queue), newest first; unacknowledged ones
/// only when asked. Matters confidentiality hides from the caller are left out; a notice reader sees neither title nor reason.
/// </summary>
public sealed class ListUrgentReports(XinfangDb db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record Page(Listing<UrgentReportView>? Listing, IReadOnlyDictionary<string, string[]>? Errors = null, bool Forbidden = false);

    public async Task<IResult> HandleAsync(Staff staff, bool? acknowledged, string? cursor, int? limit, CancellationToken ct)
    {
        var page = await PageAsync(staff, acknowledged, cursor, limit, ct);
        return page.Forbidden ? Problems.Forbidden() : page.Errors is { } e ? Problems.Validation(e.ToDictionary()) : TypedResults.Ok(page.Listing);
    }

    public async Task<Page> PageAsync(Staff staff, bool? acknowledged, string? cursor, int? limit, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return new(null, Forbidden: true);
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        (DateTimeOffset At, Guid Id)? after = null;
        if (cursor is not null)
        {
            after = Cursors.DecodeInstant(cursor);
            if (after is null) errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return new(null, errors);
        var take = limit ?? DefaultLimit;
        var unit = staff.Unit.Id;
        var visible = Jurisdiction.Visible(db, staff).Select(p => p.Id);
        var rows = db.Set<UrgentReport>().Where(r => r.ToUnitId == unit && visible.Contains(r.PetitionId));
        if (acknowledged == false) rows = rows.Where(r => r.AcknowledgedAt == null);
        if (acknowledged == true) rows = rows.Where(r => r.AcknowledgedAt != null);
        if (after is { } a) rows = rows.Where(r => r.ReportedAt < a.At || (r.ReportedAt == a.At && r.Id.CompareTo(a.Id) < 0));
        var page = await rows.OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id).Take(take + 1).AsNoTracking().ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var ids = page.Select(r => r.PetitionId).ToList();
        var petitions = await db.Petitions.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var names = await NamesAsync(db, page.SelectMany(r => new[] { r.FromUnitId, r.ToUnitId }), page.Select(r => r.AcknowledgedByUserId), ct);
        var items = page.Select(r => ViewOf(staff, r, petitions[r.PetitionId], names)).ToList();
        return new(new Listing<UrgentReportView>(items, more ? Cursors.EncodeInstant(page[^1].ReportedAt, page[^1].Id) : null));
    }

    /// <summary>One report as its reader sees it.</summary>
    public static async Task<UrgentReportView> ViewAsync(XinfangDb db, Staff staff, UrgentReport r, Petition p, CancellationToken ct) =>
        ViewOf(staff, r, p, await NamesAsync(db, [r.FromUnitId, r.ToUnitId], [r.AcknowledgedByUserId], ct));

    static UrgentReportView ViewOf(Staff staff, UrgentReport r, Petition p, Dictionary<Guid, string> names)
    {
        var full = Jurisdiction.SightOf(staff, p) == Sight.Full;
        return new UrgentReportView(r.Id, r.PetitionId, p.Number, full ? p.Title : PetitionView.Confidential, p.Status,
            r.FromUnitId, names.GetValueOrDefault(r.FromUnitId, ""), r.ToUnitId, names.GetValueOrDefault(r.ToUnitId, ""),
            full ? r.Reason : PetitionView.Confidential, r.AtRegistration,
            r.ReportedAt.ToOffset(Domain.Deadlines.ChinaTime.Offset), r.AcknowledgedAt?.ToOffset(Domain.Deadlines.ChinaTime.Offset),
            r.AcknowledgedByUserId, r.AcknowledgedByUserId is { } u ? names.GetValueOrDefault(u) : null);
    }

    static async Task<Dictionary<Guid, string>> NamesAsync(XinfangDb db, IEnumerable<Guid> units, IEnumerable<Guid?> users, CancellationToken ct)
    {
        var unitIds = units.Distinct().ToList();
        var userIds = users.OfType<Guid>().Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        if (userIds.Count > 0)
            foreach (var u in await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
                names[u.Id] = u.DisplayName;
        return names;
    }

}
