using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Portal;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// A host whose per-address portal limits are out of the way: in the test server every client has the same
/// (absent) address, so the functional tests of a class would otherwise share five submissions per ten minutes.
/// The limits themselves are tested with their own small settings (<see cref="SubmitLimitTests"/>).
/// </summary>
public sealed class PortalSqliteFactory : XinfangFactory
{
    public PortalSqliteFactory() : base(Provider.Sqlite) => PortalKit.Generous(this);
}

public sealed class PortalPostgresFactory : XinfangFactory
{
    public PortalPostgresFactory() : base(Provider.Postgres) => PortalKit.Generous(this);
}

/// <summary>The citizen's side of the portal API: anonymous clients, the challenge, a complete online petition.</summary>
public static partial class PortalKit
{
    public const string Base = "/api/v1/public";
    static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    static int _serial = Random.Shared.Next(0, 200);

    internal static void Generous(XinfangFactory f) =>
        f.With("Portal:SubmitsPerWindow", "10000").With("Portal:RequestsPerMinute", "100000");

    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>
    /// Scenario time for a test: 10:00 (China) a week after the real today, plus <paramref name="days"/>. Not a fixed
    /// past date: the server checks a challenge token's expiry against the real clock, so under a controllable clock
    /// standing in the past no challenge can be answered (see SubmissionTests, the skipped BUG tests).
    /// </summary>
    public static async Task<DateTimeOffset> StartAsync(World w, int days = 0)
    {
        var today = DateTimeOffset.UtcNow.ToOffset(China).Date;
        var t = new DateTimeOffset(today.AddDays(7 + days).AddHours(10), China);
        await SetAsync(w, t);
        return t;
    }

    public static Task SetAsync(World w, DateTimeOffset t) => w.SetClockAsync(t.ToOffset(China).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

    public static string Day(DateTimeOffset t) => t.ToOffset(China).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A client with no account, as a citizen's browser.</summary>
    public static Api Citizen(XinfangFactory factory) => new(factory.CreateClient());

    [GeneratedRegex("^(.)加(.)等于几")]
    private static partial Regex Question();

    /// <summary>Fetches a challenge and answers it as a person would: the sum of the two Chinese digits.</summary>
    public static async Task<(string Token, string Answer)> ChallengeAsync(Api citizen)
    {
        var r = (await citizen.GetAsync($"{Base}/challenge")).Expect(HttpStatusCode.OK);
        var token = r["token"];
        var question = r["question"];
        token.ShouldNotBeNullOrWhiteSpace();
        var m = Question().Match(question);
        m.Success.ShouldBeTrue($"unexpected question {question}");
        var a = Array.IndexOf(Digits, m.Groups[1].Value);
        var b = Array.IndexOf(Digits, m.Groups[2].Value);
        a.ShouldBeInRange(1, 9);
        b.ShouldBeInRange(1, 9);
        return (token, (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A complete online petition (Art. 19 in its three parts) by a petitioner of its own: name, phone and ID
    /// number are unique per call, so repeat detection never links the petitions of different tests.
    /// </summary>
    public static JsonObject Submission(string title, Action<JsonObject>? change = null, string regionCode = "320583")
    {
        var n = Interlocked.Increment(ref _serial);
        var first17 = $"3205831985{1 + n / 28 % 12:D2}{1 + n % 28:D2}{n % 1000:D3}";
        var body = new JsonObject
        {
            ["anonymous"] = false,
            ["name"] = $"市民{n}号",
            ["idNumber"] = first17 + Domain.Petitions.ResidentId.CheckCharacter(first17),
            ["phone"] = $"1370{n:D7}",
            ["address"] = $"昆山市玉山镇朝阳路{n}号",
            ["title"] = title,
            ["request"] = $"请求依法处理：{title}",
            ["facts"] = $"事实经过：{title}，多次反映未果（{n}）。",
            ["reasons"] = "理由：损害了本人的合法权益。",
            ["regionCode"] = regionCode,
            ["categoryCode"] = "0102",
            ["type"] = "claim",
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>Answers a fresh challenge and posts the petition.</summary>
    public static async Task<Reply> SubmitAsync(Api citizen, JsonObject body)
    {
        var (token, answer) = await ChallengeAsync(citizen);
        body["challengeToken"] = token;
        body["challengeAnswer"] = answer;
        return await citizen.PostAsync($"{Base}/petitions", body.ToJsonString());
    }

    /// <summary>Submits and expects the receipt; returns (number, queryCode).</summary>
    public static async Task<(string Number, string Code)> SubmittedAsync(Api citizen, JsonObject body)
    {
        var r = (await SubmitAsync(citizen, body)).Expect(HttpStatusCode.Created);
        return (r["number"], r["queryCode"]);
    }

    public static Task<Reply> StatusAsync(Api citizen, string number, string? code) =>
        citizen.GetAsync($"{Base}/petitions/{Uri.EscapeDataString(number)}" + (code is null ? "" : $"?queryCode={Uri.EscapeDataString(code)}"));

    public static async Task<JsonNode> StatusOkAsync(Api citizen, string number, string code) =>
        (await StatusAsync(citizen, number, code)).Expect(HttpStatusCode.OK).Json;

    /// <summary>The staff id of a petition, found as a clerk finds it: by its number in the jurisdiction's list.</summary>
    public static async Task<string> StaffIdAsync(Api staff, string number)
    {
        var items = (await staff.GetAsync($"/api/v1/petitions?q={Uri.EscapeDataString(number)}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var hit = items.SingleOrDefault(i => i!["number"]!.ToString() == number)
            ?? throw new Xunit.Sdk.XunitException($"{number} is not in the list of this user ({items.Count} items)");
        return hit["id"]!.ToString();
    }

    /// <summary>The same number with its sequence moved by <paramref name="delta"/> (320583-2025-000007 → …000008).</summary>
    public static string Neighbour(string number, int delta)
    {
        var cut = number.LastIndexOf('-');
        var seq = long.Parse(number[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture) + delta;
        return $"{number[..cut]}-{seq.ToString(new string('0', number.Length - cut - 1), System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>A query code nobody was given, shaped like a real one.</summary>
    public static string RandomCode(string like) =>
        new(Enumerable.Range(0, Math.Max(like.Length, 8)).Select(_ => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[Random.Shared.Next(32)]).ToArray());

    public static JsonNode Event(JsonNode status, string action) =>
        status["timeline"]!.AsArray().LastOrDefault(e => e!["action"]!.ToString() == action)
        ?? throw new Xunit.Sdk.XunitException($"no {action} in the timeline {status["timeline"]}");
}
