using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xinfang.Web.Data;

/// <summary>The JSON conventions of api.md: camelCase names, enums as camelCase strings.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Chinese stays readable; HTML-significant characters (<, >, &, quotes) are still escaped.
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        return o;
    }
}
