using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>
/// Hostile input at scale (issue #8): thousands of malformed or hostile requests generated from the server's
/// OpenAPI document, sent as callers whose role reaches each operation (so they get to validation) and
/// anonymously to the portal. Each answers below 500, with a problem (type and title) when refused; afterwards
/// no record is corrupted: the petitions count changed only by accepted registrations, untouched matters are
/// byte for byte the same, each target's timeline holds exactly its accepted steps, stored payloads come back
/// verbatim as data and escaped on the workbench page, and no file lies outside the attachments root.
/// </summary>
public abstract class HostileInputTests(GeneratedFactory factory, ITestOutputHelper output)
{
    /// <summary>Operations of the test host only (mapped when Testing:ControllableClock is on): moving the clock would let the sweep change matters.</summary>
    static readonly string[] NotFlooded = ["GetTestingClock", "SetTestingClock"];

    sealed record Outcome(HostileRequest Request, TargetPetition? Petition, int Status, string? Media, string Body);

    [Fact]
    public async Task Sending_thousands_of_hostile_requests_answers_below_500_with_a_problem_each_and_corrupts_no_record()
    {
        var w = await World.OfAsync(factory);
        // The real clock: the workbench's sign-in checks the password's age by it (SignInStaff.IsExpired).
        await w.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("O"));
        var doc = await OpenApiOperations.LoadAsync(factory);
        var samples = new Samples(w, w.CityHousing, doc);
        await samples.InitializeAsync();
        var handlerName = Samples.Unique("hostile-");
        (await w.Admin.PostAsync("/api/v1/users", new { userName = handlerName, password = World.Password, displayName = "办理人", unitId = w.CountyBureau, roles = new[] { "intakeClerk", "caseworker", "unitLeader" } }))
            .Expect(HttpStatusCode.Created);
        var handler = await Infrastructure.Api.LoginAsync(factory, handlerName, World.Password);
        var security = await UserAsync(w, w.CountyBureau, "securityAdmin");
        var anonymous = factory.CreateClient();
        var generator = new HostileRequests(doc, XinfangApp.DefaultMaxBodyBytes);

        // Matters no request names: afterwards they must read exactly as before.
        var witnesses = new List<(string Id, string Body)>();
        for (var i = 0; i < 3; i++)
        {
            var p = await samples.PetitionAsync(Samples.Unique("见证事项-"));
            witnesses.Add((p.Id, (await handler.GetAsync($"/api/v1/petitions/{p.Id}")).Expect(HttpStatusCode.OK).Body));
        }

