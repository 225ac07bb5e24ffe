using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Xinfang.Browser.Tests.Portal;

/// <summary>
/// The staff side the portal tests need, made through the HTTP API by the bootstrap administrator, once per
/// <see cref="LiveServer"/>: 苏州市 (city government and housing bureau) above 昆山市 (county government, its
/// petition bureau — online petitions for region 320583 go there — and its housing bureau, whose functional
/// superior is the city housing bureau). Staff steps between the citizen's steps go through the API too.
/// </summary>
public sealed class PortalWorld
{
    public const string Password = "Test-Pass-2026";
    public const string CityHousingName = "苏州市住房和城乡建设局";
    public const string CountyBureauName = "昆山市信访局";
    public const string CountyHousingName = "昆山市住房和城乡建设局";
    static readonly ConditionalWeakTable<LiveServer, Task<PortalWorld>> Cache = new();

    public required LiveServer Server { get; init; }
    public required HttpClient Admin { get; init; }
    public Guid Root, City, CityHousing, County, CountyBureau, CountyHousing;
    public HttpClient Clerk = null!, Worker = null!, Reviewer = null!;

    public static Task<PortalWorld> OfAsync(LiveServer server) => Cache.GetValue(server, CreateAsync);

    static async Task<PortalWorld> CreateAsync(LiveServer server)
    {
        var admin = await server.LoginAsync();
        var units = (await SendAsync(admin, HttpMethod.Get, "api/v1/units", null, HttpStatusCode.OK))["items"]!.AsArray();
        var w = new PortalWorld { Server = server, Admin = admin, Root = Guid.Parse(units[0]!["id"]!.ToString()) };
        w.City = await w.UnitAsync("c", "苏州市人民政府", 2, "government", "320500", w.Root);
        w.CityHousing = await w.UnitAsync("c-zjj", CityHousingName, 2, "department", "320500", w.City);
        w.County = await w.UnitAsync("k", "昆山市人民政府", 3, "government", "320583", w.City);
        w.CountyBureau = await w.UnitAsync("k-xfj", CountyBureauName, 3, "petitionBureau", "320583", w.County);
        w.CountyHousing = await w.UnitAsync("k-zjj", CountyHousingName, 3, "department", "320583", w.County, w.CityHousing);
        w.Clerk = await w.UserAsync("clerk", w.CountyBureau, "intakeClerk");
        w.Worker = await w.UserAsync("worker", w.CountyHousing, "caseworker");
        w.Reviewer = await w.UserAsync("reviewer", w.CityHousing, "caseworker", "unitLeader");
        return w;
    }

    async Task<Guid> UnitAsync(string code, string name, int level, string kind, string region, Guid parent, Guid? superior = null)
    {
        var unit = await SendAsync(Admin, HttpMethod.Post, "api/v1/units",
            new { code, name, level, kind, regionCode = region, parentId = parent, superiorId = superior }, HttpStatusCode.Created);
        return Guid.Parse(unit["id"]!.ToString());
    }

    async Task<HttpClient> UserAsync(string userName, Guid unit, params string[] roles)
    {
        await SendAsync(Admin, HttpMethod.Post, "api/v1/users", new { userName, password = Password, displayName = userName, unitId = unit, roles }, HttpStatusCode.Created);
        return await Server.LoginAsync(userName, Password);
    }

    /// <summary>The petition's id, found by its number in the county petition bureau's list.</summary>
    public async Task<string> IdOfAsync(string number)
    {
        var items = (await SendAsync(Clerk, HttpMethod.Get, $"api/v1/petitions?q={Uri.EscapeDataString(number)}", null, HttpStatusCode.OK))["items"]!.AsArray();
        items.Count.ShouldBe(1, $"the county petition bureau should find {number}");
        return items[0]!["id"]!.ToString();
    }

    /// <summary>The bureau forwards (转送) the matter to the county housing bureau.</summary>
    public Task<JsonNode> ForwardAsync(string id) =>
        SendAsync(Clerk, HttpMethod.Post, $"api/v1/petitions/{id}/forward", new { unitId = CountyHousing, note = "请依法处理并答复信访人" }, HttpStatusCode.OK);

