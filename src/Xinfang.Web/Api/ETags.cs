namespace Xinfang.Web.Api;

/// <summary>Versions travel as strong ETags ("7"); actions accept If-Match with the version the client saw.</summary>
public static class ETags
{
    public static string Of(int version) => $"\"{version}\"";

    /// <summary>The version named by If-Match, or null when the header is absent or "*".</summary>
    public static int? IfMatch(HttpContext http)
    {
        var raw = http.Request.Headers.IfMatch.ToString().Trim();
        if (raw.Length == 0 || raw == "*") return null;
        if (raw.StartsWith("W/", StringComparison.Ordinal)) raw = raw[2..];
        raw = raw.Trim('"');
        return int.TryParse(raw, out var v) ? v : -1; // unparseable: never matches, so 412
    }
}

/// <summary>Wraps a result and sets its ETag header.</summary>
public sealed class ETagged(IResult inner, int version) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;
    public IResult Inner => inner;

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.ETag = ETags.Of(version);
        return inner.ExecuteAsync(http);
    }
}
