using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Audit;

/// <summary>
/// The audit trail (issue #8, 等保2.0 安全审计): every security-relevant event is one row of one SM3 chain, with
/// its actor and target; the chain stays whole under concurrent writers on two hosts; a rolled-back step
/// leaves no row; the table refuses UPDATE and DELETE; only the audit administrator reads it (三员分立).
/// </summary>
public abstract class AuditTrailTests(XinfangFactory factory)
{
    static string NewName() => "aud-" + Guid.NewGuid().ToString("N")[..10];

    async Task<Infrastructure.Api> AuditorAsync(World w) => await UserAsync(w, w.Root, "auditAdmin");

    static async Task<List<JsonNode>> EntriesAsync(Infrastructure.Api auditor, string query)
    {
        var r = (await auditor.GetAsync("/api/v1/audit?limit=500&" + query)).Expect(HttpStatusCode.OK);
        return r.Json["items"]!.AsArray().Select(x => x!).ToList();
    }

    static List<string> Actions(IEnumerable<JsonNode> entries) => entries.Select(e => e["action"]!.ToString()).ToList();

    async Task<string> NewUserAsync(World w, Guid unit, params string[] roles)
    {
        var name = NewName();
        (await w.Admin.PostAsync("/api/v1/users", new { userName = name, password = World.Password, displayName = name, unitId = unit, roles })).Expect(HttpStatusCode.Created);
        return name;
    }

