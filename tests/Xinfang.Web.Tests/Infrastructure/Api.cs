using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Xinfang.Web.Tests.Infrastructure;

/// <summary>A signed-in HTTP client speaking the v1 API's JSON.</summary>
public sealed class Api(HttpClient http)
{
    public HttpClient Http { get; } = http;
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<Api> LoginAsync(XinfangFactory factory, string userName, string password)
    {
        var http = factory.CreateClient();
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"login {userName}: {(int)response.StatusCode} {body}");
        var token = JsonNode.Parse(body)!["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Api(http);
    }

    public Task<Reply> PostAsync(string path, object? body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Post, path, body, headers);
    public Task<Reply> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);
    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.ETag?.Tag, response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed record Reply(HttpStatusCode Status, string Body, string? ETag, string? Location, string? MediaType)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");
    public string this[string property] => Json[property]?.ToString() ?? "";
    public int Code => (int)Status;
    public string ProblemType => Json["type"]?.GetValue<string>() ?? "";

    public Reply Expect(HttpStatusCode status)
    {
        if (Status != status) throw new Xunit.Sdk.XunitException($"expected {(int)status} but got {(int)Status}: {Body}");
        return this;
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
