using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xinfang.Web.Tests.Cli;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Reliability;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// A store for servers run as separate OS processes: a SQLite file in a temporary folder, or a fresh database on
/// the throwaway PostgreSQL server (XINFANG_TEST_PG); attachments under the folder. Removed afterwards.
/// </summary>
public sealed class ProcessStore : IAsyncDisposable
{
    public Provider Provider { get; }
    public string Folder { get; } = Directory.CreateTempSubdirectory("xinfang-rel-").FullName;
    public string ConnectionString { get; }
    public string AttachmentsRoot => Path.Combine(Folder, "attachments");
    readonly string? _database;

    ProcessStore(Provider provider)
    {
        Provider = provider;
        if (provider == Provider.Sqlite)
        {
            ConnectionString = $"Data Source={Path.Combine(Folder, "store", "xinfang.db")}";
        }
        else
        {
            _database = "r_" + Guid.NewGuid().ToString("N");
            ConnectionString = new NpgsqlConnectionStringBuilder(XinfangFactory.ServerConnectionString) { Database = _database, Pooling = false }.ToString();
        }
    }

    public static async Task<ProcessStore> CreateAsync(Provider provider)
    {
        var store = new ProcessStore(provider);
        if (store._database is not null)
        {
            await using var conn = new NpgsqlConnection(XinfangFactory.ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {store._database}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return store;
    }

    /// <summary>The host options every verb and server of this store gets.</summary>
    public string[] HostArgs =>
    [
        $"--Database:Provider={(Provider == Provider.Sqlite ? "sqlite" : "postgres")}",
        $"--ConnectionStrings:Xinfang={ConnectionString}",
        $"--Attachments:Root={AttachmentsRoot}",
    ];

    /// <summary>An unpooled connection for looking at what the server wrote.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection conn = Provider == Provider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString())
            : new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read)
    {
        await using var conn = await OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync()) list.Add(read(reader));
        return list;
    }

    public async Task<long> ScalarAsync(string sql) => (await QueryAsync(sql, r => Convert.ToInt64(r.GetValue(0)))).Single();

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = await OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public static Guid IdOf(DbDataReader r, int i) => Guid.Parse(Convert.ToString(r.GetValue(i))!);

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await using var conn = new NpgsqlConnection(XinfangFactory.ServerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The real server binary (src/Xinfang.Web's build output) as its own OS process on a free loopback port, as an
/// operator runs it: `dotnet Xinfang.dll --urls … --Database:Provider=… --ConnectionStrings:Xinfang=…`.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "Admin-Pass-2026";
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    readonly Process _process;
    readonly StringBuilder _output = new();
    public string BaseUrl { get; }
    public int Id => _process.Id;

    ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public static async Task<ServerProcess> StartAsync(ProcessStore store, params string[] extra)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var args = new List<string> { "serve", "--urls", baseUrl, $"--Bootstrap:AdminPassword={AdminPassword}", "--Logging:LogLevel:Default=Warning",
            // The administrator signs in through the API alone here (two-factor sign-in has its own tests), and the
            // clients all come from one address.
            "--Auth:RequireTwoFactorForAdmins=false", "--Auth:SignInPerAddressPerMinute=10000", "--Auth:SignInPerUserPerMinute=10000",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=None", "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None" };
        args.AddRange(store.HostArgs);
        args.AddRange(extra);
        var process = new Process { StartInfo = XinfangBinary.StartInfo(store.Folder, args) };
        var server = new ServerProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"the server exited with {process.ExitCode} before answering.\n{server.Output}");
            try
            {
                using var r = await http.GetAsync("/healthz");
                if (r.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new Xunit.Sdk.XunitException($"GET /healthz did not answer 200 within {StartTimeout.TotalSeconds} s.\n{server.Output}");
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<Api> LoginAsync(string userName, string password)
    {
        var http = Client();
        using var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"login {userName}: {(int)response.StatusCode} {body}\n{Output}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["accessToken"]!.GetValue<string>());
        return new Api(http);
    }

    /// <summary>SIGKILL: the process ends at once, with no chance to flush, finish requests or run shutdown code.</summary>
    public void Kill()
    {
        if (!OperatingSystem.IsWindows()) Signal(_process.Id, 9).ShouldBe(0, "kill(SIGKILL)");
        else _process.Kill();
        _process.WaitForExit(30_000).ShouldBeTrue("the killed server did not exit");
    }

    /// <summary>SIGTERM: the orderly stop an operator or systemd asks for.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        if (!OperatingSystem.IsWindows()) Signal(_process.Id, 15);
        else _process.Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { _process.Kill(); }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Signal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The least organisation a clerk needs, made through the API by the bootstrap administrator: province → city → county → county petition bureau.</summary>
public static class ProcessWorld
{
    public const string Password = "Test-Pass-2026";

    public static async Task<Api> ClerkAsync(ServerProcess server, string userName = "clerk")
    {
        var admin = await server.LoginAsync("admin", ServerProcess.AdminPassword);
        var root = Guid.Parse((await admin.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]![0]!["id"]!.ToString());
        async Task<Guid> Unit(string code, string name, int level, string kind, string region, Guid parent) =>
            Guid.Parse((await admin.PostAsync("/api/v1/units", new { code, name, level, kind, regionCode = region, parentId = parent })).Expect(HttpStatusCode.Created)["id"]);
        var province = await Unit("p", "江苏省人民政府", 1, "government", "320000", root);
        var city = await Unit("c", "苏州市人民政府", 2, "government", "320500", province);
        var county = await Unit("k", "昆山市人民政府", 3, "government", "320583", city);
        var bureau = await Unit("k-xfj", "昆山市信访局", 3, "petitionBureau", "320583", county);
        (await admin.PostAsync("/api/v1/users", new { userName, password = Password, displayName = userName, unitId = bureau, roles = new[] { "intakeClerk" } })).Expect(HttpStatusCode.Created);
        return await server.LoginAsync(userName, Password);
    }
}
