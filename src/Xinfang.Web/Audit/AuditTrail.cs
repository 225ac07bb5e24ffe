using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;

namespace Xinfang.Web.Audit;

/// <summary>
/// Appends to the one audit chain. <see cref="SaveAsync(AuditRecord, CancellationToken)"/> saves the context's
/// pending business changes and the audit rows in one transaction (joining the caller's when there is one), so
/// an audited action and its record commit together or not at all. Every timeline event being added is recorded
/// too (<c>petition.forward</c>…), so a workflow save path needs nothing but this call.
/// <para>
/// No forks: appends are serialised. On PostgreSQL a transaction-scoped advisory lock is taken after the
/// business rows are written and held only until commit, so every node of a cluster appends to one chain; the
/// head is read after the lock (READ COMMITTED gives the statement a fresh snapshot). SQLite has one writer at
/// a time and EF begins its transactions IMMEDIATE, so the head read inside the transaction is the head.
/// The sequence is also the primary key: a fork could never commit.
/// </para>
/// </summary>
public sealed class AuditTrail(XinfangDb db, IHttpContextAccessor? http = null, TimeProvider? clock = null)
{
    /// <summary>The advisory lock of the chain head (the migrator uses 7_231_900_001).</summary>
    public const long ChainLock = 7_231_900_009;
    public const int MaxDetail = 4000;

    /// <summary>
    /// The trail of a use case that holds only the context; the client address comes from the request being
    /// served (IHttpContextAccessor's ambient context). Times follow the real clock, like token expiry, even
    /// when a controllable clock moves the workflow's notion of now: an audit time is when it happened.
    /// </summary>
    public static AuditTrail For(XinfangDb db) => new(db, new HttpContextAccessor());

    public Task<int> SaveAsync(CancellationToken ct) => SaveAsync([], ct);

    public Task<int> SaveAsync(AuditRecord record, CancellationToken ct) => SaveAsync([record], ct);

    /// <summary>Records an event that has no business change of its own (a sign-in failure, a download).</summary>
    public Task AppendAsync(AuditRecord record, CancellationToken ct = default) => SaveAsync([record], ct);

    /// <summary>Saves pending changes and appends <paramref name="records"/> (and a record per added timeline event), atomically.</summary>
    public async Task<int> SaveAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        var all = records.Concat(StepsBeingAdded()).ToList();
        if (all.Count == 0) return await db.SaveChangesAsync(ct);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var appended = new List<AuditEntry>();
        try
        {
            // The business rows first, so the chain lock is held only for the append and the commit.
            var saved = await db.SaveChangesAsync(ct);
            if (!db.IsSqlite) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLock})", ct);
            var (sequence, previous) = await HeadAsync(db, ct);
            var names = await UserNamesAsync(all, ct);
            var at = AuditChain.Truncate((clock ?? TimeProvider.System).GetUtcNow());
            var address = Address();
            foreach (var r in all)
            {
                var detail = r.DetailJson;
                if (detail?.Length > MaxDetail) detail = """{"truncated":true}""";
                var entry = new AuditEntry
                {
                    Sequence = ++sequence, At = at, ActorKind = r.Actor.Kind, ActorUserId = r.Actor.UserId,
                    ActorUserName = r.Actor.UserName ?? (r.Actor.UserId is { } id ? names.GetValueOrDefault(id).Name : null),
                    ActorUnitId = r.Actor.UnitId ?? (r.Actor.UserId is { } uid && names.TryGetValue(uid, out var known) ? known.UnitId : null), ClientAddress = address, Action = r.Action, TargetKind = r.TargetKind,
                    TargetId = r.TargetId, Detail = detail, Algorithm = AuditChain.PreferredAlgorithm, PreviousHash = previous, Hash = "",
                };
                entry.Hash = AuditChain.HashOf(entry);
                previous = entry.Hash;
                appended.Add(entry);
                db.AuditEntries.Add(entry);
            }
            await db.SaveChangesAsync(ct);
            if (own is not null) await own.CommitAsync(ct);
            return saved;
        }
        catch
        {
            // Nothing was committed; the rows must not ride along with a later save of this context.
            foreach (var e in appended) db.Entry(e).State = EntityState.Detached;
            throw;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>The last link: the newest row, else the last purge's checkpoint, else the genesis.</summary>
    public static async Task<(long Sequence, string Hash)> HeadAsync(XinfangDb db, CancellationToken ct)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        if (last is not null) return (last.Sequence, last.Hash);
        var checkpoint = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence)
            .Select(c => new { c.Sequence, c.Hash }).FirstOrDefaultAsync(ct);
        return checkpoint is null ? (0, AuditChain.Genesis) : (checkpoint.Sequence, checkpoint.Hash);
    }

    IEnumerable<AuditRecord> StepsBeingAdded()
    {
        var events = db.ChangeTracker.Entries<PetitionEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        foreach (var e in events.OrderBy(e => e.At).ThenBy(e => e.Sequence))
        {
            var number = db.ChangeTracker.Entries<Petition>().FirstOrDefault(p => p.Entity.Id == e.PetitionId)?.Entity.Number;
            yield return AuditRecord.Step(e, number);
        }
    }

    async Task<Dictionary<Guid, (string? Name, Guid? UnitId)>> UserNamesAsync(List<AuditRecord> records, CancellationToken ct)
    {
        var ids = records.Where(r => (r.Actor.UserName is null || r.Actor.UnitId is null) && r.Actor.UserId is not null).Select(r => r.Actor.UserId!.Value).Distinct().ToList();
        if (ids.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => (u.UserName, (Guid?)u.UnitId), ct);
    }

    string? Address()
    {
        var ip = http?.HttpContext?.Connection.RemoteIpAddress;
        if (ip is null) return null;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var s = ip.ToString();
        return s.Length > 64 ? s[..64] : s;
    }
}
