using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>One generated hostile request: what it is, and how to build it (a request can be sent once).</summary>
public sealed record HostileRequest(Operation Op, string Label, Func<HttpRequestMessage> Build)
{
    /// <summary>The payload string it carries into a stored field, when it is a script or SQL payload (checked if accepted).</summary>
    public string? StoredPayload { get; init; }
    public override string ToString() => $"{Op.Method.ToUpperInvariant()} {Op.Path} [{Label}]";
}

/// <summary>
/// Generates malformed and hostile requests from an operation's OpenAPI description: wrong JSON types per
/// property, missing and null properties, huge strings and arrays, deep nesting, malformed and oversized
/// bodies, invalid UTF-8, wrong content types, SQL and script payloads in every string field and query
/// parameter, bad path parameters, and hostile multipart uploads.
/// </summary>
public sealed class HostileRequests(OpenApiOperations doc, long maxBodyBytes)
{
    public static readonly string[] Payloads =
    [
        "' OR '1'='1' --",
        "'; DROP TABLE petitions; --",
        "<script>alert('xss')</script>",
        "\"><img src=x onerror=alert(1)>",
        "../../../../etc/passwd",
        "%00\u0000\u202e\ud83d\ude00",
    ];

    /// <summary>The script payloads: stored as data, they must come back verbatim in JSON and escaped in HTML.</summary>
    public static bool IsScript(string payload) => payload.Contains('<');

    // Beyond every field's limit (titles 200, contents 20,000 characters) yet within the 1 MB body limit.
    static readonly string Huge = new('字', 30_000);

