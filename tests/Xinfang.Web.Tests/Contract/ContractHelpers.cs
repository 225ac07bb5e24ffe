using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>Small helpers for the HTTP contract tests: problem checks, raw responses, list walks, fresh petitioners.</summary>
static partial class ContractHelpers
{
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    static int _serial = Random.Shared.Next(1_000, 9_000);

    /// <summary>An RFC 9457 problem: the status, application/problem+json, a stable /problems/ type and a Chinese title.</summary>
    public static Reply ShouldBeProblem(this Reply r, HttpStatusCode status, string? type = null)
    {
        r.Status.ShouldBe(status, r.ToString());
        r.MediaType.ShouldBe("application/problem+json", r.ToString());
        var json = r.Json;
        json["type"]!.GetValue<string>().ShouldStartWith("/problems/", customMessage: r.ToString());
        if (type is not null) r.ProblemType.ShouldBe(type, r.ToString());
        Chinese().IsMatch(json["title"]!.GetValue<string>()).ShouldBeTrue($"title should be Chinese: {r}");
        if (json["status"] is { } s) s.GetValue<int>().ShouldBe((int)status);
        return r;
    }

    /// <summary>A 400 problem whose <c>errors</c> map names each of <paramref name="fields"/>, each with a Chinese message.</summary>
    public static Reply ShouldNameFields(this Reply r, params string[] fields)
    {
        r.ShouldBeProblem(HttpStatusCode.BadRequest);
        var errors = r.Json["errors"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"no errors map: {r}");
        foreach (var field in fields)
        {
            errors.ContainsKey(field).ShouldBeTrue($"errors should name {field}: {r}");
            var messages = errors[field]!.AsArray();
            messages.Count.ShouldBeGreaterThan(0);
            Chinese().IsMatch(messages[0]!.GetValue<string>()).ShouldBeTrue($"message for {field} should be Chinese: {r}");
        }
        return r;
    }

    /// <summary>A response with its headers, for what <see cref="Reply"/> does not carry.</summary>
    public sealed record RawReply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders);

    public static async Task<RawReply> RawAsync(this Api api, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, options: Api.Json);
        using var response = await api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new RawReply(response.StatusCode, text, response.Headers, response.Content.Headers);
    }

    /// <summary>Every petition in the caller's list, following the cursors.</summary>
    public static async Task<List<JsonNode>> AllPetitionsAsync(this Api api, int limit = 500)
    {
        var all = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 10_000; page++)
        {
            var path = $"/api/v1/petitions?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var json = (await api.GetAsync(path)).Expect(HttpStatusCode.OK).Json;
            all.AddRange(json["items"]!.AsArray().Select(i => i!));
            cursor = json["nextCursor"]?.GetValue<string>();
            if (cursor is null) return all;
        }
        throw new Xunit.Sdk.XunitException("the list never ended");
    }

    public static async Task<HashSet<string>> PetitionIdsAsync(this Api api) =>
        (await api.AllPetitionsAsync()).Select(p => p["id"]!.ToString()).ToHashSet();

    /// <summary>A valid registration body for a petitioner of its own (own ID number and phone), so no earlier matter is linked as a repeat.</summary>
    public static JsonObject FreshPetition(Action<JsonObject>? change = null, string? title = null)
    {
        var n = Interlocked.Increment(ref _serial);
        var birth = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 18_000));
        var first17 = $"320583{birth:yyyyMMdd}{n % 1000:D3}";
        return World.Petition(b =>
        {
            b["petitioners"]![0]!["phone"] = $"139{Random.Shared.Next(0, 10_000):D4}{n % 10_000:D4}";
            b["content"] = $"诉求：请求处理第{n}号事项。事实：{Guid.NewGuid():N}。理由：依法应予处理。";
            change?.Invoke(b);
        }, idNumber: first17 + ResidentId.CheckCharacter(first17), title: title ?? $"测试事项{n}");
    }

    /// <summary>Registers a fresh petition (by the county bureau's clerk unless told) and returns it.</summary>
    public static async Task<JsonNode> RegisterFreshAsync(this World w, Api? by = null, Action<JsonObject>? change = null) =>
        await w.RegisterAsync(by, FreshPetition(change));

    /// <summary>Registers a fresh petition and forwards it to the county housing bureau (w.Worker's unit).</summary>
    public static async Task<string> ForwardedToHousingAsync(this World w)
    {
        var id = (await w.RegisterFreshAsync())["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A new user of its own (so lockouts and keys touch nobody else), signed in.</summary>
    public static async Task<Api> NewUserAsync(this World w, Guid unit, params string[] roles)
    {
        var userName = $"u-{Guid.NewGuid():N}"[..20];
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = "测试用户", unitId = unit, roles }))
            .Expect(HttpStatusCode.Created);
        return await Api.LoginAsync(w.Factory, userName, World.Password);
    }

    public static async Task<JsonArray> EventsAsync(this Api api, string id) =>
        (await api.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    public static async Task<JsonNode> PetitionAsync(this Api api, string id) =>
        (await api.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;

    /// <summary>Waits for the sweep to bring a petition to a status.</summary>
    public static async Task<JsonNode> WaitForStatusAsync(this Api api, string id, string status, int seconds = 20)
    {
        JsonNode last = null!;
        for (var i = 0; i < seconds * 10; i++)
        {
            last = await api.PetitionAsync(id);
            if (last["status"]!.ToString() == status) return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"petition {id} stayed {last["status"]} (wanted {status})");
    }
}
