using System.Text.Json;
using System.Text.Json.Nodes;
using Xinfang.Web.Data;

namespace Xinfang.Web.Workbench;

/// <summary>
/// Turns an HTML form into the same request record the JSON API takes, so a page and an API client run
/// through the same validation and use case. Field names follow the JSON paths: <c>title</c>,
/// <c>accused.unitId</c>, <c>petitioners[1].name</c>. Empty fields are absent; "true"/"false" are booleans.
/// </summary>
public static class FormJson
{
    static readonly JsonSerializerOptions Options = new(Json.Options) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString };

    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> form)
    {
        var root = new JsonObject();
        foreach (var (key, values) in form)
        {
            if (key.StartsWith("__", StringComparison.Ordinal)) continue; // antiforgery and page-only fields
            var value = values.LastOrDefault();
            if (string.IsNullOrWhiteSpace(value)) continue;
            JsonNode node = value switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => JsonValue.Create(value)! };
            Set(root, key, node);
        }
        return root;
    }

    /// <summary>The request record, or null when a value cannot be read as its type (a malformed date, a bad id).</summary>
    public static T? Bind<T>(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> form) where T : class =>
        (T?)Bind(form, typeof(T));

    public static object? Bind(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> form, Type type)
    {
        try
        {
            return ToJson(form).Deserialize(type, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static void Set(JsonObject root, string path, JsonNode value)
    {
        JsonNode current = root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var (name, index) = Parse(parts[i]);
            if (name.Length == 0) return;
            var last = i == parts.Length - 1;
            var obj = (JsonObject)current;
            if (index is { } n)
            {
                if (n is < 0 or > 500) return;
                if (obj[name] is not JsonArray array) obj[name] = array = [];
                while (array.Count <= n) array.Add(new JsonObject());
                if (last) { array[n] = value; return; }
                current = array[n]!;
                if (current is not JsonObject) return;
            }
            else
            {
                if (last) { obj[name] = value; return; }
                if (obj[name] is not JsonObject child) obj[name] = child = [];
                current = child;
            }
        }
    }

    static (string Name, int? Index) Parse(string part)
    {
        var open = part.IndexOf('[');
        if (open < 0 || !part.EndsWith(']')) return (part, null);
        return int.TryParse(part.AsSpan(open + 1, part.Length - open - 2), out var i) ? (part[..open], i) : ("", null);
    }
}
