using System.Data;
using System.Data.Common;
using System.IO.Compression;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Xinfang.Web.Attachments;
using Xinfang.Web.Data;

namespace Xinfang.Web.Operations;

/// <summary>
/// `xinfang backup FILE`: one archive with a consistent copy of the store, the attachment files and a manifest.
/// Safe while the server runs: SQLite is copied with its online backup API (one read transaction, so one
/// snapshot); PostgreSQL with pg_dump on a snapshot exported from the transaction that counts the rows, so
/// the counts in the manifest are those of the dump.
/// </summary>
public sealed class BackupStore(XinfangDb db, IOptions<AttachmentOptions> attachments, TimeProvider time)
{
    public async Task<BackupManifest> RunAsync(string archivePath, CancellationToken ct)
    {
        var target = Path.GetFullPath(archivePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        var work = Directory.CreateTempSubdirectory("xinfang-backup-").FullName;
        try
        {
            var (member, dumpFile, counts, migrations) = db.IsSqlite ? await CopySqliteAsync(work, ct) : await DumpPostgresAsync(work, ct);
            var members = new List<BackupMember>();
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    // pg_dump's custom format is compressed already.
                    members.Add(await BackupArchive.AddFileAsync(zip, member, dumpFile, db.IsSqlite ? CompressionLevel.Optimal : CompressionLevel.NoCompression, ct));
                    var root = Path.GetFullPath(attachments.Value.Root);
                    if (Directory.Exists(root))
                        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                            members.Add(await BackupArchive.AddFileAsync(zip, BackupArchive.AttachmentMember(root, path), path, CompressionLevel.NoCompression, ct));
                    var manifest = new BackupManifest(BackupArchive.Format, db.IsSqlite ? "sqlite" : "postgres", time.GetUtcNow(), member, counts, members, migrations);
                    var entry = zip.CreateEntry(BackupArchive.ManifestName, CompressionLevel.Optimal);
                    await using (var s = entry.Open())
                    await using (var w = new StreamWriter(s))
                        await w.WriteAsync(BackupArchive.Serialize(manifest));
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(partial, target, overwrite: true);
            await using var check = File.OpenRead(target);
            using var written = new ZipArchive(check, ZipArchiveMode.Read);
            await using var ms = written.GetEntry(BackupArchive.ManifestName)!.Open();
            return BackupArchive.Deserialize(ms)!;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    async Task<(string Member, string File, Dictionary<string, long> Counts, List<string> Migrations)> CopySqliteAsync(string work, CancellationToken ct)
    {
        var copy = Path.Combine(work, BackupArchive.SqliteMember);
        var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(Path.GetFullPath(source.DataSource)))
            throw new OperationsException(2, $"数据库文件不存在 (no database file): {source.DataSource}");
        await using (var from = new SqliteConnection(source.ToString()))
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
        {
            await from.OpenAsync(ct);
            await to.OpenAsync(ct);
            // sqlite3_backup_step(-1): every page in one step under one read lock — one consistent snapshot, writers go on (WAL).
            from.BackupDatabase(to);
            // The archive holds one self-contained file, not a WAL pair.
            await Exec(to, "PRAGMA journal_mode=DELETE;", ct);
        }
        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await check.OpenAsync(ct);
        return (BackupArchive.SqliteMember, copy, await CountAsync(check, null, ct), await MigrationsAsync(check, null, ct));
    }

    async Task<(string Member, string File, Dictionary<string, long> Counts, List<string> Migrations)> DumpPostgresAsync(string work, CancellationToken ct)
    {
        var dump = Path.Combine(work, BackupArchive.PostgresMember);
        var cs = db.Database.GetConnectionString()!;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        // The counts and pg_dump see the same snapshot: exported from this repeatable-read transaction, kept open meanwhile.
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var snap = new NpgsqlCommand("SELECT pg_export_snapshot()", conn, tx);
        var snapshot = (string)(await snap.ExecuteScalarAsync(ct))!;
        var counts = await CountAsync(conn, tx, ct);
        var migrations = await MigrationsAsync(conn, tx, ct);
        var (exit, stderr) = await PostgresTools.RunAsync("pg_dump", cs, ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", "--file", dump], ct);
        if (exit != 0) throw new OperationsException(4, $"pg_dump 失败 (pg_dump failed, exit {exit}):\n{stderr}");
        await tx.CommitAsync(ct);
        return (BackupArchive.PostgresMember, dump, counts, migrations);
    }

    /// <summary>Row counts of <see cref="BackupArchive.CountedTables"/> (tables this store does not have are left out).</summary>
    internal static async Task<Dictionary<string, long>> CountAsync(DbConnection conn, DbTransaction? tx, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in BackupArchive.CountedTables)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
            counts[table] = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
        }
        return counts;
    }

    /// <summary>The ids in schema_migrations, in order.</summary>
    internal static async Task<List<string>> MigrationsAsync(DbConnection conn, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT id FROM schema_migrations ORDER BY id";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    internal static async Task Exec(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
