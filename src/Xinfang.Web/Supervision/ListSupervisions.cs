using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Supervision;

/// <summary>
/// What the ledger is cut to. <c>Side</c>: "issued" (by the caller's own unit) or "addressed" (to it); null for
/// everything of the caller's territory. <c>UnitId</c>: 督办 issued or addressed within that unit's subtree.
/// <c>From</c>/<c>To</c>: the day of issue, inclusive.
/// </summary>
public sealed record SupervisionLedgerFilter(SupervisionStatus? Status = null, SupervisionForm? Form = null, Guid? UnitId = null,
    string? Side = null, DateOnly? From = null, DateOnly? To = null);

public sealed record SupervisionPage(IReadOnlyList<SupervisionRow> Items, string? NextCursor);

/// <summary>
/// GET /supervisions: the supervision ledger (督办台账) of the caller's territory, newest first (keyset pages).
/// <see cref="RowsAsync"/> streams every row of a filter, for exports.
/// </summary>
public sealed class ListSupervisions(XinfangDb db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public async Task<IResult> HandleAsync(Staff staff, string? status, string? form, Guid? unitId, string? side, string? from, string? to,
        string? cursor, int? limit, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var (filter, errors) = Parse(status, form, unitId, side, from, to);
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        string? after = null;
        if (cursor is not null)
        {
            after = Decode(cursor);
            if (after is null) errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        var query = await QueryAsync(staff, filter!, ct);
        if (query is null) return Problems.NotFound("单位");
        var take = limit ?? DefaultLimit;
        var page = await Page(query, after, take + 1).ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var rows = await GetSupervision.RowsOf(db, staff, page, ct);
        return TypedResults.Ok(new SupervisionPage(rows, more ? Cursors.Encode(page[^1].SortKey) : null));
    }

    /// <summary>The query parameters as a filter, or the Chinese reasons why not.</summary>
    public static (SupervisionLedgerFilter? Filter, Dictionary<string, string[]> Errors) Parse(string? status, string? form, Guid? unitId, string? side, string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>();
        var s = RegisterPetition.ParseEnum<SupervisionStatus>(status);
        if (!string.IsNullOrWhiteSpace(status) && s is null) errors["status"] = ["状态应为 open、answered、closed、overdue 或 escalated"];
        var f = RegisterPetition.ParseEnum<SupervisionForm>(form);
        if (!string.IsNullOrWhiteSpace(form) && f is null) errors["form"] = ["督办方式应为 phone、letter、flagged、interview、circular 或 orderedCorrection"];
        if (!string.IsNullOrWhiteSpace(side) && side is not ("issued" or "addressed")) errors["side"] = ["应为 issued（本单位督办的）或 addressed（督办本单位的）"];
        DateOnly? Day(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", out var d)) return d;
            errors[field] = ["日期应为 年-月-日"];
            return null;
        }
        var fromDay = Day(from, "from");
        var toDay = Day(to, "to");
        if (fromDay is { } a && toDay is { } b && b < a) errors["to"] = ["截止日期不能早于起始日期"];
        return errors.Count > 0 ? (null, errors) : (new SupervisionLedgerFilter(s, f, unitId, string.IsNullOrWhiteSpace(side) ? null : side, fromDay, toDay), errors);
    }

    /// <summary>The caller's ledger under a filter, or null when the filter's unit is not in their territory.</summary>
    public async Task<IQueryable<Supervision>?> QueryAsync(Staff staff, SupervisionLedgerFilter filter, CancellationToken ct)
    {
        var query = SupervisionScope.Visible(db, staff);
        if (filter.UnitId is { } unitId)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null || !SupervisionScope.Covers(staff.Unit, unit.Path)) return null;
            var path = unit.Path;
            var units = db.Units.Where(u => u.Path.StartsWith(path));
            query = query.Where(s => units.Any(u => u.Id == s.IssuerUnitId || u.Id == s.AddresseeUnitId));
        }
        var mine = staff.Unit.Id;
        if (filter.Side == "issued") query = query.Where(s => s.IssuerUnitId == mine);
        if (filter.Side == "addressed") query = query.Where(s => s.AddresseeUnitId == mine);
        if (filter.Status is { } status) query = query.Where(s => s.Status == status);
        if (filter.Form is { } form) query = query.Where(s => s.Form == form);
        if (filter.From is { } from) query = query.Where(s => s.IssuedOn >= from);
        if (filter.To is { } to) query = query.Where(s => s.IssuedOn <= to);
        return query;
    }

    /// <summary>
    /// Every row of the caller's ledger under a filter, newest first, read in keyset batches (an export of any size
    /// holds one batch at a time). Empty when the filter's unit is outside the caller's territory.
    /// </summary>
    public async IAsyncEnumerable<SupervisionRow> RowsAsync(Staff staff, SupervisionLedgerFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var query = await QueryAsync(staff, filter, ct);
        if (query is null) yield break;
        string? after = null;
        while (true)
        {
            var batch = await Page(query, after, MaxLimit).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            foreach (var row in await GetSupervision.RowsOf(db, staff, batch, ct)) yield return row;
            if (batch.Count < MaxLimit) yield break;
            after = batch[^1].SortKey;
        }
    }

    static IQueryable<Supervision> Page(IQueryable<Supervision> query, string? after, int take)
    {
        if (after is not null) query = query.Where(s => string.Compare(s.SortKey, after) < 0);
        return query.OrderByDescending(s => s.SortKey).Take(take).AsNoTracking();
    }

    /// <summary>The sort key inside a cursor, or null when it is not one of ours.</summary>
    static string? Decode(string cursor) =>
        Cursors.Decode(cursor) is { Length: 52 } key && key[19] == '|' && key[..19].All(char.IsAsciiDigit) && key[20..].All(char.IsAsciiHexDigit) ? key : null;
}
