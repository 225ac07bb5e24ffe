using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// The workbench session's idle timeout (Auth:IdleMinutes, 1 minute on this host). The cookie's ticket says when it
/// lapses; instead of waiting, the test ages a real ticket (re-protected with the host's own key ring) and sends it.
/// </summary>
public abstract class IdleTimeoutTests(XinfangFactory factory)
{
    /// <summary>Signs in with the password; returns the client (no cookie handling) and the session cookie's value.</summary>
    async Task<(HttpClient Http, string Antiforgery, string Session)> SignInAsync(string userName)
    {
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var login = await http.GetAsync("/staff/login");
        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        var doc = await new HtmlParser().ParseDocumentAsync(await login.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/staff/login")
        {
            Content = new FormUrlEncodedContent([new("userName", userName), new("password", World.Password),
                new("__RequestVerificationToken", doc.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!)]),
        };
        post.Headers.Add("Cookie", antiforgery);
        using var response = await http.SendAsync(post);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("xinfang.staff=", StringComparison.Ordinal));
        // A session cookie: gone when the browser closes, whatever the ticket says.
        session.ShouldNotContain("expires=", Case.Insensitive);
        return (http, antiforgery, session.Split(';')[0]["xinfang.staff=".Length..]);
    }

    CookieAuthenticationOptions Options =>
        factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

    /// <summary>The same session as if it had been issued <paramref name="ago"/> before now.</summary>
    string Aged(string cookie, TimeSpan ago)
    {
        var ticket = Options.TicketDataFormat.Unprotect(cookie)!;
        ticket.Properties.IssuedUtc -= ago;
        ticket.Properties.ExpiresUtc -= ago;
        return Options.TicketDataFormat.Protect(ticket);
    }

    static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/account/two-factor");
        request.Headers.Add("Cookie", "xinfang.staff=" + session);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Signing_in_issues_a_session_that_lasts_the_configured_idle_time_and_slides()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var (_, _, session) = await SignInAsync(await admin.UserAsync("caseworker"));
        var ticket = Options.TicketDataFormat.Unprotect(session).ShouldNotBeNull();
        (ticket.Properties.ExpiresUtc - ticket.Properties.IssuedUtc).ShouldBe(TimeSpan.FromMinutes(1));
        ticket.Properties.IsPersistent.ShouldBeFalse();
        Options.SlidingExpiration.ShouldBeTrue();
    }

    [Fact]
    public async Task A_session_idle_longer_than_the_timeout_lapses_and_the_workbench_asks_to_sign_in_again()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var (http, _, session) = await SignInAsync(await admin.UserAsync("caseworker"));
        using (var fresh = await OpenAsync(http, session)) fresh.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var lapsed = await OpenAsync(http, Aged(session, TimeSpan.FromSeconds(61)));
        lapsed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        lapsed.Headers.Location!.ToString().ShouldContain("/staff/login");
    }

    [Fact]
    public async Task A_request_in_the_second_half_of_the_idle_time_renews_the_session()
    {
        var admin = await EnrolledAdmin.OfAsync(factory);
        var (http, _, session) = await SignInAsync(await admin.UserAsync("caseworker"));
        var aged = Aged(session, TimeSpan.FromSeconds(40));
        using var response = await OpenAsync(http, aged);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var renewed = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("xinfang.staff=", StringComparison.Ordinal)).Split(';')[0]["xinfang.staff=".Length..];
        var before = Options.TicketDataFormat.Unprotect(aged)!;
        var after = Options.TicketDataFormat.Unprotect(renewed)!;
        after.Properties.ExpiresUtc.ShouldNotBeNull().ShouldBeGreaterThan(before.Properties.ExpiresUtc!.Value);
        (after.Properties.ExpiresUtc - after.Properties.IssuedUtc).ShouldBe(TimeSpan.FromMinutes(1));
    }
}

public sealed class IdleTimeoutTests_Sqlite(StrictSqliteFactory f) : IdleTimeoutTests(f), IClassFixture<StrictSqliteFactory>;
public sealed class IdleTimeoutTests_Postgres(StrictPostgresFactory f) : IdleTimeoutTests(f), IClassFixture<StrictPostgresFactory>;
