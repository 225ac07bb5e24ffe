using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinfang.Web.Operations;

/// <summary>One member of a backup archive: its name inside the zip, its length and SHA-256.</summary>
public sealed record BackupMember(string Name, long Size, string Sha256);

/// <summary>
/// manifest.json of a backup archive: which store it came from, row counts of the tables that matter, and every
/// other member with its hash. Restore checks all of it before it touches the store.
/// </summary>
public sealed record BackupManifest(int Format, string Provider, DateTimeOffset CreatedAt, string Database,
    IReadOnlyDictionary<string, long> Counts, IReadOnlyList<BackupMember> Members, IReadOnlyList<string>? Migrations = null);

/// <summary>
/// The backup archive: a zip holding the database (database.sqlite, a consistent copy made with SQLite's online
/// backup; or database.pgdump, pg_dump's custom format), the attachment files under attachments/, and
/// manifest.json, written last. The archive is written to FILE.partial and renamed, so an interrupted backup never
/// leaves a file that looks complete.
/// </summary>
public static class BackupArchive
{
    public const int Format = 1;
    public const string ManifestName = "manifest.json";
    public const string SqliteMember = "database.sqlite";
    public const string PostgresMember = "database.pgdump";
    public const string AttachmentsPrefix = "attachments/";

    /// <summary>The tables whose row counts are recorded and compared after a restore.</summary>
    public static readonly string[] CountedTables =
        ["units", "identity_users", "petitions", "petitioners", "petition_events", "petition_access", "attachments", "idempotency_records"];

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(BackupManifest m) => JsonSerializer.Serialize(m, JsonOptions);
    public static BackupManifest? Deserialize(Stream s) => JsonSerializer.Deserialize<BackupManifest>(s, JsonOptions);

    /// <summary>Adds a file as a member, hashing it as it is copied.</summary>
    public static async Task<BackupMember> AddFileAsync(ZipArchive zip, string name, string path, CompressionLevel level, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, level);
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        await using var output = entry.Open();
        var (size, sha256) = await CopyHashingAsync(input, output, ct);
        return new BackupMember(name, size, sha256);
    }

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/>, returning the length and SHA-256 of what passed.</summary>
    static async Task<(long Size, string Sha256)> CopyHashingAsync(Stream input, Stream output, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }
        return (size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Extracts a member to <paramref name="path"/> and returns its length and SHA-256 (the zip's CRC is checked too).</summary>
    public static async Task<(long Size, string Sha256)> ExtractAsync(ZipArchiveEntry entry, string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var input = entry.Open();
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var copied = await CopyHashingAsync(input, output, ct);
        await output.FlushAsync(ct);
        output.Flush(flushToDisk: true);
        return copied;
    }

    /// <summary>A member name for a file under the attachments root (forward slashes, no '..').</summary>
    public static string AttachmentMember(string root, string file) =>
        AttachmentsPrefix + Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The path an attachment member is restored to, or null when its name would escape the folder.</summary>
    public static string? AttachmentPath(string folder, string member)
    {
        var relative = member[AttachmentsPrefix.Length..];
        if (relative.Length == 0 || relative.Split('/').Any(s => s is "" or "." or "..")) return null;
        var full = Path.GetFullPath(Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar)));
        return full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}

/// <summary>Finds PostgreSQL's client programs: on the PATH, else in Debian's /usr/lib/postgresql/N/bin (newest first).</summary>
public static class PostgresTools
{
    public static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian)) return null;
        return Directory.GetDirectories(debian)
            .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin", program))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs a client program against the configured database. Connection settings go through libpq's environment
    /// (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD), so the password never appears on a command line.
    /// </summary>
    public static async Task<(int ExitCode, string Stderr)> RunAsync(string program, string connectionString, IEnumerable<string> args, CancellationToken ct)
    {
        var path = Find(program) ?? throw new OperationsException(5, $"找不到 {program}（请安装 PostgreSQL 客户端，例如 Debian 的 postgresql-client-15）(not found: {program}).");
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var psi = new System.Diagnostics.ProcessStartInfo(path)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (b.Host is { Length: > 0 } host) psi.Environment["PGHOST"] = host;
        psi.Environment["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (b.Username is { Length: > 0 } user) psi.Environment["PGUSER"] = user;
        if (b.Database is { Length: > 0 } database) psi.Environment["PGDATABASE"] = database;
        if (b.Password is { Length: > 0 } password) psi.Environment["PGPASSWORD"] = password;
        psi.Environment["PGCONNECT_TIMEOUT"] = "15";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stdout;
        return (process.ExitCode, await stderr);
    }
}

/// <summary>An operations verb failing with a message (Chinese and English) and an exit code.</summary>
public sealed class OperationsException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
