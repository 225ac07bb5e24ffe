using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Xinfang.Web.Data;

namespace Xinfang.Web.Intake;

/// <summary>
/// Rebuilds <c>petition_band_keys</c> and <c>petition_shingles</c> from every stored petition (`xinfang text reindex`): after migration 0006 on a
/// store with petitions (0019 for the shingle sets), or after the near-duplicate options that shape the keys change. Batched by petition id; each
/// batch is its own transaction, so a large store is never locked for long. Registration keeps the index current.
/// </summary>
public sealed class ReindexBandKeys(XinfangDb db)
{
    public const int DefaultBatch = 1_000;
    const int RowsPerStatement = 500;

    /// <summary>Returns the number of petitions indexed; <paramref name="progress"/> gets (done, total) after each batch.</summary>
    public async Task<long> RunAsync(IProgress<(long Done, long Total)>? progress, CancellationToken ct, int batch = DefaultBatch)
    {
        var total = await db.Petitions.LongCountAsync(ct);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM petition_band_keys", ct);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM petition_shingles", ct);
        progress?.Report((0, total));
        long done = 0;
        Guid? after = null;
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            while (true)
            {
                var query = db.Petitions.AsNoTracking();
                if (after is { } last) query = query.Where(p => p.Id.CompareTo(last) > 0);
                var rows = await query.OrderBy(p => p.Id).Take(batch).Select(p => new { p.Id, p.Title, p.Content }).ToListAsync(ct);
                if (rows.Count == 0) break;
                var index = rows.Select(r => FindSimilarPetitions.IndexOf(r.Id, r.Title, r.Content)).ToList();
                await using (var tx = await db.Database.BeginTransactionAsync(ct))
                {
                    await InsertAsync(conn, tx.GetDbTransaction(), index.SelectMany(i => i.Keys).ToList(), db.IsSqlite, ct);
                    await InsertAsync(conn, tx.GetDbTransaction(), index.Select(i => i.Shingles).ToList(), db.IsSqlite, ct);
                    await tx.CommitAsync(ct);
                }
                done += rows.Count;
                after = rows[^1].Id;
                progress?.Report((done, Math.Max(total, done)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return done;
    }

    /// <summary>Multi-row inserts with parameters (both providers), <see cref="RowsPerStatement"/> rows each.</summary>
    public static async Task InsertAsync(DbConnection conn, DbTransaction? tx, IReadOnlyList<PetitionBandKey> keys, bool sqlite, CancellationToken ct)
    {
        for (var start = 0; start < keys.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, keys.Count - start);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var sql = new System.Text.StringBuilder("INSERT INTO petition_band_keys (band_key, petition_id) VALUES ");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) sql.Append(',');
                sql.Append("(@k").Append(i).Append(", @p").Append(i).Append(')');
                cmd.AddParameter("@k" + i, keys[start + i].BandKey);
                // EF stores a Guid as upper-case text on SQLite (ADO.NET would bind a blob).
                cmd.AddParameter("@p" + i, sqlite ? keys[start + i].PetitionId.ToString().ToUpperInvariant() : keys[start + i].PetitionId);
            }
            cmd.CommandText = sql.Append(" ON CONFLICT DO NOTHING").ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The shingle sets, <see cref="RowsPerStatement"/> rows a statement.</summary>
    static async Task InsertAsync(DbConnection conn, DbTransaction? tx, IReadOnlyList<PetitionShingles> sets, bool sqlite, CancellationToken ct)
    {
        for (var start = 0; start < sets.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, sets.Count - start);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var sql = new System.Text.StringBuilder("INSERT INTO petition_shingles (petition_id, shingles) VALUES ");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) sql.Append(',');
                sql.Append("(@p").Append(i).Append(", @s").Append(i).Append(')');
                cmd.AddParameter("@p" + i, sqlite ? sets[start + i].PetitionId.ToString().ToUpperInvariant() : sets[start + i].PetitionId);
                cmd.AddParameter("@s" + i, sets[start + i].Shingles);
            }
            cmd.CommandText = sql.Append(" ON CONFLICT DO NOTHING").ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
