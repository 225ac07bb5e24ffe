using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Data;

namespace Xinfang.Web.Audit;

/// <summary>What is wrong at the first broken link.</summary>
public enum AuditBreakKind
{
    /// <summary>The row's fields no longer hash to its stored hash: it was edited.</summary>
    Altered,
    /// <summary>Sequence numbers jump: one or more rows were removed.</summary>
    Missing,
    /// <summary>The row's previous hash is not the hash of the row before it (rows replaced, reordered or re-hashed).</summary>
    WrongPreviousHash,
    /// <summary>The row names a hash algorithm this machine cannot compute (SM3 without libcrypto's SM3).</summary>
    Unverifiable,
}

public sealed record AuditBreak(long Sequence, DateTimeOffset? At, AuditBreakKind Kind, string Description);

/// <summary>The outcome of walking the chain: how many rows were checked, from where, and the first broken link if any.</summary>
public sealed record AuditVerification(long Checked, long? FromCheckpoint, long LastSequence, string HeadHash, AuditBreak? Break)
{
    public bool Intact => Break is null;

    /// <summary>One line for the console and the page.</summary>
    public string Summary => Break is { } b
        ? $"已校验 {Checked} 条，第 {b.Sequence} 条处链断裂 (broken at #{b.Sequence}{(b.At is { } at ? " " + at.ToString("O") : "")}): {b.Description}"
        : $"已校验 {Checked} 条 (checked {Checked} entries{(FromCheckpoint is { } c ? $" after checkpoint #{c}" : "")}), 完整 (intact). 链头 #{LastSequence} {HeadHash}";
}

/// <summary>
/// Walks the audit chain from the last retention checkpoint (or the genesis) in batches, recomputing every hash,
/// and names the first broken link. A store can be checked by anyone holding it: `xinfang audit verify`.
/// Removing rows at the tail leaves no gap to see; the printed head (sequence and hash) is meant to be noted
/// outside the store (a daily report, the operator's log) so that a later verification can be compared with it.
/// </summary>
public static class VerifyAuditTrail
{
    public const int Batch = 2000;

    public static async Task<AuditVerification> RunAsync(XinfangDb db, CancellationToken ct, Action<long>? progress = null)
    {
        var checkpoint = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        var (sequence, hash) = checkpoint is null ? (0L, AuditChain.Genesis) : (checkpoint.Sequence, checkpoint.Hash);
        long count = 0;
        while (true)
        {
            var after = sequence;
            var rows = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(Batch).ToListAsync(ct);
            if (rows.Count == 0) break;
            foreach (var row in rows)
            {
                if (Check(row, sequence, hash) is { } broken)
                    return new AuditVerification(count, checkpoint?.Sequence, sequence, hash, broken);
                sequence = row.Sequence;
                hash = row.Hash;
                count++;
            }
            progress?.Invoke(count);
        }
        return new AuditVerification(count, checkpoint?.Sequence, sequence, hash, null);
    }

    static AuditBreak? Check(AuditEntry row, long previousSequence, string previousHash)
    {
        if (row.Sequence != previousSequence + 1)
        {
            var first = previousSequence + 1;
            var last = row.Sequence - 1;
            return new AuditBreak(first, null, AuditBreakKind.Missing,
                first == last ? $"第 {first} 条缺失 (row #{first} is missing)" : $"第 {first}–{last} 条缺失 (rows #{first}–#{last} are missing)");
        }
        if (row.PreviousHash != previousHash)
            return new AuditBreak(row.Sequence, row.At, AuditBreakKind.WrongPreviousHash,
                $"前序哈希与第 {previousSequence} 条不符 (previous hash does not match #{previousSequence})");
        if (!AuditChain.CanCompute(row.Algorithm))
            return new AuditBreak(row.Sequence, row.At, AuditBreakKind.Unverifiable,
                $"本机无法计算 {row.Algorithm} 哈希 (cannot compute {row.Algorithm} here)");
        if (AuditChain.HashOf(row) != row.Hash)
            return new AuditBreak(row.Sequence, row.At, AuditBreakKind.Altered, "记录内容已被改动 (row altered: its fields do not hash to its hash)");
        return null;
    }
}
