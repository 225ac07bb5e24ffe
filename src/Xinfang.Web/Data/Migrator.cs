using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Xinfang.Web.Data;

/// <summary>
/// Applies the hand-written migrations of the configured provider (Data/Migrations/Sqlite|Postgres/NNNN_name.sql),
/// each once and in its own transaction, recorded in schema_migrations. Two processes starting together
/// take turns (PostgreSQL advisory lock; SQLite's write lock).
/// </summary>
public sealed class Migrator(XinfangDb db, ILogger<Migrator> log, Cryptography.PersonalDataRewrite personalData)
{
    const long AdvisoryLock = 7_231_900_001;

    public static IReadOnlyList<(string Id, string Sql)> Scripts(bool sqlite)
    {
        var folder = sqlite ? ".Data.Migrations.Sqlite." : ".Data.Migrations.Postgres.";
        var asm = Assembly.GetExecutingAssembly();
        return asm.GetManifestResourceNames()
            .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Id: n[(n.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4], Name: n))
            .OrderBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => (x.Id, new StreamReader(asm.GetManifestResourceStream(x.Name)!).ReadToEnd()))
            .ToList();
    }

    /// <summary>Returns the ids of the migrations applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        var sqlite = db.IsSqlite;
        if (sqlite) EnsureSqliteFolder();
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var applied = new List<string>();
        try
        {
            if (sqlite) await Exec(conn, null, "PRAGMA journal_mode=WAL;", ct);
            else await Exec(conn, null, $"SELECT pg_advisory_lock({AdvisoryLock});", ct);
            await Exec(conn, null, "CREATE TABLE IF NOT EXISTS schema_migrations (id VARCHAR(200) PRIMARY KEY, applied_at VARCHAR(40) NOT NULL);", ct);
            foreach (var (id, sql) in Scripts(sqlite))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                if (await Scalar(conn, tx, $"SELECT COUNT(*) FROM schema_migrations WHERE id = '{id}'", ct) > 0)
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
                await Exec(conn, tx, sql, ct);
                await Exec(conn, tx, $"INSERT INTO schema_migrations (id, applied_at) VALUES ('{id}', '{DateTimeOffset.UtcNow:O}')", ct);
                await tx.CommitAsync(ct);
                log.LogInformation("Applied migration {Id}", id);
                applied.Add(id);
            }
            if (!sqlite) await Exec(conn, null, $"SELECT pg_advisory_unlock({AdvisoryLock});", ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // SQL cannot encrypt: the clear personal data of a store from before 0008 is encrypted here, idempotently.
        await personalData.EncryptClearRowsAsync(ct);
        return applied;
    }

    void EnsureSqliteFolder()
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }

    static async Task Exec(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static async Task<long> Scalar(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }
}