    /// <summary>The county housing bureau accepts (受理) it into the petition procedure (route 6).</summary>
    public Task<JsonNode> AcceptAsync(string id) =>
        SendAsync(Worker, HttpMethod.Post, $"api/v1/petitions/{id}/accept", new { route = 6 }, HttpStatusCode.OK);

    /// <summary>The county housing bureau answers in writing (答复).</summary>
    public Task<JsonNode> ReplyAsync(string id, string decision, string text, DateOnly deliveredOn) =>
        SendAsync(Worker, HttpMethod.Post, $"api/v1/petitions/{id}/reply", new { decision, text, deliveredOn = deliveredOn.ToString("yyyy-MM-dd") }, HttpStatusCode.OK);

    /// <summary>A letter registered by the county bureau's clerk: its number and the query code the petitioner is given.</summary>
    public async Task<(string Id, string Number, string QueryCode)> RegisterLetterAsync(string title = "小区电梯长期停运", string? categoryCode = null)
    {
        var body = new
        {
            channel = "letter",
            petitioners = new[] { new { name = "李四", phone = "13812345678", address = "昆山市玉山镇朝阳新村5栋302室" } },
            headcount = 1,
            title,
            content = "诉求：请求督促物业修复电梯。事实：电梯自上月起停运。理由：楼内有行动不便的老人。",
            regionCode = "320583",
            categoryCode,
            type = "claim",
        };
        var p = await SendAsync(Clerk, HttpMethod.Post, "api/v1/petitions", body, HttpStatusCode.Created);
        return (p["id"]!.ToString(), p["number"]!.ToString(), p["queryCode"]!.ToString());
    }

    /// <summary>A letter taken to a written reply (decision "explain") delivered on the server's current day.</summary>
    public async Task<(string Id, string Number, string QueryCode)> RepliedLetterAsync(string replyText)
    {
        var letter = await RegisterLetterAsync();
        await ForwardAsync(letter.Id);
        await AcceptAsync(letter.Id);
        await ReplyAsync(letter.Id, "explain", replyText, await TodayAsync());
        return letter;
    }

    /// <summary>
    /// A named online petition submitted through the public API (POST /api/v1/public/petitions), the challenge
    /// fetched from GET /api/v1/public/challenge and answered: the receipt's number and query code.
    /// </summary>
    public async Task<(string Number, string QueryCode)> SubmitOnlineAsync(string title)
    {
        var challenge = await SendAsync(Server.Http, HttpMethod.Get, "api/v1/public/challenge", null, HttpStatusCode.OK);
        var body = new
        {
            name = "王五", phone = "13712345678", address = "昆山市玉山镇阳光花园3栋201室",
            title, request = "请求责令开发商按合同约定交付住房。", facts = "购房合同约定2025年6月交房，项目停工至今。",
            reasons = "购房款已全部付清，开发商逾期交房已构成违约。", regionCode = "320583", type = "claim",
            challengeToken = challenge["token"]!.ToString(),
            challengeAnswer = PortalPage.Solve(challenge["question"]!.ToString()).ToString(),
        };
        var receipt = await SendAsync(Server.Http, HttpMethod.Post, "api/v1/public/petitions", body, HttpStatusCode.Created);
        return (receipt["number"]!.ToString(), receipt["queryCode"]!.ToString());
    }

    /// <summary>The server's current date in China (its clock may stand anywhere).</summary>
    public async Task<DateOnly> TodayAsync()
    {
        var clock = await SendAsync(Server.Http, HttpMethod.Get, "api/v1/testing/clock", null, HttpStatusCode.OK);
        return DateOnly.FromDateTime(DateTimeOffset.Parse(clock["now"]!.ToString()).ToOffset(TimeSpan.FromHours(8)).DateTime);
    }

    /// <summary>The due date of the named running clock in a petition resource, e.g. "reviewRequest".</summary>
    public static DateOnly DueOn(JsonNode petition, string clock) =>
        DateOnly.Parse(petition["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == clock)!["dueOn"]!.ToString());

    public static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {path}: expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }
}
