using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Xinfang.Web;

namespace Xinfang.Browser.Tests;

/// <summary>
/// The real app, started in-process on a free loopback port (Kestrel binds port 0, so two fixtures never race
/// for one), over a fresh SQLite file, with the controllable clock and the bootstrap admin. A browser needs a
/// real socket, which is why this is not WebApplicationFactory's in-memory server. One per test class
/// (<c>IClassFixture&lt;LiveServer&gt;</c>); subclass and override <see cref="Settings"/> for other configuration.
/// </summary>
public class LiveServer : IAsyncLifetime
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "Admin-Pass-2026";

    readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), "xinfang-browser-tests", $"{Guid.NewGuid():N}.db");
    WebApplication? _app;
    HttpClient? _http;

    /// <summary>"http://127.0.0.1:PORT", without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => App.Services;

    /// <summary>An anonymous client on <see cref="BaseUrl"/>.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("LiveServer has not started.");

    WebApplication App => _app ?? throw new InvalidOperationException("LiveServer has not started.");

    /// <summary>Configuration on top of the defaults below (later wins), as "Section:Key" → value.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_sqliteFile)!);
        var settings = new Dictionary<string, string>
        {
            // The app's assembly, as WebApplicationFactory would name it: static assets and Razor components are found by it.
            ["applicationName"] = typeof(XinfangApp).Assembly.GetName().Name!,
            ["environment"] = "Testing",
            ["urls"] = "http://127.0.0.1:0",
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Xinfang"] = $"Data Source={_sqliteFile}",
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["Testing:ControllableClock"] = "true",
            // The admin signs in with the password alone, as often as the journeys need.
            ["Auth:RequireTwoFactorForAdmins"] = "false",
            ["Auth:SignInPerAddressPerMinute"] = "100000",
            ["Auth:SignInPerUserPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
            // "No XML encryptor configured": true and expected for a throwaway store.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        };
        foreach (var (key, value) in Settings) settings[key] = value;

        _app = XinfangApp.Build(settings.Select(s => $"--{s.Key}={s.Value}").ToArray());
        await _app.StartAsync(); // migrations and the bootstrap admin run here
        var address = _app.Urls.SingleOrDefault(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && !u.EndsWith(":0", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"LiveServer: no bound loopback address among [{string.Join(", ", _app.Urls)}].");
        BaseUrl = address.TrimEnd('/');
        _http = CreateClient();
    }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Moves the server's clock (PUT /api/v1/testing/clock); it stands there until set again.</summary>
    public async Task SetClockAsync(DateTimeOffset now)
    {
        using var response = await Http.PutAsJsonAsync("api/v1/testing/clock", new { now });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT /api/v1/testing/clock: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A client signed in through POST /api/v1/auth/login (bearer token); the bootstrap admin by default.</summary>
    public async Task<HttpClient> LoginAsync(string userName = AdminUserName, string password = AdminPassword)
    {
        var http = CreateClient();
        using var response = await http.PostAsJsonAsync("api/v1/auth/login", new { userName, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"login {userName}: {(int)response.StatusCode} {body}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["accessToken"]!.GetValue<string>());
        return http;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        SqliteConnection.ClearAllPools(); // pooled connections would keep the file open
        foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            try { File.Delete(f); } catch (IOException) { }
    }
}
