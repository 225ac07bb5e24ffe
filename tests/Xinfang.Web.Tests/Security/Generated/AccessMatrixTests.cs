using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security.Generated;

/// <summary>
/// Access control proven (issue #8): every operation of the server's own OpenAPI document, called by every kind
/// of caller — anonymous; each role in the unit that holds the matter; each role in a sibling county's bureau —
/// with a well-formed request filled from real objects. Nothing answers 2xx outside role or jurisdiction, a
/// refusal is 401/403/404 as <see cref="AccessRules"/> classifies the operation, never a 5xx, and no refusal
/// carries the matter's number or title. The workbench's GET pages are walked the same way.
/// </summary>
public abstract class AccessMatrixTests(GeneratedFactory factory, ITestOutputHelper output)
{
    /// <summary>A kind of caller: anonymous (no role), or a role inside or outside the matters' jurisdiction.</summary>
    sealed record Caller(string Name, string? Role, bool Inside, string? UserName, HttpClient Http);

    /// <summary>Inside: the county bureau, where the matters are registered. Outside: the sibling county's bureau.</summary>
    async Task<List<Caller>> CallersAsync(World w)
    {
        var callers = new List<Caller> { new("anonymous", null, false, null, factory.CreateClient()) };
        foreach (var (inside, unit) in new[] { (true, w.CountyBureau), (false, w.OtherCountyBureau) })
            foreach (var role in AccessRules.AllRoles)
            {
                var userName = Samples.Unique(inside ? "in-" : "out-");
                (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = unit, roles = new[] { role } }))
                    .Expect(HttpStatusCode.Created);
                var api = await Infrastructure.Api.LoginAsync(factory, userName, World.Password);
                callers.Add(new($"{role}@{(inside ? "inside" : "outside")}", role, inside, userName, api.Http));
            }
        return callers;
    }

    [Fact]
    public async Task Every_operation_of_the_openapi_document_has_an_access_rule_and_every_rule_an_operation()
    {
        var doc = await OpenApiOperations.LoadAsync(factory);

        var unclassified = doc.All.Where(o => !AccessRules.ByOperation.ContainsKey(o.Key)).Select(o => o.ToString()).ToList();
        unclassified.ShouldBeEmpty("Operations without an access rule: add each to AccessRules.ByOperation (Security/Generated/AccessRules.cs)");
        var stale = AccessRules.ByOperation.Keys.Except(doc.All.Select(o => o.Key)).ToList();
        stale.ShouldBeEmpty("Access rules for operations the OpenAPI document no longer has");
        doc.All.Count.ShouldBeGreaterThan(50);
    }

    sealed record Prepared(Operation Op, AccessRule Rule, TargetPetition? Petition, string? AttachmentId, string? RuleId);

    [Fact]
    public async Task Calling_every_operation_as_every_caller_answers_nothing_outside_role_or_jurisdiction()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        var doc = await OpenApiOperations.LoadAsync(factory);
        var samples = new Samples(w, w.CityHousing, doc);
        await samples.InitializeAsync();
        var callers = await CallersAsync(w);

        // A matter of its own for every operation that works on one, so that one operation's steps never change
        // what another sees.
        var prepared = new List<Prepared>();
        foreach (var op in doc.All.Where(o => AccessRules.ByOperation.ContainsKey(o.Key)))
        {
            var p = Samples.NeedsPetition(op) ? await samples.PetitionAsync(Samples.Unique("矩阵事项-")) : null;
            var attachment = op.Path.Contains("{attachmentId}", StringComparison.Ordinal) ? await samples.AttachmentAsync(p!) : null;
            if (Samples.NeedsOwnership(op)) await samples.OwnershipAsync(p!);
            var rule = op.Path.StartsWith("/api/v1/routing-rules/{id}", StringComparison.Ordinal) ? await samples.RoutingRuleAsync() : null;
            if (op.Path.Contains("{memberId}", StringComparison.Ordinal)) samples.MemberFor[op.Key] = await samples.BacklogMemberAsync();
            prepared.Add(new(op, AccessRules.ByOperation[op.Key], p, attachment, rule));
        }
        // The matters share their text: the county bureau sees them as one cluster (类案).
        samples.ClusterKey = (await w.Clerk.GetAsync("/api/v1/clusters")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(c => c!["key"]!.ToString()).FirstOrDefault() ?? "none";
        // What no answer outside role or jurisdiction may carry: the numbers and titles of the matters, the target account.
        var markers = prepared.Where(x => x.Petition is not null).SelectMany(x => new[] { x.Petition!.Number, x.Petition.Title })
            .Append(samples.TargetUserName).ToList();

        var failures = new ConcurrentBag<string>();
        var tried = 0;
        await Parallel.ForEachAsync(prepared, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (t, ct) =>
        {
            var reached = false;
            // Refusals first, on the untouched matter; the callers who may act come last.
            foreach (var caller in callers.OrderBy(c => Allowed(t.Rule, c) && (c.Inside || t.Rule.Reach is Reach.Organisation or Reach.Public) ? 1 : 0))
            {
                var url = t.Op.Fill(n => samples.PathValue(t.Op, n, t.Petition, t.AttachmentId, t.RuleId)) + samples.Query(t.Op, t.Petition);
                using var request = new HttpRequestMessage(t.Op.HttpMethod, url) { Content = samples.Body(t.Op, t.Petition, candidate: Guid.Parse(prepared.First(x => x.Petition is not null && x.Petition != t.Petition).Petition!.Id)) };
                using var response = await caller.Http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                Interlocked.Increment(ref tried);
                var status = (int)response.StatusCode;
                if (Judge(t.Rule, caller, status, response.Content.Headers.ContentType?.MediaType, body, markers) is { } wrong)
                    failures.Add($"{t.Op} as {caller.Name}: {wrong} — got {status} {Cut(body)}");
                if (Allowed(t.Rule, caller) && (caller.Inside || t.Rule.Reach is Reach.Organisation or Reach.Public) && status is not (401 or 403 or 404))
                    reached = true;
            }
            // A matrix whose requests never get past the checks would prove nothing about them.
            if (!reached && t.Rule.Unreachable is null)
                failures.Add($"{t.Op}: no caller of an allowed role got past the checks (fix the sample in Samples.cs, or mark the rule Unreachable with the reason)");
        });

        output.WriteLine($"Access matrix: {prepared.Count} operations × {callers.Count} callers = {tried} requests, {failures.Count} failures.");
        failures.ShouldBeEmpty(string.Join("\n", failures.OrderBy(f => f)));
        tried.ShouldBe(prepared.Count * callers.Count);
    }

    static bool Allowed(AccessRule rule, Caller c) => rule.Reach == Reach.Public || (c.Role is not null && rule.Roles.Contains(c.Role));

    /// <summary>What is wrong with an answer, or null when it is as the rule says.</summary>
    static string? Judge(AccessRule rule, Caller c, int status, string? media, string body, IReadOnlyList<string> markers)
    {
        if (status >= 500) return "server error";
        if (rule.Reach == Reach.Public) return null;
        var refusalLeaks = markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal));
        if (c.Role is null)
            return status != 401 ? "anonymous caller not refused with 401" : media != "application/problem+json" ? "401 without a problem" : null;
        if (!rule.Roles.Contains(c.Role))
        {
            var expected = AccessRules.Readers.Contains(c.Role) ? 403 : rule.WrongRole;
            // Outside the jurisdiction a matter may be unknown before the role is looked at.
            var ok = status == expected || (!c.Inside && rule.Reach == Reach.Object && status == 404);
            if (!ok) return $"wrong role not refused with {expected}";
            if (media != "application/problem+json") return "refusal without a problem";
            return refusalLeaks is not null ? $"refusal carries \"{refusalLeaks}\"" : null;
        }
        if (!c.Inside && rule.Reach == Reach.Object)
        {
            if (!rule.OutsideStatuses.Contains(status)) return $"outside the jurisdiction not refused with {string.Join("/", rule.OutsideStatuses)}";
            if (media != "application/problem+json") return "refusal without a problem";
            return refusalLeaks is not null ? $"refusal carries \"{refusalLeaks}\"" : null;
        }
        if (!c.Inside && rule.Reach == Reach.Listing)
        {
            if (status is not (>= 200 and < 300 or 404)) return "outside the jurisdiction: a list answers 2xx (cut to the caller) or 404";
            return refusalLeaks is not null ? $"list outside the jurisdiction shows \"{refusalLeaks}\"" : null;
        }
        return status == 401 ? "signed-in caller answered 401" : null;
    }

    static string Cut(string s) => s.Length > 300 ? s[..300] : s;

    /// <summary>The workbench's GET pages: who may open them; {id} is a matter of the county bureau.</summary>
    static readonly (string Route, string[] Roles)[] StaffPages =
    [
        ("/staff/", AccessRules.Readers),
        ("/staff/petitions/{id}", AccessRules.Readers),
        ("/staff/petitions/{id}/attachments/{attachmentId}", AccessRules.Readers),
        ("/staff/register", AccessRules.Handlers),
        ("/staff/review-request", AccessRules.Handlers),
        ("/staff/search?number={number}", AccessRules.Readers),
        ("/staff/clusters", AccessRules.Readers),
        ("/staff/clusters/{key}", AccessRules.Readers),
        ("/staff/supervision", AccessRules.Readers),
        ("/staff/petitions/{id}/supervise", ["supervisor", "unitLeader"]),
        ("/staff/follow-ups", AccessRules.Readers),
        ("/staff/overdue", AccessRules.Readers),
        ("/staff/notifications", AccessRules.Readers),
        ("/staff/urgent", AccessRules.Readers),
        ("/staff/dashboard", AccessRules.Readers),
        ("/staff/dashboard/drill?measure=received", AccessRules.Readers),
        ("/staff/admin", ["systemAdmin", "securityAdmin", "auditAdmin"]),
        ("/staff/admin/units", ["systemAdmin"]),
        ("/staff/admin/users", ["systemAdmin", "securityAdmin"]),
        ("/staff/admin/routing", ["systemAdmin"]),
        ("/staff/admin/calendar", ["systemAdmin"]),
        ("/staff/admin/categories", ["systemAdmin"]),
        ("/staff/audit", ["auditAdmin"]),
        ("/staff/ownership", AccessRules.Readers),
        ("/staff/ownership/{ownershipId}", AccessRules.Readers),
        ("/staff/ownership/petition/{id}", AccessRules.Readers),
        ("/staff/backlog", AccessRules.BacklogReaders),
        ("/staff/backlog/{campaignId}", AccessRules.BacklogReaders),
        ("/staff/ledgers/petitions.xlsx", AccessRules.Readers),
        ("/staff/ledgers/petitions.csv", AccessRules.Readers),
        ("/staff/ledgers/supervisions.xlsx", AccessRules.Readers),
        ("/staff/ledgers/ownerships.csv", AccessRules.Readers),
        ("/staff/ledgers/backlog.xlsx?campaignId={campaignId}", AccessRules.BacklogReaders),
        ("/staff/petitions/{id}/documents/written-opinion", AccessRules.Handlers),
        ("/staff/petitions/{id}/documents/written-opinion.docx", AccessRules.Handlers),
        ("/staff/admin/templates", ["systemAdmin"]),
        ("/staff/reports/annual", AccessRules.Readers),
    ];

    [Fact]
    public async Task Opening_staff_pages_as_wrong_role_or_outside_the_jurisdiction_shows_neither_page_nor_matter()
    {
        var w = await World.OfAsync(factory);
        // The workbench's sign-in checks the password's age by the real clock (SignInStaff.IsExpired), and new
        // accounts are stamped by the server's clock: keep the two together.
        await w.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("O"));
        var doc = await OpenApiOperations.LoadAsync(factory);
        var samples = new Samples(w, w.CityHousing, doc);
        await samples.InitializeAsync();
        var p = await samples.PetitionAsync(Samples.Unique("页面矩阵-"));
        for (var i = 0; i < 4; i++) await samples.PetitionAsync(Samples.Unique("页面矩阵-")); // more of the same text: a cluster (类案)
        var attachment = await samples.AttachmentAsync(p);
        var ownership = await samples.OwnershipAsync(p);
        var key = (await w.Clerk.GetAsync("/api/v1/clusters")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(c => c!["key"]!.ToString()).First();
        var callers = await CallersAsync(w);

        var failures = new ConcurrentBag<string>();
        var tried = 0;
        await Parallel.ForEachAsync(callers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (caller, ct) =>
        {
            var browser = caller.UserName is null ? new PageClient(factory) : await PageClient.SignInAsync(factory, caller.UserName);
            foreach (var (route, roles) in StaffPages)
            {
                var url = route.Replace("{id}", p.Id).Replace("{attachmentId}", attachment).Replace("{ownershipId}", ownership).Replace("{number}", p.Number).Replace("{key}", Uri.EscapeDataString(key)).Replace("{campaignId}", samples.CampaignId);
                var page = await browser.GetAsync(url);
                Interlocked.Increment(ref tried);
                var status = (int)page.Status;
                // The text shown, not the markup: a search form echoes the number the caller typed into its own input.
                var shows = new[] { p.Number, p.Title }.FirstOrDefault(m => page.Text.Contains(m, StringComparison.Ordinal));
                var scoped = route.Contains('{');
                string? wrong = null;
                if (status >= 500) wrong = "server error";
                else if (caller.Role is null) wrong = status == 302 && page.Location?.Contains("/staff/login", StringComparison.Ordinal) == true ? null : "anonymous not sent to sign in";
                else if (!roles.Contains(caller.Role))
                    // Administrators asking for the matters' home are sent to their own (系统管理).
                    wrong = status is 403 or 404 || (route == "/staff/" && status == 302 && page.Location == "/staff/admin") ? null : "wrong role not refused";
                else if (!caller.Inside && scoped && route.Contains("{id}", StringComparison.Ordinal))
                    wrong = status == 404 ? null : "outside the jurisdiction not 404";
                // A notice exists once its step was taken; the matter here is just registered, so its written opinion is 409.
                else if (caller.Inside && status != 200 && !(status == 409 && route.Contains("/documents/", StringComparison.Ordinal))) wrong = "allowed caller could not open the page";
                // The audit log is the deployment's, read whole by its audit administrator (三员分立), wherever their unit sits.
                var organisationWide = route == "/staff/audit";
                var allowedInside = caller.Role is not null && roles.Contains(caller.Role) && (caller.Inside || organisationWide);
                if (wrong is null && !allowedInside && shows is not null) wrong = $"page shows \"{shows}\"";
                if (wrong is not null) failures.Add($"GET {route} as {caller.Name}: {wrong} — got {status} {page.Location}");
            }
        });

        output.WriteLine($"Staff pages: {StaffPages.Length} routes × {callers.Count} callers = {tried} requests, {failures.Count} failures.");
        failures.ShouldBeEmpty(string.Join("\n", failures.OrderBy(f => f)));
    }
}

public sealed class AccessMatrixTests_Sqlite(GeneratedSqliteFactory f, ITestOutputHelper o) : AccessMatrixTests(f, o), IClassFixture<GeneratedSqliteFactory>;
public sealed class AccessMatrixTests_Postgres(GeneratedPostgresFactory f, ITestOutputHelper o) : AccessMatrixTests(f, o), IClassFixture<GeneratedPostgresFactory>;
