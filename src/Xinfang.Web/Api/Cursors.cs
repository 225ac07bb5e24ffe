using System.Text;

namespace Xinfang.Web.Api;

/// <summary>Opaque page cursors: a list's own key, as text, in URL-safe base64 without padding.</summary>
public static class Cursors
{
    public static string Encode(string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key inside a cursor, or null when it is not one (a forged or mangled cursor is a bad request, not a crash).</summary>
    public static string? Decode(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
