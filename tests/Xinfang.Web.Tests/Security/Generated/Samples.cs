using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>
/// Hosts for the generated security tests: the portal's per-address limits raised so that a flood of requests
/// from the one test client reaches validation instead of stopping at 429 (the limit itself is tested apart),
/// and attachments kept under a folder of their own, so that nothing written outside it goes unnoticed.
/// </summary>
public class GeneratedFactory : XinfangFactory
{
    public string Sandbox { get; } = Path.Combine(Path.GetTempPath(), "xinfang-tests", "sandbox-" + Guid.NewGuid().ToString("N")[..12]);
    public string AttachmentRoot => Path.Combine(Sandbox, "data", "attachments");

    protected GeneratedFactory(Provider provider) : base(provider)
    {
        With("Portal:RequestsPerMinute", "1000000");
        With("Portal:SubmitsPerWindow", "1000000");
        With("Portal:WrongCodesBeforeLock", "1000000");
        With("Attachments:Root", AttachmentRoot);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Relative paths a traversal might resolve against start here, inside the sandbox.
        builder.UseContentRoot(Directory.CreateDirectory(Path.Combine(Sandbox, "content")).FullName);
    }

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(AttachmentRoot);
        await base.InitializeAsync();
    }
}

public sealed class GeneratedSqliteFactory() : GeneratedFactory(Provider.Sqlite);
public sealed class GeneratedPostgresFactory() : GeneratedFactory(Provider.Postgres);

/// <summary>A petition made for one operation: registered at the county bureau by its clerk.</summary>
public sealed record TargetPetition(string Id, string Number, string QueryCode, string Title);