    async Task<HttpStatusCode> LoginStatusAsync(string userName, string password, XinfangFactory? on = null)
    {
        using var http = (on ?? factory).CreateClient();
        using var r = await http.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { userName, password }));
        return r.StatusCode;
    }

    [Fact]
    public async Task Signing_in_records_success_failure_lockout_and_unknown_names()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var name = await NewUserAsync(w, w.CountyBureau, "intakeClerk");
        (await LoginStatusAsync(name, World.Password)).ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 5; i++) (await LoginStatusAsync(name, "Wrong-Pass-0000")).ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginStatusAsync(name, World.Password)).ShouldBe(HttpStatusCode.Unauthorized); // locked out now
        var unknown = NewName();
        (await LoginStatusAsync(unknown, "Whatever-0000")).ShouldBe(HttpStatusCode.Unauthorized);

        var mine = await EntriesAsync(auditor, $"actor={name}&action=signIn.");
        Actions(mine).ShouldBe([AuditActions.SignInLockedOut, AuditActions.SignInLockedOut, .. Enumerable.Repeat(AuditActions.SignInFailed, 4), AuditActions.SignInSucceeded]);
        var userId = mine[0]["actorUserId"]!.ToString();
        mine.ShouldAllBe(e => e["targetKind"]!.ToString() == "user" && e["targetId"]!.ToString() == userId && e["actorKind"]!.ToString() == "staff");
        mine.ShouldAllBe(e => e["actorUnitId"]!.ToString() == w.CountyBureau.ToString() && e["detail"]!["via"]!.ToString() == "api");
        var stranger = (await EntriesAsync(auditor, $"actor={unknown}")).ShouldHaveSingleItem();
        stranger["action"]!.ToString().ShouldBe(AuditActions.SignInFailed);
        stranger["actorKind"]!.ToString().ShouldBe("anonymous");
        stranger["actorUserId"].ShouldBeNull();
        stranger["detail"]!["reason"]!.ToString().ShouldBe("unknownUser");
        // A name with control characters is recorded without them, and the sign-in still answers 401.
        var hostile = NewName();
        (await LoginStatusAsync(hostile + "\t\u0007", "Whatever-0000")).ShouldBe(HttpStatusCode.Unauthorized);
        (await EntriesAsync(auditor, $"actor={hostile}")).ShouldHaveSingleItem()["actorKind"]!.ToString().ShouldBe("anonymous");
    }

    [Fact]
    public async Task Signing_in_and_out_of_workbench_and_changing_password_are_recorded()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var name = await NewUserAsync(w, w.CountyBureau, "intakeClerk");
        var page = await PageClient.SignInAsync(factory, name);
        (await page.PostAsync("/staff/password", new() { ["current"] = World.Password, ["password"] = "Newer-Pass-2027", ["repeat"] = "Newer-Pass-2027" }, from: "/staff/password"))
            .Expect(HttpStatusCode.OK);
        (await page.PostAsync("/staff/logout", new(), from: "/staff/password")).Status.ShouldBe(HttpStatusCode.Redirect);

        var entries = await EntriesAsync(auditor, $"actor={name}");
        Actions(entries).ShouldBe([AuditActions.SignedOut, AuditActions.PasswordChanged, AuditActions.SignInSucceeded]);
        entries[2]["detail"]!["via"]!.ToString().ShouldBe("workbench");
    }

    [Fact]
    public async Task Registering_and_forwarding_records_each_step_with_actor_and_petition()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var petition = await w.RegisterAsync(body: Petition("审计登记转送"));
        var id = Id(petition);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);

        var entries = await EntriesAsync(auditor, $"target={id}");
        Actions(entries).ShouldBe(["petition.forward", "petition.register"]);
        entries.ShouldAllBe(e => e["actorUserName"]!.ToString() == "clerk" && e["actorUnitId"]!.ToString() == w.CountyBureau.ToString());
        entries.ShouldAllBe(e => e["targetKind"]!.ToString() == "petition" && e["detail"]!["number"]!.ToString() == petition["number"]!.ToString());
        entries[0]["detail"]!["targetUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        // The petition's number finds the same history.
        Actions(await EntriesAsync(auditor, $"target={petition["number"]}")).ShouldBe(["petition.forward", "petition.register"]);
    }

    [Fact]
    public async Task Submitting_through_portal_records_registration_by_anonymous_petitioner()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var (number, _) = await Portal.PortalKit.SubmittedAsync(Portal.PortalKit.Citizen(factory), Portal.PortalKit.Submission("审计网上信访"));

        var entry = (await EntriesAsync(auditor, $"target={number}")).ShouldHaveSingleItem();
        entry["action"]!.ToString().ShouldBe("petition.register");
        entry["actorKind"]!.ToString().ShouldBe("petitioner");
        entry["actorUserId"].ShouldBeNull();
        entry["detail"]!["number"]!.ToString().ShouldBe(number);
    }

    [Fact]
    public async Task Revealing_personal_data_records_the_petition_and_never_the_id_number()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var body = Petition("审计查看明文");
        var idNumber = body["petitioners"]![0]!["idNumber"]!.ToString();
        var phone = body["petitioners"]![0]!["phone"]!.ToString();
        var id = Id(await w.RegisterAsync(body: body));
        var clerk = await PageClient.SignInAsync(factory, "clerk");
        (await clerk.PostAsync($"/staff/petitions/{id}/reveal", new() { ["reason"] = "核实身份" }, from: $"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);

        var entry = (await EntriesAsync(auditor, $"target={id}&action={AuditActions.PersonalDataRevealed}")).ShouldHaveSingleItem();
        entry["actorUserName"]!.ToString().ShouldBe("clerk");
        entry.ToJsonString().ShouldNotContain(idNumber);
        entry.ToJsonString().ShouldNotContain(phone);
    }

    [Fact]
    public async Task Administering_accounts_units_rules_and_categories_is_recorded_with_the_administrator()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var securityName = await NewUserAsync(w, w.Root, "securityAdmin");
        var security = await Infrastructure.Api.LoginAsync(factory, securityName, World.Password);
        var name = await NewUserAsync(w, w.CountyBureau, "intakeClerk");
        var userId = (await EntriesAsync(auditor, $"action={AuditActions.UserCreated}")).First(e => e["detail"]!["userName"]!.ToString() == name)["targetId"]!.ToString();
        (await security.PostAsync($"/api/v1/users/{userId}/unlock", null)).Expect(HttpStatusCode.OK);
        (await security.PostAsync($"/api/v1/users/{userId}/reset-password", new { password = "Reset-Pass-2027" })).Expect(HttpStatusCode.OK);
        var rule = (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320583", categoryCode = "0102", unitId = w.CountyLabour })).Expect(HttpStatusCode.Created);
        (await w.Admin.SendAsync(HttpMethod.Delete, $"/api/v1/routing-rules/{rule["id"]}", null)).Expect(HttpStatusCode.NoContent);
        (await w.Admin.PostAsync("/api/v1/categories", new { parentCode = "01", name = "审计测试" + NewName() })).Expect(HttpStatusCode.Created);

        var onUser = await EntriesAsync(auditor, $"target={userId}");
        Actions(onUser).ShouldBe([AuditActions.PasswordReset, AuditActions.UserUnlocked, AuditActions.UserCreated]);
        onUser[0]["actorUserName"]!.ToString().ShouldBe(securityName);
        onUser[2]["actorUserName"]!.ToString().ShouldBe("admin");
        onUser[2]["detail"]!["roles"]!.AsArray().Select(r => r!.ToString()).ShouldBe(["intakeClerk"]);
        Actions(await EntriesAsync(auditor, $"target={rule["id"]}")).ShouldBe([AuditActions.RoutingRuleDeleted, AuditActions.RoutingRuleCreated]);
        (await EntriesAsync(auditor, $"action={AuditActions.CategoryAdded}&actor=admin")).ShouldNotBeEmpty();
        (await EntriesAsync(auditor, $"action={AuditActions.UnitCreated}&target={w.CountyLabour}")).ShouldHaveSingleItem()["actorUserName"]!.ToString().ShouldBe("admin");
    }

    [Fact]
    public async Task Reading_audit_log_as_anyone_but_audit_administrator_is_refused()
    {
        var w = await World.OfAsync(factory);
        var security = await UserAsync(w, w.Root, "securityAdmin");
        foreach (var (who, api) in new[] { ("system admin", w.Admin), ("security admin", security), ("clerk", w.Clerk), ("leader", w.Leader) })
            foreach (var path in new[] { "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/export.csv" })
            {
                var r = await api.GetAsync(path);
                r.Status.ShouldBe(HttpStatusCode.Forbidden, $"{who} {path}: {r}");
                r.ProblemType.ShouldBe("/problems/forbidden");
            }
        using var anonymous = factory.CreateClient();
        (await anonymous.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var adminPage = await PageClient.SignInAsync(factory, "admin", XinfangFactory.AdminPassword);
        (await adminPage.GetAsync("/staff/audit")).Expect(HttpStatusCode.Forbidden);
        (await adminPage.GetAsync("/staff/audit/export.csv")).Expect(HttpStatusCode.Forbidden);
        (await adminPage.GetAsync("/staff/admin")).Expect(HttpStatusCode.OK).Doc.QuerySelector("a[href='/staff/audit']").ShouldBeNull();
    }

    [Fact]
    public async Task Opening_audit_page_as_audit_administrator_lists_entries_links_petitions_and_verifies()
    {
        var w = await World.OfAsync(factory);
        var auditorName = await NewUserAsync(w, w.Root, "auditAdmin");
        var petition = await w.RegisterAsync(body: Petition("审计页面"));
        var page = await PageClient.SignInAsync(factory, auditorName);

        var list = (await page.GetAsync($"/staff/audit?target={petition["number"]}")).Expect(HttpStatusCode.OK);
        list.Doc.QuerySelector("nav a[href='/staff/audit']").ShouldNotBeNull();
        var rows = list.Doc.QuerySelectorAll("#audit-entries tbody tr");
        rows.Length.ShouldBe(1);
        rows[0].GetAttribute("data-action").ShouldBe("petition.register");
        rows[0].QuerySelector($"a[href='/staff/petitions/{Id(petition)}']")!.TextContent.ShouldBe(petition["number"]!.ToString());
        rows[0].TextContent.ShouldContain("登记");

        var verified = (await page.GetAsync("/staff/audit?verify=1")).Expect(HttpStatusCode.OK);
        verified.Doc.GetElementById("verify-result")!.TextContent.ShouldContain("完整");

        var bad = (await page.GetAsync("/staff/audit?from=yesterday")).Expect(HttpStatusCode.BadRequest);
        bad.FieldError("from").ShouldNotBeNullOrEmpty();

        using var csv = await page.RawGetAsync($"/staff/audit/export.csv?target={petition["number"]}");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await csv.Content.ReadAsStringAsync();
        text.ShouldContain("petition.register");
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2); // header and the one row
        var auditor = await Infrastructure.Api.LoginAsync(factory, auditorName, World.Password);
        (await EntriesAsync(auditor, $"actor={auditorName}&action={AuditActions.AuditExported}")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Listing_by_cursor_walks_each_entry_once_newest_first()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        var name = NewName();
        for (var i = 0; i < 5; i++) await LoginStatusAsync(name, "Wrong-Pass-0000");
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var r = (await auditor.GetAsync($"/api/v1/audit?actor={name}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).Expect(HttpStatusCode.OK);
            seen.AddRange(r.Json["items"]!.AsArray().Select(e => (long)e!["sequence"]!));
            cursor = r.Json["nextCursor"]?.ToString();
        } while (cursor is not null);
        seen.Count.ShouldBe(5);
        seen.ShouldBe(seen.OrderByDescending(s => s).ToList());
        (await auditor.GetAsync("/api/v1/audit?cursor=%%%")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Concurrent_steps_and_sign_ins_on_two_hosts_form_one_intact_chain()
    {
        var w = await World.OfAsync(factory);
        var auditor = await AuditorAsync(w);
        await using var second = new SecondHost(factory.Provider, factory.ConnectionString);
        await second.InitializeAsync();
        var clerkThere = await Infrastructure.Api.LoginAsync(second, "clerk", World.Password);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(Id(await w.RegisterAsync(body: Petition($"审计并发{i}"))));
        var before = await MaxSequenceAsync();

        var work = new List<Task>();
        for (var i = 0; i < ids.Count; i++)
        {
            var api = i % 2 == 0 ? w.Clerk : clerkThere;
            var id = ids[i];
            work.Add(Task.Run(async () => (await api.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "并发转送" })).Expect(HttpStatusCode.OK)));
            var host = i % 2 == 0 ? (XinfangFactory)factory : second;
            work.Add(Task.Run(async () => (await LoginStatusAsync(NewName(), "Wrong-Pass-0000", host)).ShouldBe(HttpStatusCode.Unauthorized)));
            work.Add(Task.Run(async () => (await LoginStatusAsync("leader", World.Password, host)).ShouldBe(HttpStatusCode.OK)));
        }
        await Task.WhenAll(work);

        var verify = (await auditor.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK);
        verify.Json["intact"]!.GetValue<bool>().ShouldBeTrue(verify.ToString());
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var added = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > before).OrderBy(e => e.Sequence).ToListAsync();
        added.Count.ShouldBeGreaterThanOrEqualTo(18);
        added.Select(e => e.Sequence).ShouldBe(Enumerable.Range(0, added.Count).Select(i => before + 1 + i));
        added.Count(e => e.Action == "petition.forward" && ids.Contains(e.TargetId!)).ShouldBe(6);
        for (var i = 1; i < added.Count; i++) added[i].PreviousHash.ShouldBe(added[i - 1].Hash);
        verify.Json["lastSequence"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(added[^1].Sequence);
    }

    [Fact]
    public async Task Conflicting_workflow_step_rolled_back_leaves_no_audit_row()
    {
        var w = await World.OfAsync(factory);
        var id = Guid.Parse(Id(await w.RegisterAsync(body: Petition("审计回滚"))));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var workflow = scope.ServiceProvider.GetRequiredService<PetitionWorkflow>();
        var stale = await db.Petitions.Include(p => p.Petitioners).FirstAsync(p => p.Id == id);
        // Someone else acts first: our copy is now stale, and its save must fail as a whole.
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "先到" })).Expect(HttpStatusCode.OK);
        var clerk = await db.Users.AsNoTracking().FirstAsync(u => u.UserName == "clerk");
        var labour = await db.Units.AsNoTracking().FirstAsync(u => u.Id == w.CountyLabour);
        var context = workflow.Context() with { TargetUnitExists = true, TargetPath = Jurisdiction.PathOf(labour).ToList() };
        var outcome = stale.Apply(new Forward(w.CountyLabour, "后到"), Actor.Staff(clerk.Id, w.CountyBureau, Role.IntakeClerk), context);
        outcome.Error.ShouldBeNull();
        (await workflow.SaveStepAsync(stale, outcome.Event!, default)).ShouldBe(PetitionWorkflow.StepSaved.Conflict);

        await using var check = factory.Services.CreateAsyncScope();
        var fresh = check.ServiceProvider.GetRequiredService<XinfangDb>();
        var rows = await fresh.AuditEntries.AsNoTracking().Where(e => e.TargetId == id.ToString()).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        rows.ShouldBe(["petition.register", "petition.forward"]);
        (await fresh.AuditEntries.AsNoTracking().CountAsync(e => e.TargetId == id.ToString() && e.Detail!.Contains(w.CountyLabour.ToString()))).ShouldBe(0);
        (await VerifyAuditTrail.RunAsync(fresh, default)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task Updating_or_deleting_audit_rows_with_raw_sql_is_refused()
    {
        var w = await World.OfAsync(factory);
        await w.RegisterAsync(body: Petition("审计只增"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var count = await db.AuditEntries.CountAsync();
        count.ShouldBeGreaterThan(0);
        (await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET action = 'tampered'"))).Message.ShouldContain("append-only");
        (await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries"))).Message.ShouldContain("append-only");
        // A checkpoint does not open the door to recent rows: the 180-day floor stands in the database.
        (await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync(
            "DELETE FROM audit_entries WHERE sequence = (SELECT MAX(sequence) FROM audit_entries)"))).Message.ShouldContain("append-only");
        (await db.AuditEntries.CountAsync()).ShouldBe(count);
        (await db.AuditEntries.CountAsync(e => e.Action == "tampered")).ShouldBe(0);
    }

    async Task<long> MaxSequenceAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await AuditTrail.HeadAsync(scope.ServiceProvider.GetRequiredService<XinfangDb>(), default)).Sequence;
    }
}

public sealed class AuditTrailTests_Sqlite(SqliteFactory f) : AuditTrailTests(f), IClassFixture<SqliteFactory>;
public sealed class AuditTrailTests_Postgres(PostgresFactory f) : AuditTrailTests(f), IClassFixture<PostgresFactory>;
