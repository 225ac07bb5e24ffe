using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Xinfang.Web.Api;

/// <summary>
/// The stylesheets and the one small script of the portal and the workbench, embedded in the binary: one file
/// to deploy, nothing fetched from elsewhere at run time, cached by ETag.
/// </summary>
public static class EmbeddedAssets
{
    static readonly (string Url, string Resource, string ContentType)[] Files =
    [
        ("/css/home.css", "Api.Assets.home.css", "text/css; charset=utf-8"),
        ("/css/portal.css", "Portal.Assets.portal.css", "text/css; charset=utf-8"),
        ("/css/workbench.css", "Workbench.Assets.workbench.css", "text/css; charset=utf-8"),
        ("/js/workbench.js", "Workbench.Assets.workbench.js", "text/javascript; charset=utf-8"),
    ];

    static readonly Lazy<FrozenDictionary<string, (byte[] Bytes, string ETag, string ContentType)>> Loaded = new(() =>
    {
        var asm = Assembly.GetExecutingAssembly();
        var names = asm.GetManifestResourceNames();
        return Files.ToFrozenDictionary(f => f.Url, f =>
        {
            using var stream = asm.GetManifestResourceStream(names.Single(n => n.EndsWith(f.Resource, StringComparison.Ordinal)))!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"", f.ContentType);
        });
    });

    public static void MapEmbeddedAssets(this IEndpointRouteBuilder app)
    {
        foreach (var (url, _, _) in Files)
            app.MapGet(url, (HttpContext http) =>
            {
                var (bytes, etag, type) = Loaded.Value[url];
                http.Response.Headers.CacheControl = "public, max-age=3600";
                http.Response.Headers.ETag = etag;
                return http.Request.Headers.IfNoneMatch == etag ? Results.StatusCode(304) : Results.Bytes(bytes, type);
            }).AllowAnonymous().ExcludeFromDescription();
    }
}
