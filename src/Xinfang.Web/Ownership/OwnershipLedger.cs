using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Ownership;

/// <summary>What the ledger is cut to: a leader's (current) ownerships, a status, a unit of the caller's subtree, and where a page starts.</summary>
public sealed record OwnershipFilter(Guid? LeaderId = null, OwnershipStatus? Status = null, Guid? UnitId = null, OwnershipCursor? After = null);

/// <summary>The ledger's order key: newest assignment first, the id breaking ties.</summary>
public sealed record OwnershipCursor(DateTimeOffset AssignedAt, Guid Id)
{
    public string Encode() => Cursors.Encode($"{AssignedAt.UtcTicks}|{Id:N}");

    public static OwnershipCursor? Decode(string cursor)
    {
        if (Cursors.Decode(cursor) is not { } key) return null;
        var parts = key.Split('|');
        return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
               && Guid.TryParseExact(parts[1], "N", out var id)
            ? new OwnershipCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id) : null;
    }
}

/// <summary>
/// The ownership ledger (包案台账) and the reads of one ownership. An ownership is seen by whoever sees its matter
/// in full (Jurisdiction.Visible, less what confidentiality shows only as a notice: a unit that must only pass an
/// accusation on has no business with who owns it).
/// </summary>
public sealed class OwnershipLedger(XinfangDb db, TimeProvider time)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    const int Batch = 100;

    /// <summary>The petitions whose ownerships the caller may read, within <paramref name="scope"/>'s access rows (default their own unit's).</summary>
    public IQueryable<Petition> Seen(Staff staff, Guid? scope = null)
    {
        var unit = scope ?? staff.Unit.Id;
        return db.Petitions.Where(p => db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == unit))
            .Where(Jurisdiction.NotHiddenFrom(staff)).Where(Jurisdiction.SeenInFullBy(staff));
    }

    /// <summary>
    /// Every ledger row the caller may read under <paramref name="filter"/>, in ledger order, read from the store a
    /// batch at a time: the API takes a page of it, an export may take it whole.
    /// </summary>
    public async IAsyncEnumerable<OwnershipRow> RowsAsync(Staff staff, OwnershipFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var seen = Seen(staff, filter.UnitId).Select(p => p.Id);
        var query = db.Set<Ownership>().AsNoTracking().Where(o => seen.Contains(o.PetitionId));
        if (filter.Status is { } status) query = query.Where(o => o.Status == status);
        if (filter.LeaderId is { } leader)
            query = query.Where(o => db.Set<OwnershipLeader>().Any(l => l.OwnershipId == o.Id && l.UserId == leader && l.ReleasedAt == null));
        var after = filter.After;
        while (true)
        {
            var page = query;
            if (after is { } c) page = page.Where(o => o.AssignedAt < c.AssignedAt || (o.AssignedAt == c.AssignedAt && o.Id.CompareTo(c.Id) < 0));
            var batch = await page.OrderByDescending(o => o.AssignedAt).ThenByDescending(o => o.Id).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            foreach (var view in await ViewsAsync(batch, staff, withDetail: false, ct)) yield return view.Row;
            if (batch.Count < Batch) yield break;
            after = new OwnershipCursor(batch[^1].AssignedAt, batch[^1].Id);
        }
    }

    /// <summary>GET /ownerships: one page of the ledger.</summary>
    public async Task<IResult> ListAsync(Staff staff, Guid? leaderId, string? status, Guid? unitId, string? cursor, int? limit, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var errors = new Dictionary<string, string[]>();
        var statusFilter = Intake.RegisterPetition.ParseEnum<OwnershipStatus>(status);
        if (status is not null && statusFilter is null) errors["status"] = ["状态应为 active、released 或 closed"];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        OwnershipCursor? after = null;
        if (cursor is not null && (after = OwnershipCursor.Decode(cursor)) is null) errors["cursor"] = ["分页游标无效"];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (unitId is { } asked && asked != staff.Unit.Id)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == asked, ct);
            if (unit is null || !staff.Unit.Contains(unit)) return Problems.NotFound("单位");
        }

        var take = limit ?? DefaultLimit;
        var items = new List<OwnershipRow>(Math.Min(take, Batch));
        var more = false;
        await foreach (var row in RowsAsync(staff, new OwnershipFilter(leaderId, statusFilter, unitId, after), ct))
        {
            if (items.Count == take) { more = true; break; }
            items.Add(row);
        }
        string? next = null;
        if (more)
        {
            // The cursor is the last row's own key, read back from the store (the row shows the China date only).
            var last = items[^1].Id;
            var at = await db.Set<Ownership>().AsNoTracking().Where(o => o.Id == last).Select(o => o.AssignedAt).FirstAsync(ct);
            next = new OwnershipCursor(at, last).Encode();
        }
        return TypedResults.Ok(new Listing<OwnershipRow>(items, next));
    }

    /// <summary>GET /ownerships/{id}.</summary>
    public async Task<IResult> GetAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var view = await ViewAsync(id, staff, ct);
        return view is null ? OwnershipProblems.NotFound() : new ETagged(TypedResults.Ok(view), view.Version);
    }

    /// <summary>One ownership as the caller may read it, or null (absent, or its matter outside what they see in full).</summary>
    public async Task<OwnershipView?> ViewAsync(Guid id, Staff staff, CancellationToken ct)
    {
        var o = await db.Set<Ownership>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null || !await Seen(staff).AnyAsync(p => p.Id == o.PetitionId, ct)) return null;
        return (await ViewsAsync([o], staff, withDetail: true, ct)).Single();
    }

    /// <summary>The ownerships of one matter the caller may read, newest first (the petition's 领导包案 page).</summary>
    public async Task<IReadOnlyList<OwnershipView>> OfPetitionAsync(Guid petitionId, Staff staff, CancellationToken ct)
    {
        var list = await db.Set<Ownership>().AsNoTracking().Where(o => o.PetitionId == petitionId)
            .OrderByDescending(o => o.AssignedAt).ThenByDescending(o => o.Id).ToListAsync(ct);
        return list.Count == 0 ? [] : await ViewsAsync(list, staff, withDetail: true, ct);
    }

    /// <summary>Builds the views of a batch of ownerships with a handful of queries (leaders, steps, matters, names).</summary>
    async Task<IReadOnlyList<OwnershipView>> ViewsAsync(IReadOnlyList<Ownership> batch, Staff staff, bool withDetail, CancellationToken ct)
    {
        var ids = batch.Select(o => o.Id).ToList();
        var petitionIds = batch.Select(o => o.PetitionId).Distinct().ToList();
        var leaders = await db.Set<OwnershipLeader>().AsNoTracking().Where(l => ids.Contains(l.OwnershipId)).ToListAsync(ct);
        var steps = await db.Set<OwnershipStep>().AsNoTracking().Where(s => ids.Contains(s.OwnershipId)).ToListAsync(ct);
        var progress = withDetail
            ? await db.Set<OwnershipProgress>().AsNoTracking().Where(p => ids.Contains(p.OwnershipId)).ToListAsync(ct)
            : [];
        var petitions = await db.Petitions.AsNoTracking().Where(p => petitionIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var userIds = leaders.Select(l => l.UserId).Concat(progress.Select(p => p.ByUserId)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var unitIds = leaders.Select(l => l.UnitId).Concat(steps.Select(s => s.ResponsibleUnitId).OfType<Guid>()).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var today = ChinaTime.DateOf(time.GetUtcNow());

        return batch.Select(o =>
        {
            var p = petitions[o.PetitionId];
            var mine = leaders.Where(l => l.OwnershipId == o.Id).OrderBy(l => l.Capacity).ThenBy(l => l.AssignedAt).ToList();
            OwnershipLeaderView LeaderView(OwnershipLeader l) =>
                new(l.UserId, users.GetValueOrDefault(l.UserId), l.UnitId, units.GetValueOrDefault(l.UnitId), l.Capacity, At(l.AssignedAt), l.ReleasedAt is { } r ? At(r) : null);
            var current = mine.Where(l => l.ReleasedAt is null).Select(LeaderView).ToList();
            var former = mine.Where(l => l.ReleasedAt is not null).Select(LeaderView).ToList();
            var plan = steps.Where(s => s.OwnershipId == o.Id).OrderBy(s => s.Position).Select(s => new OwnershipStepView(
                s.Id, s.Position, s.Title, s.DueOn, s.ResponsibleUnitId, s.ResponsibleUnitId is { } u ? units.GetValueOrDefault(u) : null,
                s.DoneAt is { } d ? At(d) : null, s.DoneNote,
                s.DoneAt is null && o.Status == OwnershipStatus.Active && s.DueOn < today)).ToList();
            var open = plan.Where(s => s.DoneAt is null).OrderBy(s => s.DueOn).ThenBy(s => s.Position).ToList();
            var notes = progress.Where(x => x.OwnershipId == o.Id).OrderByDescending(x => x.At).ThenByDescending(x => x.RecordedAt)
                .Select(x => new OwnershipProgressView(x.Id, At(x.At), At(x.RecordedAt), x.ByUserId, users.GetValueOrDefault(x.ByUserId), x.Text)).ToList();
            var clocks = p.Clocks.OrderBy(c => c.DueOn).Select(c => new ClockView(c.Name, c.StartedOn, c.DueOn, c.PausedDays, c.State, c.Warning, c.ExtendedDays)).ToList();
            return new OwnershipView(o.Id, p.Id, p.Number, p.Title, o.Status, current, former,
                At(o.AssignedAt), ChinaTime.DateOf(o.AssignedAt), o.AssignedByUserId, o.Note,
                o.PlanSummary, o.PlanUpdatedAt is { } pu ? At(pu) : null, plan,
                plan.Count(s => s.DoneAt is not null), plan.Count, open.FirstOrDefault(), open.Count(s => s.Overdue),
                notes, p.Warning, clocks, OutcomeOf(o), o.EndedAt is { } e ? At(e) : null, o.EndNote, o.Version)
            {
                CallerOwns = o.Status == OwnershipStatus.Active && current.Any(l => l.UserId == staff.User.Id),
            };
        }).ToList();
    }

    static DateTimeOffset At(DateTimeOffset t) => t.ToOffset(ChinaTime.Offset);

    static OwnershipOutcomeView? OutcomeOf(Ownership o) => o.Status != OwnershipStatus.Closed ? null : new(
        new(o.Resolved == true, o.ResolvedNote), new(o.Counselled == true, o.CounselledNote),
        new(o.Relieved == true, o.RelievedNote), new(o.HandledByLaw == true, o.HandledByLawNote),
        o.OutcomeSummary, o.EndedAt is { } e ? At(e) : null);
}
