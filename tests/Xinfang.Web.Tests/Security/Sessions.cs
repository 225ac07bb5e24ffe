using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>TOTP (RFC 6238) as an authenticator app computes it, to sign in the way a person with a phone does.</summary>
public static class Totp
{
    /// <summary>The code for <paramref name="key"/> at <paramref name="time"/> (HOTP, RFC 4226, over 30-second steps).</summary>
    public static string Code(byte[] key, DateTimeOffset time, int digits = 6, HashAlgorithmName? algorithm = null)
    {
        var step = (ulong)(time.ToUnixTimeSeconds() / 30);
        var counter = new byte[8];
        for (var i = 7; i >= 0; i--, step >>= 8) counter[i] = (byte)step;
        var alg = algorithm ?? HashAlgorithmName.SHA1;
        var hash = alg == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, counter)
            : alg == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, counter)
            : HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    /// <summary>The code for the key the enrolment page shows (base32, grouped, any case) now.</summary>
    public static string Now(string shownKey) => Code(Base32(shownKey), DateTimeOffset.UtcNow);

    /// <summary>A code that is wrong now (any other 6 digits; the server accepts a few neighbouring steps, so avoid those too).</summary>
    public static string WrongNow(string shownKey)
    {
        var key = Base32(shownKey);
        var near = Enumerable.Range(-3, 7).Select(i => Code(key, DateTimeOffset.UtcNow.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => ((123456 + i * 7919) % 1_000_000).ToString("D6")).First(c => !near.Contains(c));
    }

    public static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "").TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var v = alphabet.IndexOf(c);
            if (v < 0) throw new FormatException($"not base32: {c}");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}

/// <summary>A host as production runs it: administrators must use two-factor sign-in; a 1-minute idle timeout; a trusted proxy on loopback.</summary>
public static class Strict
{
    public static XinfangFactory Configure(XinfangFactory f) => f
        .With("Auth:RequireTwoFactorForAdmins", "true")
        .With("Auth:IdleMinutes", "1")
        .With("Network:TrustedProxies", "127.0.0.1,::1");
}

public sealed class StrictSqliteFactory : XinfangFactory
{
    public StrictSqliteFactory() : base(Provider.Sqlite) => Strict.Configure(this);
}

public sealed class StrictPostgresFactory : XinfangFactory
{
    public StrictPostgresFactory() : base(Provider.Postgres) => Strict.Configure(this);
}

/// <summary>
/// A browser with its cookie jar, the antiforgery token of the last page and an optional client address (sent as
/// X-Forwarded-For, believed only where the host trusts the proxy). Redirects are not followed.
/// </summary>
public sealed class Browser
{
    static readonly HtmlParser Parser = new();
    public HttpClient Http { get; }
    string? _token;

    public Browser(XinfangFactory factory, string? address = null)
    {
        Http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (address is not null) Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
    }

    public async Task<Page> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        return await ReadAsync(response);
    }

    public async Task<Page> PostAsync(string url, Dictionary<string, string> fields, string? from = null)
    {
        if (from is not null) await GetAsync(from);
        var all = new List<KeyValuePair<string, string>>(fields);
        if (_token is not null) all.Add(new("__RequestVerificationToken", _token));
        using var response = await Http.PostAsync(url, new FormUrlEncodedContent(all));
        return await ReadAsync(response);
    }

    /// <summary>The password step of the workbench sign-in.</summary>
    public Task<Page> SignInAsync(string userName, string password = World.Password) =>
        PostAsync("/staff/login", new() { ["userName"] = userName, ["password"] = password }, from: "/staff/login");

    /// <summary>Both steps: password, then the authenticator code; expects the workbench to open.</summary>
    public async Task SignInWithCodeAsync(string userName, string key)
    {
        (await SignInAsync(userName)).Expect(HttpStatusCode.OK).Doc.QuerySelector("form[action='/staff/login/two-factor']").ShouldNotBeNull();
        var done = await PostAsync("/staff/login/two-factor", new() { ["code"] = Totp.Now(key) });
        done.Status.ShouldBe(HttpStatusCode.Redirect, done.Alert);
    }

    /// <summary>Enrols the signed-in user: reads the key off the page, confirms with a code; returns the key and the recovery codes.</summary>
    public async Task<(string Key, string[] RecoveryCodes)> EnrolAsync()
    {
        var page = (await GetAsync("/staff/account/two-factor")).Expect(HttpStatusCode.OK);
        var key = page.Doc.GetElementById("key")!.TextContent.Trim();
        var done = (await PostAsync("/staff/account/two-factor", new() { ["code"] = Totp.Now(key) })).Expect(HttpStatusCode.OK);
        return (key, done.Doc.QuerySelectorAll("ul.recovery-codes code").Select(c => c.TextContent.Trim()).ToArray());
    }

    async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var doc = await Parser.ParseDocumentAsync(html);
        if (doc.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") is { } token) _token = token;
        return new Page(response.StatusCode, response.Headers.Location?.ToString(), doc, html);
    }
}

/// <summary>The bootstrap administrator after enrolling (once per host), with an API client signed in with a code.</summary>
public sealed class EnrolledAdmin
{
    static readonly ConditionalWeakTable<XinfangFactory, Task<EnrolledAdmin>> Cache = new();
    public required string Key { get; init; }
    public required Infrastructure.Api Api { get; init; }
    public required Guid RootUnit { get; init; }

    public static Task<EnrolledAdmin> OfAsync(XinfangFactory factory) => Cache.GetValue(factory, CreateAsync);

    static async Task<EnrolledAdmin> CreateAsync(XinfangFactory factory)
    {
        var browser = new Browser(factory);
        var signedIn = await browser.SignInAsync("admin", XinfangFactory.AdminPassword);
        signedIn.Location.ShouldBe("/staff/account/two-factor");
        var (key, _) = await browser.EnrolAsync();
        var api = await LoginAsync(factory, "admin", XinfangFactory.AdminPassword, key);
        var root = Guid.Parse((await api.GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK).Json["items"]![0]!["id"]!.ToString());
        return new EnrolledAdmin { Key = key, Api = api, RootUnit = root };
    }

    /// <summary>A new account with <paramref name="roles"/> in the root unit (password <see cref="World.Password"/>).</summary>
    public async Task<string> UserAsync(params string[] roles)
    {
        var userName = "s-" + Guid.NewGuid().ToString("N")[..12];
        (await Api.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = RootUnit, roles })).Expect(HttpStatusCode.Created);
        return userName;
    }

    /// <summary>POST /api/v1/auth/login with a code; the client carries the token.</summary>
    public static async Task<Infrastructure.Api> LoginAsync(XinfangFactory factory, string userName, string password, string key)
    {
        var http = factory.CreateClient();
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password, twoFactorCode = Totp.Now(key) });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        http.DefaultRequestHeaders.Authorization = new("Bearer", JsonNode.Parse(body)!["accessToken"]!.GetValue<string>());
        return new Infrastructure.Api(http);
    }
}