    /// <summary>A JSON text nested <paramref name="depth"/> arrays deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>
    /// Every hostile variant of an operation. <paramref name="path"/> fills the path with well-formed values,
    /// <paramref name="baseBody"/> is a well-formed JSON body (or null), <paramref name="multipart"/> builds a
    /// well-formed upload around a file (name, content type, bytes).
    /// </summary>
    public IEnumerable<HostileRequest> For(Operation op, Func<string, string> pathValue, string query, JsonNode? baseBody,
        Func<string, string, byte[], MultipartFormDataContent>? multipart)
    {
        var url = op.Fill(pathValue) + query;
        HttpRequestMessage Make(string u, HttpContent? content) => new(op.HttpMethod, u) { Content = content };
        HttpRequestMessage Raw(byte[] bytes, string? mediaType = "application/json")
        {
            var c = new ByteArrayContent(bytes);
            if (mediaType is not null) c.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            return Make(url, c);
        }
        HttpContent BaseContent() => baseBody is null ? null! : Samples.Json(baseBody.DeepClone());

        // Path parameters that are not what the route expects. (A NUL in the path never reaches the app: Kestrel
        // refuses the request line, and the test host throws before sending it.)
        foreach (var p in op.InPath)
            foreach (var (label, bad) in new[]
                     {
                         ("not a guid", "not-a-guid"), ("traversal", "..%2F..%2F..%2Fetc%2Fpasswd"), ("dot segments", "../../etc/passwd"),
                         ("sql", Uri.EscapeDataString("' OR 1=1 --")), ("script", Uri.EscapeDataString("<script>alert(1)</script>")),
                         ("long", new string('9', 3000)), ("negative", "-1"), ("overflow", "99999999999999999999"),
                         ("invalid utf-8", "%C3%28%FF"),
                     })
            {
                var u = op.Fill(n => n == p.Name ? bad : Uri.EscapeDataString(pathValue(n)), raw: true) + query;
                yield return new(op, $"path {p.Name}: {label}", () => Make(u, op.IsMultipart && multipart is not null ? multipart("a.png", "image/png", Png) : BaseContent()));
            }

        // Query parameters: payloads, wrong types, huge values, invalid UTF-8.
        foreach (var q in op.InQuery)
        {
            var types = OpenApiOperations.TypesOf(doc.Resolve(q.Schema));
            var values = new List<(string, string)>
            {
                ("huge", new string('x', 4000)), ("invalid utf-8", "%C3%28%FF%FE"), ("empty", ""), ("repeated", "a&" + q.Name + "=b"),
            };
            values.AddRange(Payloads.Select(x => ("payload " + x[..Math.Min(6, x.Length)], Uri.EscapeDataString(x))));
            if (types.Contains("integer")) values.AddRange([("not a number", "abc"), ("negative", "-5"), ("overflow", "99999999999"), ("fraction", "1.5")]);
            if (doc.Resolve(q.Schema)["format"]?.ToString() == "uuid") values.Add(("not a guid", "xyz"));
            foreach (var (label, value) in values)
            {
                var sep = url.Contains('?') ? "&" : "?";
                var u = url + sep + q.Name + "=" + value;
                yield return new(op, $"query {q.Name}: {label}", () => Make(u, op.IsMultipart && multipart is not null ? multipart("a.png", "image/png", Png) : BaseContent()));
            }
        }

        if (op.Parameters.Any(p => p.In == "header" && p.Name == "Idempotency-Key"))
            yield return new(op, "huge Idempotency-Key", () => { var r = Make(url, BaseContent()); r.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 5000)); return r; });
        if (op.Method == "post" && op.Path.StartsWith("/api/v1/petitions/{id}/", StringComparison.Ordinal))
            foreach (var ifMatch in new[] { "\"abc\"", "W/\"-1\"", "\"99999999999999\"", "garbage" })
                yield return new(op, $"If-Match {ifMatch}", () => { var r = Make(url, BaseContent()); r.Headers.TryAddWithoutValidation("If-Match", ifMatch); return r; });

        if (op.TakesJson) foreach (var r in JsonVariants(op, url, baseBody ?? new JsonObject(), Make, Raw)) yield return r;
        if (op.IsMultipart && multipart is not null) foreach (var r in MultipartVariants(op, url, multipart, Make, Raw)) yield return r;
    }

    IEnumerable<HostileRequest> JsonVariants(Operation op, string url, JsonNode baseBody, Func<string, HttpContent?, HttpRequestMessage> make, Func<byte[], string?, HttpRequestMessage> raw)
    {
        HostileRequest Body(string label, Func<string> text) => new(op, label, () => raw(Encoding.UTF8.GetBytes(text()), "application/json"));
        HostileRequest Changed(string label, Action<JsonNode> change, string? stored = null) => new(op, label, () =>
        {
            var b = baseBody.DeepClone();
            change(b);
            return make(url, Samples.Json(b));
        }) { StoredPayload = stored };

        // The whole body.
        yield return Body("body: null", () => "null");
        yield return Body("body: array", () => "[]");
        yield return Body("body: string", () => "\"x\"");
        yield return Body("body: number", () => "42");
        yield return Body("body: empty object", () => "{}");
        yield return Body("body: empty", () => "");
        yield return Body("body: truncated", () => baseBody.ToJsonString()[..(baseBody.ToJsonString().Length / 2)]);
        yield return Body("body: trailing garbage", () => baseBody.ToJsonString() + "}}}");
        yield return Body("body: single quotes", () => "{'title':'x'}");
        yield return Body("body: comments", () => "/* c */" + baseBody.ToJsonString());
        yield return Body("body: duplicate keys", () => "{\"a\":1,\"a\":2," + baseBody.ToJsonString()[1..]);
        yield return Body("body: nested 5000 deep", () => Nested(5000));
        yield return Body("body: object nested 3000 deep", () => string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000));
        yield return Body("body: beyond the size limit", () => "{\"x\":\"" + new string('a', (int)maxBodyBytes + 10) + "\"}");
        yield return new(op, "body: invalid utf-8", () => raw([.. "{\"title\":\""u8.ToArray(), 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8.ToArray()], "application/json"));
        yield return new(op, "body: utf-16", () => raw(Encoding.Unicode.GetBytes(baseBody.ToJsonString()), "application/json; charset=utf-16"));
        yield return new(op, "body: BOM and NULs", () => raw([0xEF, 0xBB, 0xBF, 0, 0, .. Encoding.UTF8.GetBytes(baseBody.ToJsonString())], "application/json"));
        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1" })
            yield return new(op, $"content type {type}", () => raw(Encoding.UTF8.GetBytes(baseBody.ToJsonString()), type));
        yield return new(op, "no content type", () => raw(Encoding.UTF8.GetBytes(baseBody.ToJsonString()), null));

        // Property by property, from the schema (top level, and the first element of arrays of objects).
        foreach (var slot in Slots(op, baseBody))
        {
            var types = OpenApiOperations.TypesOf(slot.Schema);
            var format = slot.Schema["format"]?.ToString();
            yield return Changed($"{slot.Label}: missing", b => slot.Remove(b));
            yield return Changed($"{slot.Label}: null", b => slot.Set(b, null));
            if (!types.Contains("object")) yield return Changed($"{slot.Label}: object", b => slot.Set(b, new JsonObject { ["$where"] = "1" }));
            if (!types.Contains("array")) yield return Changed($"{slot.Label}: array", b => slot.Set(b, new JsonArray(1, "x")));
            if (types.Contains("string"))
            {
                yield return Changed($"{slot.Label}: number", b => slot.Set(b, 12345));
                yield return Changed($"{slot.Label}: boolean", b => slot.Set(b, true));
                yield return Changed($"{slot.Label}: huge string", b => slot.Set(b, Huge));
                if (format is "uuid" or "date" or "date-time")
                {
                    foreach (var bad in new[] { "not-a-" + format, "2026-02-30", "0000-00-00T99:99:99", "00000000-0000-0000-0000-000000000000" })
                        yield return Changed($"{slot.Label}: {bad}", b => slot.Set(b, bad));
                }
                else
                {
                    foreach (var payload in Payloads)
                        yield return Changed($"{slot.Label}: payload {payload}", b => slot.Set(b, payload), payload);
                }
            }
            if (types.Contains("integer") || types.Contains("number"))
            {
                foreach (var (label, value) in new (string, JsonNode?)[] { ("string", "abc"), ("fraction", 1.5), ("overflow", JsonValue.Create(99999999999999999999m)), ("negative", -2147483648), ("huge exponent", JsonNode.Parse("1e400")) })
                    yield return Changed($"{slot.Label}: {label}", b => slot.Set(b, value?.DeepClone()));
            }
            if (types.Contains("boolean"))
                foreach (var (label, value) in new (string, JsonNode?)[] { ("string", "yes"), ("number", 1) })
                    yield return Changed($"{slot.Label}: {label}", b => slot.Set(b, value?.DeepClone()));
            if (types.Contains("array"))
            {
                yield return Changed($"{slot.Label}: string", b => slot.Set(b, "x"));
                yield return Changed($"{slot.Label}: 20000 items", b => slot.Set(b, new JsonArray(Enumerable.Range(0, 20_000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray())));
                yield return new(op, $"{slot.Label}: nested 4000 deep", () =>
                {
                    var b = baseBody.DeepClone();
                    slot.Set(b, "@@NESTED@@");
                    return raw(Encoding.UTF8.GetBytes(b.ToJsonString().Replace("\"@@NESTED@@\"", Nested(4000))), "application/json");
                });
            }
        }
    }

    IEnumerable<HostileRequest> MultipartVariants(Operation op, string url, Func<string, string, byte[], MultipartFormDataContent> multipart,
        Func<string, HttpContent?, HttpRequestMessage> make, Func<byte[], string?, HttpRequestMessage> raw)
    {
        HostileRequest File(string label, string name, string type, Func<byte[]> bytes) => new(op, label, () => make(url, multipart(name, type, bytes())));
        foreach (var name in new[] { "../../etc/passwd", "..\\..\\windows\\system32\\evil.png", "/etc/passwd", "....//....//x.png", "%2e%2e%2fpasswd.png", "a\u0001b\u007f.png",
                     "<script>alert(1)</script>.png", new string('长', 3000) + ".png", "CON.png", ".htaccess", "" })
            yield return File($"file name {name[..Math.Min(name.Length, 20)]}", name, "image/png", () => Png);
        yield return File("executable labelled image/jpeg", "photo.jpg", "image/jpeg", () => [0x4D, 0x5A, 0x90, 0x00, .. new byte[2000]]);
        yield return File("ELF labelled application/pdf", "doc.pdf", "application/pdf", () => [0x7F, 0x45, 0x4C, 0x46, .. new byte[2000]]);
        yield return File("HTML labelled image/png", "x.png", "image/png", () => "<html><script>alert(1)</script></html>"u8.ToArray());
        yield return File("HTML labelled application/pdf", "x.pdf", "application/pdf", () => "<!DOCTYPE html><script>alert(1)</script>"u8.ToArray());
        yield return File("SVG with script", "x.svg", "image/svg+xml", () => "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"u8.ToArray());
        yield return File("empty file", "e.png", "image/png", () => []);
        yield return File("file over the per-file limit", "big.png", "image/png", () => [.. Png, .. new byte[6 * 1024 * 1024]]);
        yield return new(op, "request over the upload limit", () => raw(new byte[17 * 1024 * 1024], "multipart/form-data; boundary=zzz"));
        yield return new(op, "four files", () =>
        {
            var c = multipart("1.png", "image/png", Png);
            for (var i = 2; i <= 4; i++) { var f = new ByteArrayContent(Png); f.Headers.ContentType = new("image/png"); c.Add(f, "files", $"{i}.png"); }
            return make(url, c);
        });
        yield return new(op, "file under another field", () =>
        {
            var c = new MultipartFormDataContent();
            c.Add(new ByteArrayContent(Png), "other", "a.png");
            return make(url, c);
        });
        yield return new(op, "malformed multipart", () => raw("--zzz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\nabc"u8.ToArray(), "multipart/form-data; boundary=zzz"));
        yield return new(op, "multipart without boundary", () => raw(Png, "multipart/form-data"));
        yield return new(op, "JSON instead of a form", () => raw("{\"files\":[]}"u8.ToArray(), "application/json"));
        yield return new(op, "no body", () => make(url, null));
    }

    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>A property a mutation can reach: top level, or inside the first element of an array of objects.</summary>
    sealed record Slot(string Label, JsonNode Schema, Action<JsonNode, JsonNode?> Set, Action<JsonNode> Remove);

    IEnumerable<Slot> Slots(Operation op, JsonNode baseBody)
    {
        if (op.BodySchema is null || baseBody is not JsonObject) yield break;
        foreach (var (name, schema) in doc.PropertiesOf(op.BodySchema))
        {
            yield return new(name, schema, (b, v) => b[name] = v, b => b.AsObject().Remove(name));
            if (OpenApiOperations.TypesOf(schema).Contains("array") && schema["items"] is { } items && doc.Resolve(items)["properties"] is not null
                && baseBody[name] is JsonArray { Count: > 0 } arr && arr[0] is JsonObject)
                foreach (var (inner, innerSchema) in doc.PropertiesOf(items))
                    yield return new($"{name}[0].{inner}", innerSchema, (b, v) => b[name]![0]![inner] = v, b => b[name]![0]!.AsObject().Remove(inner));
        }
    }
}
