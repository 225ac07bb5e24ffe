using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Xinfang.Web.Tests.Infrastructure;

public enum Provider { Sqlite, Postgres }

/// <summary>
/// A real server over a real store: a fresh SQLite file, or a fresh database on the throwaway PostgreSQL
/// server that test.sh starts (XINFANG_TEST_PG). The clock is controllable; the sweep ticks fast.
/// </summary>
public class XinfangFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "Admin-Pass-2026";
    public Provider Provider { get; }
    public string ConnectionString { get; }
    readonly string? _database;
    readonly string? _sqliteFile;
    readonly Dictionary<string, string?> _extra = new();

    protected XinfangFactory(Provider provider, string? sharedConnectionString = null)
    {
        Provider = provider;
        if (sharedConnectionString is not null)
        {
            ConnectionString = sharedConnectionString;
            return;
        }
        if (provider == Provider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "xinfang-tests");
            Directory.CreateDirectory(dir);
            _sqliteFile = Path.Combine(dir, $"{Guid.NewGuid():N}.db");
            ConnectionString = $"Data Source={_sqliteFile}";
        }
        else
        {
            _database = "t_" + Guid.NewGuid().ToString("N");
            var b = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _database };
            ConnectionString = b.ToString();
        }
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("XINFANG_TEST_PG")
        ?? throw new InvalidOperationException("PostgreSQL tests need XINFANG_TEST_PG: run ./test.sh, which starts a throwaway server.");

    /// <summary>Extra configuration for this host (before it starts).</summary>
    public XinfangFactory With(string key, string? value)
    {
        _extra[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider == Provider.Sqlite ? "sqlite" : "postgres");
        builder.UseSetting("ConnectionStrings:Xinfang", ConnectionString);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Testing:ControllableClock", "true");
        builder.UseSetting("Sweep:IntervalSeconds", "0.5");
        // Tests sign in as the bootstrap admin with a password alone and sign in often; the security tests turn these back on.
        builder.UseSetting("Auth:RequireTwoFactorForAdmins", "false");
        builder.UseSetting("Auth:SignInPerAddressPerMinute", "100000");
        builder.UseSetting("Auth:SignInPerUserPerMinute", "100000");
        builder.UseSetting("Attachments:Root", Path.Combine(Path.GetTempPath(), "xinfang-tests", "attachments"));
        // Races and refused writes are provoked on purpose; EF's own error lines would drown the test output.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        foreach (var (k, v) in _extra) builder.UseSetting(k, v);
    }

    public virtual async Task InitializeAsync()
    {
        if (_database is not null)
        {
            await using var conn = new NpgsqlConnection(ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        _ = Server; // start the host: migrations and bootstrap run now
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        if (_sqliteFile is not null)
            foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
                try { File.Delete(f); } catch (IOException) { }
    }
}

public sealed class SqliteFactory() : XinfangFactory(Provider.Sqlite);

public sealed class PostgresFactory() : XinfangFactory(Provider.Postgres);

/// <summary>A second host on another host's store (two web nodes on one database).</summary>
public sealed class SecondHost(Provider provider, string connectionString) : XinfangFactory(provider, connectionString);
