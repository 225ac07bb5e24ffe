using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Xinfang.Domain.Measures;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.FollowUp;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Dashboard;

/// <summary>
/// Keeps measure_facts and measure_counts in step with every save of a petition or a rating, in the same transaction:
/// registration, every step, the sweep, the portal, category corrections and repeat links all pass through
/// SaveChanges, so no use case has to remember the measures. The facts row is updated through the change tracker; the
/// counts by increments (INSERT … ON CONFLICT DO UPDATE SET n = n + …), which concurrent saves cannot lose.
/// </summary>
public sealed class MeasureRecorder(CalendarStore calendar) : SaveChangesInterceptor
{
    sealed class Pending
    {
        public Dictionary<CountKey, (int N, long Days)> Delta = [];
        public IDbContextTransaction? Own;
    }

    readonly ConditionalWeakTable<DbContext, Pending> pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData e, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (e.Context is XinfangDb db) await PrepareAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData e, InterceptionResult<int> result)
    {
        if (e.Context is XinfangDb db) PrepareAsync(db, default).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData e, int result, CancellationToken ct = default)
    {
        if (e.Context is XinfangDb db) await CompleteAsync(db, ct);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData e, int result)
    {
        if (e.Context is XinfangDb db) CompleteAsync(db, default).GetAwaiter().GetResult();
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData e, CancellationToken ct = default) => await AbandonAsync(e.Context);
    public override void SaveChangesFailed(DbContextErrorEventData e) => AbandonAsync(e.Context).GetAwaiter().GetResult();
    public override async Task SaveChangesCanceledAsync(DbContextEventData e, CancellationToken ct = default) => await AbandonAsync(e.Context);

    // A concurrency failure (a stale version) does not reach SaveChangesFailed: EF reports it here before throwing.
    // Without this the transaction begun in PrepareAsync stayed open on the connection, and the next save of the
    // same context (an audit append after a calendar import met a concurrent step) failed as a nested transaction.
    public override async ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData e, InterceptionResult result, CancellationToken ct = default)
    {
        await AbandonAsync(e.Context);
        return result;
    }

    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData e, InterceptionResult result)
    {
        AbandonAsync(e.Context).GetAwaiter().GetResult();
        return result;
    }

    async Task PrepareAsync(XinfangDb db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var petitions = db.ChangeTracker.Entries<Petition>().Where(x => x.State is EntityState.Added or EntityState.Modified).ToList();
        var ratings = db.ChangeTracker.Entries<SatisfactionRating>().Where(x => x.State == EntityState.Added && x.Entity.Stage == RatingStage.Reply).ToList();
        if (petitions.Count == 0 && ratings.Count == 0) return;

        // Repeats point back at their original: its first-time resolution fails (PetitionFacts.WithRepeatReceived).
        var repeats = petitions.Where(x => x.Entity.RepeatOfId is { } original
                && (x.State == EntityState.Added || !Equals(x.Property(p => p.RepeatOfId).OriginalValue, original)))
            .Select(x => (Original: x.Entity.RepeatOfId!.Value, On: Domain.Deadlines.ChinaTime.DateOf(x.Entity.ReceivedAt))).ToList();
        var ids = petitions.Select(x => x.Entity.Id).Concat(ratings.Select(r => r.Entity.PetitionId)).Concat(repeats.Select(r => r.Original)).Distinct().ToList();
        var tracked = db.ChangeTracker.Entries<PetitionFacts>().Where(x => ids.Contains(x.Entity.PetitionId)).ToDictionary(x => x.Entity.PetitionId, x => x.Entity);
        var missing = ids.Where(id => !tracked.ContainsKey(id)).ToList();
        foreach (var chunk in missing.Chunk(500))
            foreach (var f in await db.MeasureFacts.Where(f => chunk.Contains(f.PetitionId)).ToListAsync(ct))
                tracked[f.PetitionId] = f;

        var before = tracked.ToDictionary(kv => kv.Key, kv => (PetitionFacts?)(kv.Value with { }));
        var after = new Dictionary<Guid, PetitionFacts>();
        foreach (var x in petitions)
            after[x.Entity.Id] = PetitionFacts.Of(x.Entity, before.GetValueOrDefault(x.Entity.Id), calendar.Deadlines);
        foreach (var (original, on) in repeats)
            if ((after.GetValueOrDefault(original) ?? before.GetValueOrDefault(original)) is { } facts) after[original] = facts.WithRepeatReceived(on);
        foreach (var r in ratings)
            if ((after.GetValueOrDefault(r.Entity.PetitionId) ?? before.GetValueOrDefault(r.Entity.PetitionId)) is { } facts) after[r.Entity.PetitionId] = facts.WithRating(r.Entity.Level);

        var lines = await LinesAsync(db, after.Values.Concat(before.Values.OfType<PetitionFacts>()), ct);
        var state = pending.GetOrCreateValue(db);
        foreach (var (id, facts) in after)
        {
            var old = before.GetValueOrDefault(id);
            if (old == facts) continue;
            foreach (var (key, v) in Tallies.Delta(old, facts, u => lines.GetValueOrDefault(u)))
            {
                state.Delta.TryGetValue(key, out var sum);
                state.Delta[key] = (sum.N + v.N, sum.Days + v.Days);
            }
            if (tracked.TryGetValue(id, out var row)) db.Entry(row).CurrentValues.SetValues(facts);
            else db.MeasureFacts.Add(facts);
        }
        if (state.Delta.Count > 0 && state.Own is null && db.Database.CurrentTransaction is null)
            state.Own = await db.Database.BeginTransactionAsync(ct);
    }

    async Task CompleteAsync(XinfangDb db, CancellationToken ct)
    {
        if (!pending.TryGetValue(db, out var state)) return;
        pending.Remove(db);
        try
        {
            await ApplyAsync(db, state.Delta, ct);
            if (state.Own is { } own) await own.CommitAsync(ct);
        }
        finally
        {
            if (state.Own is { } own) await own.DisposeAsync();
        }
    }

    async Task AbandonAsync(DbContext? db)
    {
        if (db is null || !pending.TryGetValue(db, out var state)) return;
        pending.Remove(db);
        if (state.Own is { } own)
        {
            await own.RollbackAsync();
            await own.DisposeAsync();
        }
    }

    /// <summary>Where each unit sits (path and level), for the scopes a fact counts in.</summary>
    public static async Task<Dictionary<Guid, UnitLine>> LinesAsync(XinfangDb db, IEnumerable<PetitionFacts> facts, CancellationToken ct)
    {
        var unitIds = facts.SelectMany(f => new[] { f.ReceivingUnitId, f.ResponsibleUnitId ?? f.ReceivingUnitId }).Distinct().ToList();
        var lines = new Dictionary<Guid, UnitLine>();
        foreach (var chunk in unitIds.Chunk(500))
            foreach (var u in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.Path, u.Level }).ToListAsync(ct))
                lines[u.Id] = new UnitLine(Jurisdiction.PathOf(u.Path).ToList(), u.Level);
        return lines;
    }

    /// <summary>Adds the increments to measure_counts, in key order (concurrent saves lock rows in one order: no deadlock).</summary>
    public static async Task ApplyAsync(XinfangDb db, IReadOnlyDictionary<CountKey, (int N, long Days)> delta, CancellationToken ct)
    {
        if (delta.Count == 0) return;
        var sqlite = db.IsSqlite;
        var ordered = delta.Where(kv => kv.Value != (0, 0))
            .OrderBy(kv => kv.Key.ScopeUnitId).ThenBy(kv => kv.Key.Dim, StringComparer.Ordinal).ThenBy(kv => kv.Key.Fact, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Day).ThenBy(kv => kv.Key.Value, StringComparer.Ordinal).ToList();
        var conn = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        const string Upsert = " ON CONFLICT (scope_unit_id, dim, fact, day, value) DO UPDATE SET n = measure_counts.n + excluded.n, days = measure_counts.days + excluded.days";
        if (sqlite)
        {
            // SQLite: one prepared single-row statement (binding by name is linear in the parameters: many-row statements cost quadratically).
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = transaction;
            cmd.CommandText = "INSERT INTO measure_counts (scope_unit_id, dim, fact, day, value, n, days) VALUES (@s, @d, @f, @t, @v, @n, @x)" + Upsert;
            var p = new[] { "@s", "@d", "@f", "@t", "@v", "@n", "@x" }.Select(name => Parameter(cmd, name, DBNull.Value)).ToArray();
            cmd.Prepare();
            foreach (var (k, v) in ordered)
            {
                p[0].Value = k.ScopeUnitId.ToString().ToUpperInvariant();
                p[1].Value = k.Dim;
                p[2].Value = k.Fact;
                p[3].Value = k.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                p[4].Value = k.Value;
                p[5].Value = (long)v.N;
                p[6].Value = v.Days;
                await cmd.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        // PostgreSQL: many rows a statement, one round trip each.
        foreach (var chunk in ordered.Chunk(1000))
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO measure_counts (scope_unit_id, dim, fact, day, value, n, days) VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                var (k, v) = chunk[i];
                if (i > 0) sql.Append(", ");
                sql.Append($"(@s{i}, @d{i}, @f{i}, @t{i}, @v{i}, @n{i}, @x{i})");
                Parameter(cmd, "@s" + i, k.ScopeUnitId);
                Parameter(cmd, "@d" + i, k.Dim);
                Parameter(cmd, "@f" + i, k.Fact);
                Parameter(cmd, "@t" + i, k.Day);
                Parameter(cmd, "@v" + i, k.Value);
                Parameter(cmd, "@n" + i, (long)v.N);
                Parameter(cmd, "@x" + i, v.Days);
            }
            cmd.CommandText = sql.Append(Upsert).ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    static DbParameter Parameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
        return p;
    }
}
