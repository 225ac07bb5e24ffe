using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Helpers shared by the security and organisation tests: extra accounts in units where <see cref="World"/>
/// has none (the county and city governments…), petitions whose petitioner is unique (so that repeat
/// detection never links the matters of different tests), and probes of every workflow action.
/// </summary>
internal static class Staffing
{
    static int _sequence;

    /// <summary>A new account (unique user name) in <paramref name="unit"/>, signed in.</summary>
    public static async Task<Infrastructure.Api> UserAsync(World w, Guid unit, params string[] roles)
    {
        var userName = "x-" + Guid.NewGuid().ToString("N")[..12];
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = unit, roles }))
            .Expect(HttpStatusCode.Created);
        return await Infrastructure.Api.LoginAsync(w.Factory, userName, World.Password);
    }

    /// <summary>A valid registration whose petitioner (ID number and phone) no other petition of this process shares.</summary>
    public static JsonObject Petition(string title, Action<JsonObject>? change = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var first17 = $"32058319800101{n % 1000:D3}";
        var id = first17 + Domain.Petitions.ResidentId.CheckCharacter(first17);
        return World.Petition(b =>
        {
            b["petitioners"]![0]!["phone"] = $"138{n:D8}";
            change?.Invoke(b);
        }, idNumber: id, title: title);
    }

    /// <summary>An accusation (检举控告) naming <paramref name="accusedUnit"/> and a person.</summary>
    public static JsonObject Accusation(Guid accusedUnit, string title = "举报某某利用职务便利收受贿赂") => Petition(title, b =>
    {
        b["type"] = "accusation";
        b["categoryCode"] = "06";
        b["content"] = "检举事实：某某在审批中收受开发商财物，数额较大。请求：依纪依法查处。";
        b["accused"] = new JsonObject { ["unitId"] = accusedUnit.ToString(), ["personName"] = "某某" };
    });

    public static string Id(JsonNode petition) => petition["id"]!.ToString();

    /// <summary>The ids of the petitions a list answer holds.</summary>
    public static IReadOnlyList<string> Ids(Reply list) =>
        list.Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(p => p!["id"]!.ToString()).ToList();

    /// <summary>The ids the caller sees in its list (one page of the maximum size: the tests register far fewer).</summary>
    public static async Task<IReadOnlyList<string>> ListedAsync(Infrastructure.Api api, string query = "") =>
        Ids(await api.GetAsync("/api/v1/petitions?limit=500" + query));

    /// <summary>A valid body for every workflow action, so that a refusal can only come from jurisdiction or role.</summary>
    public static IReadOnlyList<(string Action, object Body)> EveryAction(World w, Guid reviewUnit) =>
    [
        ("forward", new { unitId = w.CountyHousing, note = "转送" }),
        ("assign", new { unitId = w.CountyHousing, reportDueOn = "2099-12-31", note = "交办" }),
        ("object", new { reason = "不属于本单位职权" }),
        ("accept", new { route = 6 }),
        ("decline", new { reason = "不属于信访事项", redirect = "other" }),
        ("extend", new { days = 10, reason = "情况复杂", approvedBy = "某局长" }),
        ("reply", new { decision = "support", text = "意见书", deliveredOn = "2020-01-02" }),
        ("request-review", new { requestedOn = "2020-01-02", reason = "不服", unitId = reviewUnit }),
        ("review-decision", new { decision = "explain", text = "复查意见", deliveredOn = "2020-01-02" }),
        ("request-re-review", new { requestedOn = "2020-01-02", reason = "不服", unitId = reviewUnit }),
        ("hearing", new { startOn = "2020-01-02" }),
        ("re-review-decision", new { decision = "notSupport", text = "复核意见", deliveredOn = "2020-01-02" }),
        ("close", new { note = "办结" }),
        ("withdraw", new { reason = "信访人撤回" }),
    ];

    /// <summary>Every way of reading or acting on a matter answers 404 to <paramref name="api"/>, and its lists do not show it.</summary>
    public static async Task ShouldNotReachAsync(Infrastructure.Api api, World w, string id, Guid ownUnit)
    {
        (await api.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync($"/api/v1/petitions/{id}/events")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync($"/api/v1/petitions/{id}/review-bodies")).Status.ShouldBe(HttpStatusCode.NotFound);
        foreach (var (action, body) in EveryAction(w, ownUnit))
        {
            var r = await api.PostAsync($"/api/v1/petitions/{id}/{action}", body);
            r.Status.ShouldBe(HttpStatusCode.NotFound, $"{action}: {r}");
            r.ProblemType.ShouldBe("/problems/not-found");
        }
        (await ListedAsync(api)).ShouldNotContain(id);
    }
}
