using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Data;

namespace Xinfang.Web.Audit;

/// <summary>
/// Retention (网络安全法 Art. 21: network logs kept at least six months): removes the head of the chain older
/// than Audit:RetentionDays (default 365, never less than 180) and records a checkpoint — the last removed
/// row's sequence and hash — in the same transaction, so verification starts there. The database allows the
/// delete only behind such a checkpoint and only for rows older than 180 days. Only a contiguous head is cut
/// (rows are in sequence order, times may differ slightly between nodes), and only when the part to be cut
/// verifies: a purge never hides a broken link.
/// </summary>
public sealed class PurgeAuditTrail(XinfangDb db, IConfiguration config, TimeProvider? clock = null)
{
    public const int MinimumDays = 180;
    public const int DefaultDays = 365;

    public int RetentionDays => Math.Max(MinimumDays, config.GetValue("Audit:RetentionDays", DefaultDays));

    public sealed record Outcome(long Purged, long? CheckpointSequence, AuditBreak? RefusedFor);

    public async Task<Outcome> RunAsync(CancellationToken ct)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var cut = now.AddDays(-RetentionDays);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!db.IsSqlite) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditTrail.ChainLock})", ct);
        var firstKept = await db.AuditEntries.AsNoTracking().Where(e => e.At >= cut).OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        var last = await db.AuditEntries.AsNoTracking().Where(e => firstKept == null || e.Sequence < firstKept)
            .OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
        if (last is null) return new Outcome(0, null, null);

        var check = await VerifyAuditTrail.RunAsync(db, ct);
        if (check.Break is { } broken && broken.Sequence <= last.Sequence + 1) return new Outcome(0, null, broken);

        var count = await db.AuditEntries.CountAsync(e => e.Sequence <= last.Sequence, ct);
        db.AuditCheckpoints.Add(new AuditCheckpoint { Sequence = last.Sequence, Hash = last.Hash, At = last.At, PurgedAt = now, PurgedCount = count });
        await db.SaveChangesAsync(ct);
        await db.AuditEntries.Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(ct);
        await new AuditTrail(db).SaveAsync(new AuditRecord(AuditActions.AuditPurged, AuditActor.System, AuditTargets.AuditTrail, null,
            new { upTo = last.Sequence, count, retentionDays = RetentionDays }), ct);
        await tx.CommitAsync(ct);
        return new Outcome(count, last.Sequence, null);
    }
}
