using System.Net;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// The response headers of every kind of answer (issue #8), and HSTS with Secure cookies when the request is HTTPS —
/// also behind a TLS-ending proxy, but only one the host trusts (Network:TrustedProxies).
/// </summary>
public abstract class SecurityHeaderTests(XinfangFactory factory)
{
    static readonly string[] Urls = ["/", "/staff/login", "/staff", "/portal", "/portal/track", "/css/workbench.css", "/js/workbench.js", "/healthz", "/api/v1/units", "/api/v1/nowhere", "/staff/nowhere"];

    [Fact]
    public async Task Every_kind_of_answer_carries_the_content_security_policy_and_the_other_security_headers()
    {
        var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var url in Urls)
        {
            using var response = await http.GetAsync(url);
            var h = response.Headers;
            string One(string name) => h.TryGetValues(name, out var v) ? string.Join(",", v) : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : "";
            var csp = One("Content-Security-Policy");
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToDictionary(d => d.Split(' ')[0], d => d);
            directives["script-src"].ShouldBe("script-src 'self'", url);
            directives["style-src"].ShouldBe("style-src 'self'", url);
            directives["default-src"].ShouldBe("default-src 'self'", url);
            directives["frame-ancestors"].ShouldBe("frame-ancestors 'none'", url);
            directives["object-src"].ShouldBe("object-src 'none'", url);
            directives["base-uri"].ShouldBe("base-uri 'none'", url);
            csp.ShouldNotContain("unsafe", Case.Insensitive, url);
            One("X-Frame-Options").ShouldBe("DENY", url);
            One("X-Content-Type-Options").ShouldBe("nosniff", url);
            One("Referrer-Policy").ShouldBe("no-referrer", url);
            One("Permissions-Policy").ShouldContain("camera=()", customMessage: url);
            One("Cross-Origin-Opener-Policy").ShouldBe("same-origin", url);
            // Plain HTTP: no HSTS (a browser ignores it there, and it must not pin a host that has no TLS).
            h.Contains("Strict-Transport-Security").ShouldBeFalse(url);
        }
    }

    [Fact]
    public async Task A_request_the_trusted_proxy_marks_as_HTTPS_gets_HSTS_and_Secure_cookies()
    {
        var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        string.Join(",", response.Headers.GetValues("Strict-Transport-Security")).ShouldBe("max-age=31536000");
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        cookies.ShouldNotBeEmpty();
        cookies.ShouldAllBe(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));

        using var plain = await http.GetAsync("/staff/login");
        plain.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        plain.Headers.GetValues("Set-Cookie").ShouldAllBe(c => !c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Signing_in_over_HTTPS_behind_the_proxy_issues_a_Secure_session_cookie()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var name = await admin.UserAsync("caseworker");
        // Cookies by hand: a client's cookie jar would not send the Secure antiforgery cookie back over the test's http://.
        var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        HttpRequestMessage Over(HttpMethod method, string url)
        {
            var m = new HttpRequestMessage(method, url);
            m.Headers.Add("X-Forwarded-Proto", "https");
            m.Headers.Add("X-Forwarded-For", "203.0.113.8");
            return m;
        }
        using var login = await http.SendAsync(Over(HttpMethod.Get, "/staff/login"));
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        antiforgery.ShouldContain("; secure", Case.Insensitive);
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await login.Content.ReadAsStringAsync());
        using var post = Over(HttpMethod.Post, "/staff/login");
        post.Content = new FormUrlEncodedContent([new("userName", name), new("password", World.Password),
            new("__RequestVerificationToken", doc.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!)]);
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var response = await http.SendAsync(post);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("xinfang.staff=", StringComparison.Ordinal));
        session.ShouldContain("; secure", Case.Insensitive);
        session.ShouldContain("; httponly", Case.Insensitive);
        session.ShouldContain("; samesite=strict", Case.Insensitive);
    }
}

public sealed class SecurityHeaderTests_Sqlite(StrictSqliteFactory f) : SecurityHeaderTests(f), IClassFixture<StrictSqliteFactory>;
public sealed class SecurityHeaderTests_Postgres(StrictPostgresFactory f) : SecurityHeaderTests(f), IClassFixture<StrictPostgresFactory>;

/// <summary>Without Network:TrustedProxies nobody is believed: a client cannot claim HTTPS (or another address).</summary>
public abstract class UntrustedProxyTests(XinfangFactory factory)
{
    [Fact]
    public async Task A_forwarded_HTTPS_header_without_trusted_proxies_is_ignored()
    {
        var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        response.Headers.GetValues("Set-Cookie").ShouldAllBe(c => !c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
    }
}

public sealed class UntrustedProxyTests_Sqlite(SqliteFactory f) : UntrustedProxyTests(f), IClassFixture<SqliteFactory>;
public sealed class UntrustedProxyTests_Postgres(PostgresFactory f) : UntrustedProxyTests(f), IClassFixture<PostgresFactory>;
