using System.IO.Compression;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Xinfang.Web.Attachments;
using Xinfang.Web.Data;

namespace Xinfang.Web.Operations;

/// <summary>
/// `xinfang restore FILE`: puts a backup archive back, all or nothing. First every member is extracted to a
/// staging place and checked against the manifest (size, SHA-256, the zip's CRC; for SQLite also
/// integrity_check and the row counts) — a corrupted or truncated archive is refused before the store is
/// touched. Then the database is replaced in one transaction (SQLite: the online backup API copying the staged
/// file into the store; PostgreSQL: pg_restore --single-transaction) and the attachment folder is swapped by
/// renaming. Run it with the servers stopped.
/// </summary>
public sealed class RestoreStore(XinfangDb db, IOptions<AttachmentOptions> attachments)
{
    public const int Corrupted = 3;
    public const int Failed = 4;

    public async Task<BackupManifest> RunAsync(string archivePath, CancellationToken ct)
    {
        if (!File.Exists(archivePath)) throw new OperationsException(2, $"备份文件不存在 (no such file): {archivePath}");
        var root = Path.GetFullPath(attachments.Value.Root);
        var staging = root.TrimEnd(Path.DirectorySeparatorChar) + ".restore-" + Guid.NewGuid().ToString("N")[..8];
        var work = Directory.CreateTempSubdirectory("xinfang-restore-").FullName;
        try
        {
            var (manifest, dumpFile) = await StageAsync(archivePath, work, staging, ct);
            if (db.IsSqlite) await RestoreSqliteAsync(dumpFile, manifest, ct);
            else await RestorePostgresAsync(dumpFile, manifest, ct);
            SwapFolder(staging, root);
            return manifest;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            if (Directory.Exists(staging)) try { Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
    }

    static OperationsException Corrupt(string why) =>
        new(Corrupted, $"备份文件已损坏或不完整，未做任何恢复 (the archive is corrupted or truncated; nothing was restored): {why}");

    /// <summary>Extracts and checks every member; nothing outside the staging places is written.</summary>
    async Task<(BackupManifest Manifest, string DumpFile)> StageAsync(string archivePath, string work, string staging, CancellationToken ct)
    {
        try
        {
            await using var file = File.OpenRead(archivePath);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            var manifestEntry = zip.GetEntry(BackupArchive.ManifestName) ?? throw Corrupt("没有 manifest.json (no manifest)");
            BackupManifest manifest;
            await using (var s = manifestEntry.Open())
                manifest = BackupArchive.Deserialize(s) ?? throw Corrupt("manifest.json 为空 (empty manifest)");
            if (manifest.Format != BackupArchive.Format) throw Corrupt($"不支持的备份格式 {manifest.Format} (unsupported format)");
            var provider = db.IsSqlite ? "sqlite" : "postgres";
            if (!string.Equals(manifest.Provider, provider, StringComparison.Ordinal))
                throw new OperationsException(2, $"备份来自 {manifest.Provider} 存储，当前配置为 {provider}，不能恢复 (the archive is of a {manifest.Provider} store; this one is {provider}).");
            var expected = db.IsSqlite ? BackupArchive.SqliteMember : BackupArchive.PostgresMember;
            if (manifest.Database != expected || manifest.Members.All(m => m.Name != expected)) throw Corrupt($"缺少数据库成员 {expected} (no database member)");
            var listed = manifest.Members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            if (zip.Entries.FirstOrDefault(e => e.FullName != BackupArchive.ManifestName && !listed.Contains(e.FullName)) is { } extra)
                throw Corrupt($"清单外的成员 {extra.FullName} (member not in the manifest)");

            string dumpFile = "";
            foreach (var m in manifest.Members)
            {
                var entry = zip.GetEntry(m.Name) ?? throw Corrupt($"缺少成员 {m.Name} (missing member)");
                string path;
                if (m.Name == expected) path = dumpFile = Path.Combine(work, m.Name);
                else if (m.Name.StartsWith(BackupArchive.AttachmentsPrefix, StringComparison.Ordinal))
                    path = BackupArchive.AttachmentPath(staging, m.Name) ?? throw Corrupt($"非法的附件路径 {m.Name} (bad attachment path)");
                else throw Corrupt($"未知成员 {m.Name} (unknown member)");
                var (size, sha) = await BackupArchive.ExtractAsync(entry, path, ct);
                if (size != m.Size || !string.Equals(sha, m.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw Corrupt($"{m.Name} 的校验值不符 (checksum mismatch)");
            }
            Directory.CreateDirectory(staging); // an empty attachment folder is restored as empty
            return (manifest, dumpFile);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e.Message);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Corrupt("manifest.json 无法解析 (unreadable manifest): " + e.Message);
        }
        catch (EndOfStreamException e)
        {
            throw Corrupt(e.Message);
        }
    }

    async Task RestoreSqliteAsync(string staged, BackupManifest manifest, CancellationToken ct)
    {
        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = staged, Pooling = false }.ToString()))
        {
            await check.OpenAsync(ct);
            await using var cmd = check.CreateCommand();
            cmd.CommandText = "PRAGMA integrity_check;";
            var result = (string?)await cmd.ExecuteScalarAsync(ct);
            if (result != "ok") throw Corrupt("integrity_check: " + result);
            CompareCounts(manifest, await BackupStore.CountAsync(check, null, ct), before: true);
        }
        var target = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        var folder = Path.GetDirectoryName(Path.GetFullPath(target.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        await using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = staged, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await using var to = new SqliteConnection(target.ToString());
        await from.OpenAsync(ct);
        await to.OpenAsync(ct);
        await BackupStore.Exec(to, "PRAGMA busy_timeout = 30000;", ct);
        // The backup API writes the destination under one write transaction through its journal (WAL):
        // a crash halfway leaves the old store, never a mixture.
        from.BackupDatabase(to);
        await BackupStore.Exec(to, "PRAGMA journal_mode=WAL;", ct);
        CompareCounts(manifest, await BackupStore.CountAsync(to, null, ct), before: false);
    }

    async Task RestorePostgresAsync(string dump, BackupManifest manifest, CancellationToken ct)
    {
        var cs = db.Database.GetConnectionString()!;
        await RefuseNewerSchemaAsync(cs, manifest, ct);
        // pg_restore reads the whole table of contents first: a damaged dump fails here, before anything is dropped.
        var (listExit, listErr) = await PostgresTools.RunAsync("pg_restore", cs, ["--list", dump], ct);
        if (listExit != 0) throw Corrupt("pg_restore --list: " + listErr.Trim());
        // One transaction: on any error nothing of the old database is dropped.
        var (exit, stderr) = await PostgresTools.RunAsync("pg_restore",
            cs, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", new NpgsqlConnectionStringBuilder(cs).Database!, dump], ct);
        if (exit != 0) throw new OperationsException(Failed, $"pg_restore 失败，数据库保持原样 (pg_restore failed, the database is unchanged; exit {exit}):\n{stderr.Trim()}");
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        CompareCounts(manifest, await BackupStore.CountAsync(conn, null, ct), before: false);
    }

    /// <summary>
    /// pg_restore --clean drops and recreates what the dump holds; tables of migrations the archive does not know
    /// would stay behind and make those migrations fail at the next start. Such a database is refused: restore
    /// into an empty database (createdb) instead.
    /// </summary>
    static async Task RefuseNewerSchemaAsync(string cs, BackupManifest manifest, CancellationToken ct)
    {
        if (manifest.Migrations is null) return;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", conn);
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return;
        var newer = (await BackupStore.MigrationsAsync(conn, null, ct)).Except(manifest.Migrations, StringComparer.Ordinal).ToList();
        if (newer.Count > 0)
            throw new OperationsException(2, $"数据库已有备份之后的迁移 {string.Join(", ", newer)}，请恢复到新建的空数据库 " +
                $"(the database has migrations the archive lacks: {string.Join(", ", newer)}; restore into a new, empty database).");
    }

    static void CompareCounts(BackupManifest manifest, Dictionary<string, long> actual, bool before)
    {
        var wrong = manifest.Counts.Where(c => !actual.TryGetValue(c.Key, out var n) || n != c.Value)
            .Select(c => $"{c.Key}: {c.Value} → {(actual.TryGetValue(c.Key, out var n) ? n : -1)}").ToList();
        if (wrong.Count == 0) return;
        if (before) throw Corrupt("行数与清单不符 (row counts differ from the manifest): " + string.Join(", ", wrong));
        throw new OperationsException(Failed, "恢复后的行数与清单不符 (row counts after restore differ from the manifest): " + string.Join(", ", wrong));
    }

    /// <summary>Replaces the attachment folder by the staged one: two renames on one file system.</summary>
    static void SwapFolder(string staged, string root)
    {
        var parent = Path.GetDirectoryName(root);
        if (!string.IsNullOrEmpty(parent)) Directory.CreateDirectory(parent);
        string? old = null;
        if (Directory.Exists(root))
        {
            old = root + ".before-restore-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(root, old);
        }
        Directory.Move(staged, root);
        if (old is not null) Directory.Delete(old, recursive: true);
    }
}
