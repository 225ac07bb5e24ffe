using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Backlog;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Backlog;

/// <summary>The campaigns a caller reaches, newest first, each with its progress (GET /api/v1/backlog-campaigns).</summary>
public sealed class ListCampaigns(XinfangDb db, TimeProvider time)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public async Task<IResult> HandleAsync(Staff staff, string? cursor, int? limit, CancellationToken ct)
    {
        if (!BacklogAccess.IsReader(staff)) return Problems.Forbidden();
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        (DateTimeOffset At, Guid Id)? after = null;
        if (cursor is not null && (after = Cursors.DecodeInstant(cursor)) is null) errors["cursor"] = ["分页游标无效"];
        if (errors.Count > 0) return Problems.Validation(errors);
        return TypedResults.Ok(await PageAsync(staff, after, limit ?? DefaultLimit, ct));
    }

    public async Task<Listing<CampaignView>> PageAsync(Staff staff, (DateTimeOffset At, Guid Id)? after, int take, CancellationToken ct)
    {
        var query = BacklogAccess.Visible(db, staff).AsNoTracking();
        if (after is { } a) query = query.Where(c => c.CreatedAt < a.At || (c.CreatedAt == a.At && c.Id.CompareTo(a.Id) < 0));
        var page = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(take + 1).ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var ids = page.Select(c => c.Id).ToList();
        var unitIds = page.Select(c => c.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => new { u.Name, u.Path }, ct);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var progress = await GetCampaign.ProgressAsync(db, ids, today, ct);
        // Whole from the campaign's unit or above; otherwise reached as an owner of some of its members.
        var items = page.Select(c => GetCampaign.Of(c, units.GetValueOrDefault(c.UnitId)?.Name ?? "", progress.GetValueOrDefault(c.Id) ?? ProgressView.Empty, today,
            units.GetValueOrDefault(c.UnitId)?.Path.StartsWith(staff.Unit.Path, StringComparison.Ordinal) == true)).ToList();
        return new Listing<CampaignView>(items, more ? Cursors.EncodeInstant(page[^1].CreatedAt, page[^1].Id) : null);
    }
}
