using System.Text;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Petitions;

public sealed record PetitionPage(IReadOnlyList<PetitionView> Items, string? NextCursor);

/// <summary>
/// The jurisdiction's petitions, newest first, keyset-paginated over the (unit, registeredAt, number) index
/// of petition_access: a page costs its own rows, however deep.
/// </summary>
public sealed class ListPetitions(XinfangDb db, CalendarStore calendar)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public async Task<IResult> HandleAsync(Staff staff, string? status, string? warning, Guid? unitId, string? q,
        string? cursor, int? limit, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var errors = new Dictionary<string, string[]>();
        var statusFilter = RegisterPetition.ParseEnum<PetitionStatus>(status);
        if (status is not null && statusFilter is null) errors["status"] = ["未知的状态"];
        var warningFilter = RegisterPetition.ParseEnum<Warning>(warning);
        if (warning is not null && warningFilter is null) errors["warning"] = ["预警应为 none、yellow 或 red"];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        (DateTimeOffset At, string Number)? after = null;
        if (cursor is not null)
        {
            after = Decode(cursor);
            if (after is null) errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var scope = staff.Unit.Id;
        if (unitId is { } asked && asked != scope)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == asked, ct);
            if (unit is null || !staff.Unit.Contains(unit)) return Problems.NotFound("单位");
            scope = unit.Id;
        }
        var take = limit ?? DefaultLimit;
        var rows = db.PetitionAccess.Where(a => a.UnitId == scope);
        if (after is { } c)
            rows = rows.Where(a => a.RegisteredAt < c.At || (a.RegisteredAt == c.At && string.Compare(a.Number, c.Number) < 0));
        var query = rows.Join(db.Petitions.Where(Jurisdiction.NotHiddenFrom(staff)), a => a.PetitionId, p => p.Id, (a, p) => new { a, p });
        if (statusFilter is { } s) query = query.Where(x => x.p.Status == s);
        if (warningFilter is { } w) query = query.Where(x => x.p.Warning == w);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            // Art. 30 ¶3: a title the caller sees only as a notice must not be confirmable by searching it.
            var titled = db.Petitions.Where(Jurisdiction.SeenInFullBy(staff)).Where(p => p.Title.Contains(term)).Select(p => p.Id);
            query = query.Where(x => x.p.Number == term || titled.Contains(x.p.Id));
        }
        var page = await query.OrderByDescending(x => x.a.RegisteredAt).ThenByDescending(x => x.a.Number)
            .Take(take + 1).Select(x => x.p).Include(p => p.Petitioners).AsNoTracking().ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var deadlines = calendar.Deadlines;
        var recused = await Recusals.AmongAsync(db, staff.User.Id, page.Select(p => p.Id).ToList(), ct);
        var items = page.Select(p => PetitionView.Of(p, staff, deadlines, recused.Contains(p.Id))).ToList();
        var next = more ? Encode(page[^1].RegisteredAt, page[^1].Number) : null;
        return TypedResults.Ok(new PetitionPage(items, next));
    }

    static string Encode(DateTimeOffset at, string number) => Cursors.Encode($"{at.UtcTicks}|{number}");

    static (DateTimeOffset, string)? Decode(string cursor)
    {
        try
        {
            if (Cursors.Decode(cursor) is not { } key) return null;
            var parts = key.Split('|', 2);
            return (new DateTimeOffset(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }
}
