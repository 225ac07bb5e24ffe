using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>A parameter of an operation as the OpenAPI document declares it (path, query or header).</summary>
public sealed record OperationParameter(string Name, string In, JsonNode Schema, bool Required);

/// <summary>One operation of the OpenAPI document: method, path template, id, parameters and request body.</summary>
public sealed record Operation(string Method, string Path, string Key, IReadOnlyList<OperationParameter> Parameters, string? BodyMediaType, JsonNode? BodySchema)
{
    public HttpMethod HttpMethod => new(Method.ToUpperInvariant());
    public IEnumerable<OperationParameter> InPath => Parameters.Where(p => p.In == "path");
    public IEnumerable<OperationParameter> InQuery => Parameters.Where(p => p.In == "query");
    public bool IsMultipart => BodyMediaType == "multipart/form-data";
    public bool TakesJson => BodyMediaType == "application/json";

    /// <summary>The path with its template parameters replaced (values are escaped unless <paramref name="raw"/>).</summary>
    public string Fill(Func<string, string> value, bool raw = false)
    {
        var path = Path;
        foreach (var p in InPath)
        {
            var v = value(p.Name);
            path = path.Replace("{" + p.Name + "}", raw ? v : Uri.EscapeDataString(v));
        }
        return path;
    }

    public override string ToString() => $"{Method.ToUpperInvariant()} {Path} ({Key})";
}

/// <summary>
/// The running server's own OpenAPI document (GET /openapi/v1.json), read as the list of operations the
/// generated security tests walk: whatever endpoint the server maps, these tests see it.
/// </summary>
public sealed class OpenApiOperations
{
    readonly JsonNode _doc;
    public IReadOnlyList<Operation> All { get; }

    OpenApiOperations(JsonNode doc)
    {
        _doc = doc;
        var ops = new List<Operation>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" || node is not JsonObject op) continue;
                var parameters = (op["parameters"] as JsonArray ?? [])
                    .Select(p => new OperationParameter(p!["name"]!.ToString(), p["in"]!.ToString(), p["schema"] ?? new JsonObject(), p["required"]?.GetValue<bool>() ?? false))
                    .ToList();
                var content = op["requestBody"]?["content"] as JsonObject;
                var media = content?.Select(c => c.Key).FirstOrDefault();
                var schema = media is null ? null : content![media]!["schema"];
                var key = op["operationId"]?.ToString() ?? $"{method.ToUpperInvariant()} {path}";
                ops.Add(new Operation(method, path, key, parameters, media, schema is null ? null : Resolve(schema)));
            }
        }
        All = ops;
    }

    public static async Task<OpenApiOperations> LoadAsync(XinfangFactory factory)
    {
        var reply = await new Infrastructure.Api(factory.CreateClient()).GetAsync("/openapi/v1.json");
        reply.Expect(HttpStatusCode.OK);
        return new OpenApiOperations(reply.Json);
    }

    /// <summary>The schema a node stands for: a $ref followed, a "null or X" oneOf reduced to X.</summary>
    public JsonNode Resolve(JsonNode schema)
    {
        for (var i = 0; i < 10; i++)
        {
            if (schema["$ref"]?.ToString() is { } r && r.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                schema = _doc["components"]!["schemas"]![r["#/components/schemas/".Length..]]!;
            else if (schema["oneOf"] is JsonArray one && one.FirstOrDefault(s => s?["type"]?.ToString() != "null") is { } x)
                schema = x;
            else break;
        }
        return schema;
    }

    /// <summary>The non-null JSON types a schema admits ("string", "integer", "array", "object"…).</summary>
    public static IReadOnlyList<string> TypesOf(JsonNode schema) => schema["type"] switch
    {
        JsonArray a => a.Select(t => t!.ToString()).Where(t => t != "null").ToList(),
        JsonValue v => v.ToString() == "null" ? [] : [v.ToString()],
        _ => schema["properties"] is not null ? ["object"] : [],
    };

    /// <summary>The properties of an object schema, each resolved.</summary>
    public IReadOnlyList<(string Name, JsonNode Schema)> PropertiesOf(JsonNode schema) =>
        (Resolve(schema)["properties"] as JsonObject ?? []).Select(p => (p.Key, Resolve(p.Value!))).ToList();

    /// <summary>A plain value of a schema's type, for building bodies where no sample says better.</summary>
    public JsonNode? Plain(JsonNode schema, int depth = 0)
    {
        schema = Resolve(schema);
        var types = TypesOf(schema);
        var format = schema["format"]?.ToString();
        if (types.Contains("object") && depth < 4)
        {
            var o = new JsonObject();
            foreach (var (name, s) in PropertiesOf(schema)) o[name] = Plain(s, depth + 1);
            return o;
        }
        if (types.Contains("array") && depth < 4) return schema["items"] is { } items ? new JsonArray(Plain(items, depth + 1)) : new JsonArray();
        if (types.Contains("boolean")) return false;
        if (types.Contains("integer") || types.Contains("number")) return 1;
        if (types.Contains("string"))
            return format switch
            {
                "uuid" => Guid.Empty.ToString(),
                "date" => "2026-03-02",
                "date-time" => "2026-03-02T10:00:00+08:00",
                _ => "测试",
            };
        return null;
    }
}
