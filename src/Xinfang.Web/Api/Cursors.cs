using System.Globalization;
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

    /// <summary>A cursor for lists ordered by an instant and an id (notices, urgent reports, backlog members).</summary>
    public static string EncodeInstant(DateTimeOffset at, Guid id) => Encode(string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks}|{id:N}"));

    /// <summary>The instant and id inside a cursor of <see cref="EncodeInstant"/>, or null when it is not one.</summary>
    public static (DateTimeOffset At, Guid Id)? DecodeInstant(string cursor)
    {
        if (Decode(cursor) is not { } key) return null;
        var parts = key.Split('|', 2);
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id)
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), id) : null;
    }
}
