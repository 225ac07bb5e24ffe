using System.Reflection;
using System.Security.Cryptography;

namespace Xinfang.Web.Portal;

/// <summary>The portal's stylesheet, embedded in the binary (one file to deploy, nothing fetched from elsewhere).</summary>
public static class PortalAssets
{
    static readonly Lazy<(byte[] Bytes, string ETag)> Css = new(() =>
    {
        var asm = Assembly.GetExecutingAssembly();
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith("Portal.Assets.portal.css", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    });

    public static void MapPortalAssets(this IEndpointRouteBuilder app) =>
        app.MapGet("/css/portal.css", (HttpContext http) =>
        {
            var (bytes, etag) = Css.Value;
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.ETag = etag;
            return http.Request.Headers.IfNoneMatch == etag ? Results.StatusCode(304) : Results.Bytes(bytes, "text/css; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
}
