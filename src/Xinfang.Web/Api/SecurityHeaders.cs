using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Xinfang.Web.Api;

/// <summary>
/// Response headers that keep the pages to themselves (issue #8): a content security policy with no inline script
/// or style, no framing, no MIME sniffing, no referrer, no powerful browser features, a window of its own, and HSTS
/// on HTTPS. Behind a TLS-ending reverse proxy the request counts as HTTPS when the proxy says so — but only a proxy
/// named in Network:TrustedProxies (addresses or CIDR networks) is believed; without that list X-Forwarded-* is
/// ignored, so no client can claim an address or a scheme. Cookies then follow the request's scheme (Secure on HTTPS).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and styles come only from the served files (/js, /css); QR codes are inline SVG with presentation
    /// attributes, which style-src does not govern; the favicon is a data: URL.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    public static void AddSecurityHeaders(IServiceCollection services) =>
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, config) =>
        {
            // The defaults trust loopback; here only what the operator lists.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            var proxies = TrustedProxies(config);
            if (proxies.Count == 0)
            {
                o.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through the listed proxies to the first address that is not one of them: the client.
            o.ForwardLimit = null;
            foreach (var p in proxies)
            {
                if (p.Contains('/') && System.Net.IPNetwork.TryParse(p, out var network)) o.KnownIPNetworks.Add(network);
                else if (IPAddress.TryParse(p, out var address)) o.KnownProxies.Add(address);
                else throw new InvalidOperationException($"Network:TrustedProxies: '{p}' is neither an IP address nor a CIDR network.");
            }
        });

    /// <summary>Network:TrustedProxies as a list (Network__TrustedProxies__0=…) or one comma-separated value.</summary>
    public static IReadOnlyList<string> TrustedProxies(IConfiguration config)
    {
        var section = config.GetSection("Network:TrustedProxies");
        var list = section.Get<string[]>() ?? [];
        if (list.Length == 0 && !string.IsNullOrWhiteSpace(section.Value))
            list = section.Value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList();
    }

    /// <summary>First in the pipeline: the forwarded scheme and address, then the headers on every response (errors included).</summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var hstsSeconds = (long)TimeSpan.FromDays(app.Configuration.GetValue("Network:HstsMaxAgeDays", 365)).TotalSeconds;
        app.Use((http, next) =>
        {
            // On starting: the exception handler and the status-code pages clear headers set earlier.
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h.ContentSecurityPolicy = ContentSecurityPolicy;
                h["Referrer-Policy"] = "no-referrer";
                h["Permissions-Policy"] = PermissionsPolicy;
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                if (http.Request.IsHttps) h.StrictTransportSecurity = $"max-age={hstsSeconds}";
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
