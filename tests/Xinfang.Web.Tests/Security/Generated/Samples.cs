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
    /// <summary>A 督办 the county bureau issued to itself (an internal 督办), so that its inside callers both answer and decide.</summary>
    public string SupervisionId { get; private set; } = "";

    /// <summary>A unit leader of the county government who owns the matters of the ownership operations (领导包案).</summary>
    Infrastructure.Api? _owner;
    Guid _ownerId;
    readonly Dictionary<string, string> _ownerships = new();

    /// <summary>An ownership of <paramref name="p"/>, its leader the county's (none of the matrix's callers).</summary>
    public async Task<string> OwnershipAsync(TargetPetition p)
    {
        var o = (await _owner!.PostAsync($"/api/v1/petitions/{p.Id}/ownership", new { leaders = new[] { new { userId = _ownerId, capacity = "territory" } } }))
            .Expect(HttpStatusCode.Created);
        lock (_ownerships) _ownerships[p.Id] = o["id"];
        return o["id"];
    }

    /// <summary>Whether the operation works on an ownership (its matter gets one first).</summary>
    public static bool NeedsOwnership(Operation op) => op.Path.StartsWith("/api/v1/ownerships/{id}", StringComparison.Ordinal);
    /// <summary>A notice to the county bureau, and an urgent report addressed to it (from a township below it, Art. 25).</summary>
    public string NotificationId { get; private set; } = "";
    public string UrgentReportId { get; private set; } = "";

    /// <summary>An account of the county bureau for the account operations (its password may be reset).</summary>
    public async Task InitializeAsync()
    {
        var ownerName = Unique("owner-");
        _ownerId = Guid.Parse((await w.Admin.PostAsync("/api/v1/users", new { userName = ownerName, password = World.Password, displayName = "包案领导", unitId = w.County, roles = new[] { "unitLeader" } }))
            .Expect(HttpStatusCode.Created)["id"]);
        _owner = await Infrastructure.Api.LoginAsync(w.Factory, ownerName, World.Password);
        TargetUserName = Unique("target-");
        var created = (await w.Admin.PostAsync("/api/v1/users", new { userName = TargetUserName, password = World.Password, displayName = "目标账户", unitId = w.CountyBureau, roles = new[] { "caseworker" } }))
            .Expect(HttpStatusCode.Created);
        TargetUserId = created["id"];
        var issuerName = Unique("sv-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName = issuerName, password = World.Password, displayName = "督查员", unitId = w.CountyBureau, roles = new[] { "supervisor" } }))
            .Expect(HttpStatusCode.Created);
        var issuer = await Infrastructure.Api.LoginAsync(w.Factory, issuerName, World.Password);
        var matter = await PetitionAsync(Unique("督办事项-"));
        SupervisionId = (await issuer.PostAsync($"/api/v1/petitions/{matter.Id}/supervisions", new { form = "phone", reasons = new[] { "notFinishedInTime" }, addresseeUnitId = w.CountyBureau }))
            .Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        // A backlog campaign (积案化解) of the county bureau, open for any clock the tests set, with one member owned by the target account.
        var organiser = Unique("backlog-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName = organiser, password = World.Password, displayName = "督查员", unitId = w.CountyBureau, roles = new[] { "supervisor" } }))
            .Expect(HttpStatusCode.Created);
        _backlogOrganiser = await Infrastructure.Api.LoginAsync(w.Factory, organiser, World.Password);
        CampaignId = (await _backlogOrganiser.PostAsync("/api/v1/backlog-campaigns", new { name = "矩阵专项", unitId = w.CountyBureau, startsOn = "2000-01-01", endsOn = "2099-12-31", criteria = new { minRepeats = 2 } }))
            .Expect(HttpStatusCode.Created)["id"];
        SharedMemberId = await BacklogMemberAsync();
        await UrgentReportAsync();
    }

    Infrastructure.Api? _backlogOrganiser;
    public string CampaignId { get; private set; } = "";
    public string SharedMemberId { get; private set; } = "";
    /// <summary>A member of its own for each operation on one (a step by one operation never changes what another finds).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> MemberFor { get; } = new();

    /// <summary>A new matter of the county bureau listed in the sample campaign; its member id.</summary>
    public async Task<string> BacklogMemberAsync()
    {
        var p = await PetitionAsync(Unique("积案-"));
        var r = (await _backlogOrganiser!.PostAsync($"/api/v1/backlog-campaigns/{CampaignId}/members", new { petitionIds = new[] { p.Id }, ownerUserId = TargetUserId }))
            .Expect(HttpStatusCode.Created);
        return r.Json["items"]![0]!["memberId"]!.ToString();
    }

    /// <summary>
    /// A township under the county registers a matter flagged urgent: the report (and its notice) go to the county
    /// bureau, where the matrix's inside callers sit.
    /// </summary>
    async Task UrgentReportAsync()
    {
        var town = (await w.Admin.PostAsync("/api/v1/units", new { code = Unique("town-"), name = Unique("某镇人民政府"), level = 4, kind = "government", regionCode = "320583001", parentId = w.County }))
            .Expect(HttpStatusCode.Created)["id"];
        var clerk = Unique("town-clerk-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName = clerk, password = World.Password, displayName = clerk, unitId = town, roles = new[] { "intakeClerk" } }))
            .Expect(HttpStatusCode.Created);
        var api = await Infrastructure.Api.LoginAsync(w.Factory, clerk, World.Password);
        var p = await w.RegisterAsync(api, Petition(Unique("紧急-"), b => b["urgent"] = true));
        var reports = (await w.Clerk.GetAsync("/api/v1/urgent-reports?acknowledged=false&limit=200")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        UrgentReportId = reports.First(r => r!["petitionId"]!.ToString() == p["id"]!.ToString())!["id"]!.ToString();
        var notices = (await w.Clerk.GetAsync("/api/v1/notifications?limit=200")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        NotificationId = notices.First(n => n!["petitionId"]?.ToString() == p["id"]!.ToString())!["id"]!.ToString();
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
        "id" when NeedsOwnership(op) => _ownerships[p!.Id],
        "stepId" => "6f1c2a3e-0000-4000-8000-000000000001",
        "id" when op.Path.StartsWith("/api/v1/supervisions/", StringComparison.Ordinal) => SupervisionId,
        "id" when op.Path.StartsWith("/api/v1/supervision-proposals/", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        "id" when op.Path.StartsWith("/api/v1/notifications/", StringComparison.Ordinal) => NotificationId,
        "id" when op.Path.StartsWith("/api/v1/urgent-reports/", StringComparison.Ordinal) => UrgentReportId,
        "attachmentId" => attachmentId!,
        "number" => p!.Number,
        "sequence" => "1",
        "year" => "2026",
        "key" => ClusterKey,
        "id" when op.Path.StartsWith("/api/v1/backlog-campaigns/", StringComparison.Ordinal) => CampaignId,
        "memberId" => MemberFor.GetValueOrDefault(op.Key) ?? SharedMemberId,
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
        "ExportBacklogLedgerXlsx" or "ExportBacklogLedgerCsv" => $"?campaignId={CampaignId}",
        _ => "",
    };

    /// <summary>Whether the operation works on a petition of its own (path, query or body names one).</summary>
    public static bool NeedsPetition(Operation op) =>
        op.Path.StartsWith("/api/v1/petitions/{id}", StringComparison.Ordinal) || op.Path.Contains("{number}", StringComparison.Ordinal) || NeedsOwnership(op)
        || op.Key is "SearchPetitions" or "FindSimilarToDraft" or "ListPetitions" or "AddBacklogMembers";

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
            "CreateSupervision" or "IssueSupervisionProposal" => new JsonObject { ["form"] = "phone", ["reasons"] = new JsonArray("notFinishedInTime"), ["note"] = "请书面反馈" },
            "AnswerSupervision" => new JsonObject { ["text"] = "已办理", ["measures"] = "限期整改" },
            "CloseSupervision" => new JsonObject { ["note"] = "办结" },
            "ReturnSupervision" => new JsonObject { ["reason"] = "请补充" },
            "DismissSupervisionProposal" => new JsonObject { ["reason"] = "正在办理" },
            "CreateBacklogCampaign" => new JsonObject { ["name"] = Unique("专项-"), ["unitId"] = w.CountyBureau.ToString(), ["startsOn"] = "2026-01-01", ["endsOn"] = "2099-12-31", ["criteria"] = new JsonObject { ["minRepeats"] = 2 } },
            "AddBacklogMembers" => new JsonObject { ["petitionIds"] = new JsonArray(p!.Id), ["ownerUserId"] = TargetUserId },
            "ReportBacklogResolution" => new JsonObject { ["summary"] = "已化解", ["evidence"] = "协议书" },
            "AuditBacklogResolution" => new JsonObject { ["approve"] = false, ["reasons"] = "材料不全" },
            "RecheckBacklogMember" => new JsonObject { ["result"] = "stable", ["note"] = "稳定" },
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
