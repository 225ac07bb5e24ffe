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

    /// <summary>The band-key rows, <see cref="RowsPerStatement"/> a statement.</summary>
    static Task InsertAsync(DbConnection conn, DbTransaction? tx, IReadOnlyList<PetitionBandKey> keys, bool sqlite, CancellationToken ct) =>
        InsertRowsAsync(conn, tx, "petition_band_keys (band_key, petition_id)", keys, k => [k.BandKey, Id(k.PetitionId, sqlite)], ct);

    /// <summary>The summary rows, <see cref="RowsPerStatement"/> a statement.</summary>
    static Task InsertAsync(DbConnection conn, DbTransaction? tx, IReadOnlyList<PetitionShingles> sets, bool sqlite, CancellationToken ct) =>
        InsertRowsAsync(conn, tx, "petition_shingles (petition_id, shingles)", sets, s => [Id(s.PetitionId, sqlite), s.Shingles], ct);

    // EF stores a Guid as upper-case text on SQLite (ADO.NET would bind a blob).
    static object Id(Guid id, bool sqlite) => sqlite ? id.ToString().ToUpperInvariant() : id;

    /// <summary>Multi-row inserts with parameters (both providers), <see cref="RowsPerStatement"/> rows each; rows already there are kept.</summary>
    static async Task InsertRowsAsync<T>(DbConnection conn, DbTransaction? tx, string into, IReadOnlyList<T> rows, Func<T, object[]> values, CancellationToken ct)
    {
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var sql = new System.Text.StringBuilder("INSERT INTO ").Append(into).Append(" VALUES ");
            for (var i = 0; i < count; i++)
            {
                sql.Append(i > 0 ? ",(" : "(");
                var row = values(rows[start + i]);
                for (var c = 0; c < row.Length; c++)
                {
                    var name = $"@v{i}_{c}";
                    sql.Append(c > 0 ? ", " : "").Append(name);
                    cmd.AddParameter(name, row[c]);
                }
                sql.Append(')');
            }
            cmd.CommandText = sql.Append(" ON CONFLICT DO NOTHING").ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