        var requests = new List<(HostileRequest Request, TargetPetition? Petition, HttpClient Caller)>();
        foreach (var op in doc.All.Where(o => !NotFlooded.Contains(o.Key)))
        {
            var rule = AccessRules.ByOperation.GetValueOrDefault(op.Key) ?? throw new Xunit.Sdk.XunitException($"{op} has no access rule");
            var caller = rule.Reach == Reach.Public ? anonymous
                : rule.Roles.Intersect(AccessRules.Handlers).Any() || rule.Roles.Contains("analyst") ? handler.Http
                : rule.Roles.Contains("systemAdmin") ? w.Admin.Http
                : security.Http;
            var p = Samples.NeedsPetition(op) ? await samples.PetitionAsync(Samples.Unique("攻击目标-")) : null;
            var attachment = op.Path.Contains("{attachmentId}", StringComparison.Ordinal) ? await samples.AttachmentAsync(p!) : null;
            if (Samples.NeedsOwnership(op)) await samples.OwnershipAsync(p!);
            var ruleId = op.Path.StartsWith("/api/v1/routing-rules/{id}", StringComparison.Ordinal) ? await samples.RoutingRuleAsync() : null;
            var body = op.TakesJson ? samples.JsonBody(op, p, candidate: Guid.Parse(witnesses[0].Id)) : null;
            Func<string, string, byte[], MultipartFormDataContent>? upload = op.IsMultipart
                ? (name, type, bytes) =>
                {
                    var c = new MultipartFormDataContent();
                    var f = new ByteArrayContent(bytes);
                    f.Headers.ContentType = new(type.Split(';')[0]);
                    // Written as sent by a hostile client: no quoting or validation of the file name.
                    f.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"files\"; filename=\"{name}\"");
                    c.Add(f);
                    if (op.Key == "AddAttachmentsOnline") c.Add(new StringContent(p!.QueryCode), "queryCode");
                    return c;
                }
                : null;
            foreach (var r in generator.For(op, n => samples.PathValue(op, n, p, attachment, ruleId), samples.Query(op, p), body, upload))
                requests.Add((r, p, caller));
        }

        var before = await CountsAsync();
        var outcomes = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (x, ct) =>
        {
            using var request = x.Request.Build();
            using var response = await x.Caller.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            outcomes.Add(new(x.Request, x.Petition, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text));
        });

        var failures = new List<string>();
        foreach (var o in outcomes)
        {
            string? wrong = null;
            if (o.Status >= 500) wrong = "server error";
            else if (o.Status >= 400 && !IsProblem(o)) wrong = "refusal without a problem (type and title)";
            if (wrong is not null) failures.Add($"{o.Request}: {wrong} — got {o.Status} {o.Media} {Cut(o.Body)}");
        }

        // No record lost or made up: petitions grew by the accepted registrations only.
        var created = outcomes.Count(o => o.Status == 201 && o.Request.Op.Key is "RegisterPetition" or "SubmitOnline");
        var after = await CountsAsync();
        if (after.Petitions != before.Petitions + created) failures.Add($"petitions: {before.Petitions} before + {created} accepted ≠ {after.Petitions} after");
        foreach (var (id, body) in witnesses)
        {
            var now = (await handler.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Body;
            if (now != body) failures.Add($"untouched matter {id} changed:\n{body}\n{now}");
        }
        // Each matter of the workflow's steps holds exactly its registration and the steps that were accepted.
        foreach (var target in outcomes.Where(o => o.Petition is not null && IsStep(o.Request.Op)).GroupBy(o => o.Petition!.Id))
        {
            var accepted = target.Count(o => o.Status is >= 200 and < 300);
            var events = (await handler.GetAsync($"/api/v1/petitions/{target.Key}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count;
            if (events != 1 + accepted) failures.Add($"matter {target.Key} ({target.First().Request.Op.Key}): {events} events for {accepted} accepted steps");
        }

        // Stored payloads are data: verbatim in JSON, escaped on the workbench page.
        var page = await PageClient.SignInAsync(factory, handlerName);
        var stored = outcomes.Where(o => o.Request.StoredPayload is { } s && HostileRequests.IsScript(s) && o.Status == 201 && o.Request.Op.Key == "RegisterPetition").ToList();
        foreach (var o in stored)
        {
            var id = JsonNode.Parse(o.Body)!["id"]!.ToString();
            var json = (await handler.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
            // The field the payload went into, as the view returns it (request/facts/reasons only make up a missing content).
            var field = o.Request.Label[..o.Request.Label.IndexOf(": payload", StringComparison.Ordinal)];
            var returned = field.Split('.').Aggregate((JsonNode?)json, (n, part) => part.EndsWith("[0]", StringComparison.Ordinal) ? n?[part[..^3]]?[0] : n?[part]);
            if (returned is not null && returned.ToString() != o.Request.StoredPayload)
                failures.Add($"{o.Request}: payload not returned verbatim as data but as {returned}");
            var html = await page.GetAsync($"/staff/petitions/{id}");
            html.Status.ShouldBe(HttpStatusCode.OK);
            if (html.Html.Contains(o.Request.StoredPayload!, StringComparison.Ordinal)) failures.Add($"{o.Request}: payload written unescaped into the page");
            if (!html.Text.Contains(o.Request.StoredPayload!.Trim(), StringComparison.Ordinal) && o.Request.Label.Contains("title", StringComparison.Ordinal))
                failures.Add($"{o.Request}: payload not shown as text on the page");
        }

        // Files only under the attachments root, each one a stored attachment, names without any path.
        var root = Path.GetFullPath(factory.AttachmentRoot);
        foreach (var file in Directory.EnumerateFiles(factory.Sandbox, "*", SearchOption.AllDirectories).Where(f => !Path.GetFullPath(f).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            failures.Add($"file written outside the attachments root: {file}");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count();
        if (files != after.Attachments) failures.Add($"{files} files under the attachments root for {after.Attachments} attachments");
        foreach (var name in after.AttachmentNames.Where(n => n.Contains('/') || n.Contains('\\') || n.StartsWith('.') || n.Any(char.IsControl)))
            failures.Add($"attachment name keeps a path: {name}");

        output.WriteLine($"Hostile requests: {outcomes.Count} sent over {requests.Select(r => r.Request.Op.Key).Distinct().Count()} operations; " +
                         $"{outcomes.Count(o => o.Status is >= 200 and < 300)} accepted, {outcomes.Count(o => o.Status is >= 400 and < 500)} refused with a problem, " +
                         $"{outcomes.Count(o => o.Status >= 500)} server errors; petitions {before.Petitions} → {after.Petitions} ({created} accepted registrations), " +
                         $"records lost: {Math.Max(0, before.Petitions + created - after.Petitions)}; {stored.Count} stored script payloads checked; " +
                         $"{after.Attachments} attachments, {files} files. Statuses: " +
                         string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(60)));
        outcomes.Count.ShouldBeGreaterThanOrEqualTo(1000);
    }

    static bool IsStep(Operation op) =>
        EveryActionNames.Any(a => op.Path == "/api/v1/petitions/{id}/" + a);

    static readonly string[] EveryActionNames =
        ["forward", "assign", "object", "accept", "decline", "extend", "reply", "request-review", "review-decision", "request-re-review", "hearing", "re-review-decision", "close", "withdraw"];

    static bool IsProblem(Outcome o)
    {
        if (o.Media != "application/problem+json") return false;
        try
        {
            var json = JsonNode.Parse(o.Body);
            return !string.IsNullOrWhiteSpace(json?["type"]?.ToString()) && !string.IsNullOrWhiteSpace(json?["title"]?.ToString());
        }
        catch (System.Text.Json.JsonException) { return false; }
    }

    sealed record Counts(int Petitions, int Attachments, List<string> AttachmentNames);

    async Task<Counts> CountsAsync()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        return new(await db.Petitions.CountAsync(), await db.Attachments.CountAsync(), await db.Attachments.Select(a => a.FileName).ToListAsync());
    }

    static string Cut(string s) => s.Length > 300 ? s[..300] : s;

    [Fact]
    public async Task Flooding_the_portal_beyond_its_rate_limit_answers_429_with_a_problem()
    {
        var limited = new RateLimited(factory.Provider);
        await limited.InitializeAsync();
        try
        {
            var http = limited.CreateClient();
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 6 && refused is null; i++)
            {
                var r = await http.GetAsync("/api/v1/public/categories");
                statuses.Add(r.StatusCode);
                if (r.StatusCode == HttpStatusCode.TooManyRequests) refused = r;
            }
            statuses.Take(3).ShouldAllBe(s => s == HttpStatusCode.OK);
            refused.ShouldNotBeNull($"no 429 after {statuses.Count} requests: {string.Join(",", statuses)}");
            refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["type"]!.ToString().ShouldBe("/problems/too-many-requests");
        }
        finally
        {
            await ((IAsyncLifetime)limited).DisposeAsync();
        }
    }

    /// <summary>A host whose portal allows three requests a minute per address.</summary>
    sealed class RateLimited : XinfangFactory
    {
        public RateLimited(Provider provider) : base(provider) => With("Portal:RequestsPerMinute", "3");
    }
}

public sealed class HostileInputTests_Sqlite(GeneratedSqliteFactory f, ITestOutputHelper o) : HostileInputTests(f, o), IClassFixture<GeneratedSqliteFactory>;
public sealed class HostileInputTests_Postgres(GeneratedPostgresFactory f, ITestOutputHelper o) : HostileInputTests(f, o), IClassFixture<GeneratedPostgresFactory>;
