using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Measures;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;

namespace Xinfang.Web.Dashboard;

/// <summary>
/// Rebuilds the measures from scratch (xinfang measures rebuild): facts for petitions that have none (registered
/// before the measures existed, or loaded in bulk), then measure_counts recounted from every facts row with the same
/// function the live saves use (Tallies.Rows), so a rebuild and the maintained counts agree.
/// </summary>
public static class MeasureRebuild
{
    public static async Task<(int Backfilled, int Counted)> RunAsync(XinfangDb db, CalendarStore calendar, CancellationToken ct, int batch = 2_000)
    {
        var backfilled = 0;
        while (true)
        {
            var petitions = await db.Petitions.AsNoTracking().Where(p => !db.MeasureFacts.Any(f => f.PetitionId == p.Id)).OrderBy(p => p.Id).Take(batch).ToListAsync(ct);
            if (petitions.Count == 0) break;
            // Straight to the facts table: the counts are recounted below, not incremented by the recorder.
            db.MeasureFacts.AddRange(petitions.Select(p => PetitionFacts.Of(p, null, calendar.Deadlines)));
            await SaveFactsOnlyAsync(db, ct);
            backfilled += petitions.Count;
        }
        return (backfilled, await RecountAsync(db, ct));
    }

    static async Task SaveFactsOnlyAsync(XinfangDb db, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct); // only PetitionFacts are tracked: the recorder has nothing to count
        db.ChangeTracker.Clear();
    }

    /// <summary>measure_counts from measure_facts, in one transaction; flushed in slices so memory stays bounded.</summary>
    public static async Task<int> RecountAsync(XinfangDb db, CancellationToken ct, int slice = 100_000)
    {
        var lines = (await db.Units.AsNoTracking().Select(u => new { u.Id, u.Path, u.Level }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => new UnitLine(Petitions.Jurisdiction.PathOf(u.Path).ToList(), u.Level));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.MeasureCounts.ExecuteDeleteAsync(ct);
        var counted = 0;
        var sums = new Dictionary<CountKey, (int N, long Days)>();
        // Month by month of receipt (an index-free range read each), flushing when the sums grow: increments add up.
        var first = await db.MeasureFacts.MinAsync(f => (DateOnly?)f.ReceivedOn, ct);
        var lastDay = await db.MeasureFacts.MaxAsync(f => (DateOnly?)f.ReceivedOn, ct);
        for (var from = first; from is { } start && start <= lastDay; from = start.AddDays(31))
        {
            var end = start.AddDays(31);
            var facts = await db.MeasureFacts.AsNoTracking().Where(f => f.ReceivedOn >= start && f.ReceivedOn < end).ToListAsync(ct);
            foreach (var f in facts)
                foreach (var (key, v) in Tallies.Rows(f, u => lines.GetValueOrDefault(u)))
                {
                    sums.TryGetValue(key, out var s);
                    sums[key] = (s.N + v.N, s.Days + v.Days);
                }
            counted += facts.Count;
            if (sums.Count > slice * 5) { await MeasureRecorder.ApplyAsync(db, sums, ct); sums.Clear(); }
        }
        await MeasureRecorder.ApplyAsync(db, sums, ct);
        await tx.CommitAsync(ct);
        return counted;
    }
}