/// <summary>
/// Real objects to fill an operation's path, query and body with, and a well-formed request for every operation
/// of the document, so that a refusal can only come from role or jurisdiction (or from a state the step does not
/// allow).
/// </summary>
public sealed class Samples(World w, Guid reviewUnit, OpenApiOperations doc)
{
    static int _sequence;
    public static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 14, 40)];

    public World World => w;
    public string TargetUserId { get; private set; } = "";
    public string TargetUserName { get; private set; } = "";
    public string ClusterKey { get; set; } = "none";

    /// <summary>An account of the county bureau for the account operations (its password may be reset).</summary>
    public async Task InitializeAsync()
    {
        TargetUserName = Unique("target-");
        var created = (await w.Admin.PostAsync("/api/v1/users", new { userName = TargetUserName, password = World.Password, displayName = "目标账户", unitId = w.CountyBureau, roles = new[] { "caseworker" } }))
            .Expect(HttpStatusCode.Created);
        TargetUserId = created["id"];
    }

    public async Task<TargetPetition> PetitionAsync(string title)
    {
        var p = await w.RegisterAsync(w.Clerk, Petition(title));
        return new TargetPetition(p["id"]!.ToString(), p["number"]!.ToString(), p["queryCode"]!.ToString(), title);
    }

    public async Task<string> AttachmentAsync(TargetPetition p)
    {
        using var content = Png("证据.png");
        using var response = await w.Clerk.Http.PostAsync($"/api/v1/petitions/{p.Id}/attachments", content);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["items"]![0]!["id"]!.ToString();
    }

    public async Task<string> RoutingRuleAsync()
    {
        // A region of its own, so that rules of different operations never collide.
        var region = $"3205{Interlocked.Increment(ref _sequence) % 90 + 10:D2}";
        var r = (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = region, categoryCode = "0102", unitId = w.CountyHousing })).Expect(HttpStatusCode.Created);
        return r["id"];
    }

    /// <summary>A one-pixel PNG (a real one: the store sniffs content) under the form field "files".</summary>
    public static MultipartFormDataContent Png(string fileName, string? queryCode = null)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "files", fileName);
        if (queryCode is not null) content.Add(new StringContent(queryCode), "queryCode");
        return content;
    }

    /// <summary>The value of a path parameter for an operation.</summary>
    public string PathValue(Operation op, string name, TargetPetition? p, string? attachmentId, string? ruleId) => name switch
    {
        "id" when op.Path.StartsWith("/api/v1/petitions/", StringComparison.Ordinal) => p!.Id,
        "id" when op.Path.StartsWith("/api/v1/users/", StringComparison.Ordinal) => TargetUserId,
        "id" when op.Path.StartsWith("/api/v1/units/", StringComparison.Ordinal) => w.CountyBureau.ToString(),
        "id" when op.Path.StartsWith("/api/v1/routing-rules/", StringComparison.Ordinal) => ruleId!,
        "attachmentId" => attachmentId!,
        "number" => p!.Number,
        "sequence" => "1",
        "year" => "2026",
        "key" => ClusterKey,
        "kind" => "written-opinion",
        _ => throw new InvalidOperationException($"{op}: no sample for path parameter {name}; add one in Samples.PathValue"),
    };

    /// <summary>The query string of a well-formed request.</summary>
    public string Query(Operation op, TargetPetition? p) => op.Key switch
    {
        "ListPetitions" => "?limit=500",
        "SearchPetitions" => $"?number={p!.Number}",
        "MatchRoutingRules" => "?regionCode=320583&categoryCode=0102",
        "TrackPetition" or "DownloadAnswer" => $"?queryCode={Uri.EscapeDataString(p!.QueryCode)}",
        _ => "",
    };

    /// <summary>Whether the operation works on a petition of its own (path, query or body names one).</summary>
    public static bool NeedsPetition(Operation op) =>
        op.Path.StartsWith("/api/v1/petitions/{id}", StringComparison.Ordinal) || op.Path.Contains("{number}", StringComparison.Ordinal)
        || op.Key is "SearchPetitions" or "FindSimilarToDraft" or "ListPetitions";

    /// <summary>A well-formed body for the operation: JSON, multipart, or null when it takes none.</summary>
    public HttpContent? Body(Operation op, TargetPetition? p, Guid? candidate = null)
    {
        if (op.IsMultipart) return Png("材料.png", op.Key == "AddAttachmentsOnline" ? p!.QueryCode : null);
        if (op.BodyMediaType is null) return null;
        return Json(JsonBody(op, p, candidate));
    }

    public static StringContent Json(JsonNode? node) => new(node?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");

    public JsonNode? JsonBody(Operation op, TargetPetition? p, Guid? candidate = null)
    {
        var step = EveryAction(w, reviewUnit).Where(a => op.Path.EndsWith("/" + a.Action, StringComparison.Ordinal)).Select(a => a.Body).FirstOrDefault();
        if (step is not null && op.Path.StartsWith("/api/v1/petitions/{id}/", StringComparison.Ordinal))
            return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(step, Infrastructure.Api.Json));
        return op.Key switch
        {
            "Login" => new JsonObject { ["userName"] = "clerk", ["password"] = World.Password },
            "CreateUser" => new JsonObject { ["userName"] = Unique("u-"), ["password"] = World.Password, ["displayName"] = "新用户", ["unitId"] = w.CountyBureau.ToString(), ["roles"] = new JsonArray("caseworker") },
            "ResetUserPassword" => new JsonObject { ["password"] = "Reset-Pass-2026" },
            "CreateUnit" => new JsonObject { ["code"] = Unique("unit-"), ["name"] = "某科室", ["level"] = 4, ["kind"] = "other", ["regionCode"] = "320583001", ["parentId"] = w.CountyBureau.ToString() },
            "CreateRoutingRule" => new JsonObject { ["regionCode"] = "320581", ["categoryCode"] = "0102", ["unitId"] = w.CountyHousing.ToString() },
            "AddCategory" => new JsonObject { ["parentCode"] = "01", ["name"] = Unique("分类") },
            "ImportCalendarYear" => new JsonObject { ["year"] = 2026, ["papers"] = new JsonArray(), ["days"] = new JsonArray() },
            "SetTestingClock" => new JsonObject { ["now"] = "2026-03-02T10:00:00+08:00" },
            "RegisterPetition" => Petition(Unique("登记-")),
            "FindSimilarToDraft" => World.Petition(title: p!.Title),
            "DecideRepeatLink" => new JsonObject { ["candidateId"] = (candidate ?? Guid.NewGuid()).ToString(), ["decision"] = "reject" },
            "CorrectCategory" => new JsonObject { ["categoryCode"] = "0101" },
            "SuggestCategories" => new JsonObject { ["title"] = "小区逾期交房", ["content"] = "开发商停工，逾期未交房", ["regionCode"] = "320583" },
            "SubmitOnline" => new JsonObject
            {
                ["anonymous"] = false, ["name"] = "李四", ["idNumber"] = "11010519491231002X", ["phone"] = "13912345678", ["address"] = "昆山市",
                ["title"] = "网上信访", ["request"] = "请求", ["facts"] = "事实", ["reasons"] = "理由", ["regionCode"] = "320583", ["categoryCode"] = "0102",
                ["type"] = "claim", ["challengeToken"] = "x", ["challengeAnswer"] = "0",
            },
            "RateOnline" => new JsonObject { ["queryCode"] = p!.QueryCode, ["rating"] = "satisfied", ["comment"] = "好" },
            "RequestReviewOnline" => new JsonObject { ["queryCode"] = p!.QueryCode, ["reason"] = "不服", ["unitId"] = reviewUnit.ToString() },
            "WithdrawOnline" => new JsonObject { ["queryCode"] = p!.QueryCode, ["reason"] = "已解决" },
            _ when op.BodySchema is not null => doc.Plain(op.BodySchema),
            _ => null,
        };
    }
}
