using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Supervision;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Supervision;

/// <summary>The supervisors of the world: county bureau, city bureau, the other county's bureau, and an analyst-only reader.</summary>
public sealed class Supervisors
{
    static readonly ConditionalWeakTable<XinfangFactory, Task<Supervisors>> Cache = new();
    public required World W { get; init; }
    public Infrastructure.Api County = null!, City = null!, Other = null!, OtherWorker = null!;

    public static Task<Supervisors> OfAsync(XinfangFactory factory) => Cache.GetValue(factory, async f =>
    {
        var w = await World.OfAsync(f);
        return new Supervisors
        {
            W = w,
            County = await UserAsync(w, "sv-county", w.CountyBureau, "supervisor"),
            City = await UserAsync(w, "sv-city", w.CityBureau, "supervisor"),
            Other = await UserAsync(w, "sv-other", w.OtherCountyBureau, "supervisor"),
            OtherWorker = await UserAsync(w, "sv-other-worker", w.OtherCounty, "caseworker"),
        };
    });

    static async Task<Infrastructure.Api> UserAsync(World w, string userName, Guid unit, params string[] roles)
    {
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = unit, roles })).Expect(HttpStatusCode.Created);
        return await Infrastructure.Api.LoginAsync(w.Factory, userName, World.Password);
    }
}

/// <summary>
/// 督办 over HTTP (Art. 40): a proposal raised when a matter goes overdue, a 督办 issued from it, the addressee's
/// written feedback, the issuer's close or return; escalation when the feedback is late; the ledger; who may do what.
/// </summary>
public abstract class SupervisionTests(XinfangFactory factory)
{
    IServiceScopeFactory Scopes => factory.Services.GetRequiredService<IServiceScopeFactory>();

    /// <summary>Registers at the county bureau and forwards to the county housing bureau on <paramref name="day"/>.</summary>
    async Task<(string Id, string Number)> ForwardedAsync(Supervisors s, string day, string title = "阳光花园小区逾期交房")
    {
        await s.W.SetClockAsync(day + "T10:00:00+08:00");
        var p = await s.W.RegisterAsync(body: World.Petition(title: title));
        var id = p["id"]!.ToString();
        (await s.W.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = s.W.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        return (id, p["number"]!.ToString());
    }

    async Task SweepAsync()
    {
        await DeadlineSweep.SweepAsync(Scopes, CancellationToken.None);
        await SupervisionSweep.SweepAsync(Scopes, CancellationToken.None);
    }

    static async Task<JsonArray> ProposalsAsync(Infrastructure.Api api) => (await api.GetAsync("/api/v1/supervision-proposals")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    static async Task<JsonArray> EventsAsync(Infrastructure.Api api, string id) => (await api.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    static object Body(string form = "letter", string[]? reasons = null, Guid? addresseeUnitId = null, string? note = "请于期限内书面反馈", string? dueOn = null) =>
        new { form, reasons = reasons ?? ["notFinishedInTime"], addresseeUnitId, note, dueOn };

    async Task<T> StoreAsync<T>(Func<XinfangDb, Task<T>> read)
    {
        using var scope = Scopes.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<XinfangDb>());
    }

    [Fact]
    public async Task Overdue_matter_raises_one_proposal_which_is_issued_answered_and_closed()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, number) = await ForwardedAsync(s, "2025-03-03");
        // Notify clock of the housing bureau: 15 days, due 18 March; on 1 April it is red.
        await s.W.SetClockAsync("2025-04-01T09:00:00+08:00");
        await SweepAsync();
        // Two hosts sweeping at once raise it once (unique per matter, clock and due date).
        await Task.WhenAll(SupervisionSweep.SweepAsync(Scopes, CancellationToken.None), SupervisionSweep.SweepAsync(Scopes, CancellationToken.None));
        (await StoreAsync(db => db.Set<SupervisionProposal>().CountAsync(x => x.PetitionId == Guid.Parse(id)))).ShouldBe(1);

        var proposal = (await ProposalsAsync(s.County)).SingleOrDefault(x => x!["petitionId"]!.ToString() == id)
            ?? throw new Xunit.Sdk.XunitException("the county bureau's supervisor does not see the proposal");
        proposal["number"]!.ToString().ShouldBe(number);
        proposal["clockName"]!.ToString().ShouldBe("notify");
        proposal["holdingUnitId"]!.ToString().ShouldBe(s.W.CountyHousing.ToString());
        ((int)proposal["daysOverdue"]!).ShouldBeGreaterThan(0);
        (await ProposalsAsync(s.Other)).ShouldNotContain(x => x!["petitionId"]!.ToString() == id);
        (await StoreAsync(db => db.Notifications.AnyAsync(n => n.PetitionId == Guid.Parse(id) && n.RecipientUnitId == s.W.CountyBureau && n.Kind == "overdue"))).ShouldBeTrue();

        var issued = (await s.County.PostAsync($"/api/v1/supervision-proposals/{proposal["id"]}/issue", Body("letter", ["notFinishedInTime", "shirkingOrDelay"], dueOn: "2025-04-20")))
            .Expect(HttpStatusCode.Created).Json;
        var sid = issued["row"]!["id"]!.ToString();
        issued["row"]!["status"]!.ToString().ShouldBe("open");
        issued["row"]!["addresseeUnitId"]!.ToString().ShouldBe(s.W.CountyHousing.ToString());
        issued["row"]!["dueOn"]!.ToString().ShouldBe("2025-04-20");
        issued["row"]!["reasons"]!.AsArray().Select(r => r!.ToString()).ShouldBe(["notFinishedInTime", "shirkingOrDelay"]);
        issued["proposalId"]!.ToString().ShouldBe(proposal["id"]!.ToString());
        (await ProposalsAsync(s.County)).ShouldNotContain(x => x!["petitionId"]!.ToString() == id);
        (await s.County.PostAsync($"/api/v1/supervision-proposals/{proposal["id"]}/issue", Body())).Status.ShouldBe(HttpStatusCode.Conflict);
        var supervise = (await EventsAsync(s.County, id)).Last()!;
        supervise["action"]!.ToString().ShouldBe("supervise");
        supervise["targetUnitId"]!.ToString().ShouldBe(s.W.CountyHousing.ToString());
        supervise["data"]!["supervisionId"]!.ToString().ShouldBe(sid);
        (await StoreAsync(db => db.Notifications.AnyAsync(n => n.RecipientUnitId == s.W.CountyHousing && n.Kind == "supervision" && n.Link == "/staff/supervision/" + sid))).ShouldBeTrue();
        (await StoreAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "petition.supervise" && a.TargetId == id))).ShouldBeTrue();

        // The sweep does not raise it again while the 督办 is open.
        await SweepAsync();
        (await StoreAsync(db => db.Set<SupervisionProposal>().CountAsync(x => x.PetitionId == Guid.Parse(id)))).ShouldBe(1);

        // The addressee's ledger shows it; its caseworker answers in writing.
        var addressed = (await s.W.Worker.GetAsync("/api/v1/supervisions?side=addressed&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var row = addressed.Single(x => x!["id"]!.ToString() == sid)!;
        row["number"]!.ToString().ShouldBe(number);
        row["formName"]!.ToString().ShouldBe("督办函");
        var detail = (await s.W.Worker.GetAsync($"/api/v1/supervisions/{sid}")).Expect(HttpStatusCode.OK).Json;
        ((bool)detail["mayAnswer"]!).ShouldBeTrue();
        ((bool)detail["mayDecide"]!).ShouldBeFalse();
        await s.W.SetClockAsync("2025-04-10T09:00:00+08:00");
        var answered = (await s.W.Worker.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "已约谈开发商，限期复工", measures = "每周报告进度" }))
            .Expect(HttpStatusCode.OK).Json;
        answered["row"]!["status"]!.ToString().ShouldBe("answered");
        answered["row"]!["feedbackOn"]!.ToString().ShouldBe("2025-04-10");
        answered["feedbackText"]!.ToString().ShouldBe("已约谈开发商，限期复工");
        ((bool)answered["row"]!["late"]!).ShouldBeFalse();
        (await EventsAsync(s.County, id)).Last()!["action"]!.ToString().ShouldBe("supervision-feedback");
        (await StoreAsync(db => db.Notifications.AnyAsync(n => n.RecipientUnitId == s.W.CountyBureau && n.Kind == "supervision" && n.PetitionId == Guid.Parse(id)))).ShouldBeTrue();

        // The issuer closes it.
        var closed = (await s.County.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "反馈属实，予以办结" })).Expect(HttpStatusCode.OK).Json;
        closed["row"]!["status"]!.ToString().ShouldBe("closed");
        closed["closeNote"]!.ToString().ShouldBe("反馈属实，予以办结");
        (await s.County.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "再次" })).Status.ShouldBe(HttpStatusCode.Conflict);
        var ledger = (await s.County.GetAsync("/api/v1/supervisions?status=closed&side=issued&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        ledger.ShouldContain(x => x!["id"]!.ToString() == sid);
        ledger.ShouldAllBe(x => x!["status"]!.ToString() == "closed");
        (await StoreAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "supervision.closed" && a.TargetId == sid))).ShouldBeTrue();
    }

    [Fact]
    public async Task Dismissing_a_proposal_with_reason_removes_it_and_the_sweep_does_not_raise_it_again()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-06-02");
        await s.W.SetClockAsync("2025-06-25T09:00:00+08:00");
        await SweepAsync();
        var proposal = (await ProposalsAsync(s.County)).Single(x => x!["petitionId"]!.ToString() == id)!;
        var refused = await s.County.PostAsync($"/api/v1/supervision-proposals/{proposal["id"]}/dismiss", new { reason = " " });
        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.Json["errors"]!["reason"].ShouldNotBeNull();
        var dismissed = (await s.County.PostAsync($"/api/v1/supervision-proposals/{proposal["id"]}/dismiss", new { reason = "已电话了解，承办单位正在办理" }))
            .Expect(HttpStatusCode.OK).Json;
        dismissed["status"]!.ToString().ShouldBe("dismissed");
        await SweepAsync();
        (await ProposalsAsync(s.County)).ShouldNotContain(x => x!["petitionId"]!.ToString() == id);
        (await StoreAsync(db => db.Set<SupervisionProposal>().CountAsync(x => x.PetitionId == Guid.Parse(id)))).ShouldBe(1);
    }

    [Fact]
    public async Task Late_feedback_escalates_to_the_bureau_above_which_then_sees_the_matter_and_the_supervision()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-07-01");
        var sid = (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body("phone", ["shirkingOrDelay"], dueOn: "2025-07-08")))
            .Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        (await s.City.GetAsync($"/api/v1/supervisions/{sid}")).Status.ShouldBe(HttpStatusCode.NotFound);

        // The due date itself is still in time.
        await s.W.SetClockAsync("2025-07-08T20:00:00+08:00");
        await SweepAsync();
        (await s.County.GetAsync($"/api/v1/supervisions/{sid}")).Expect(HttpStatusCode.OK).Json["row"]!["status"]!.ToString().ShouldBe("open");

        await s.W.SetClockAsync("2025-07-09T09:00:00+08:00");
        await Task.WhenAll(SweepAsync(), SupervisionSweep.SweepAsync(Scopes, CancellationToken.None));
        var escalated = (await s.County.GetAsync($"/api/v1/supervisions/{sid}")).Expect(HttpStatusCode.OK).Json;
        escalated["row"]!["status"]!.ToString().ShouldBe("escalated");
        escalated["row"]!["statusName"]!.ToString().ShouldBe("逾期已上报");
        ((bool)escalated["row"]!["late"]!).ShouldBeTrue();
        escalated["row"]!["escalatedToUnitId"]!.ToString().ShouldBe(s.W.CityBureau.ToString());
        var events = await EventsAsync(s.County, id);
        events.Count(e => e!["action"]!.ToString() == "supervision-escalate").ShouldBe(1);
        var escalate = events.Last()!;
        escalate["actorKind"]!.ToString().ShouldBe("system");
        escalate["targetUnitId"]!.ToString().ShouldBe(s.W.CityBureau.ToString());
        (await StoreAsync(db => db.Notifications.CountAsync(n => n.PetitionId == Guid.Parse(id) && n.Kind == "supervisionOverdue"))).ShouldBe(3);

        // The city bureau now sees the matter and the 督办, in its ledger as escalated.
        (await s.City.GetAsync($"/api/v1/petitions/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await s.City.GetAsync($"/api/v1/supervisions/{sid}")).Status.ShouldBe(HttpStatusCode.OK);
        (await s.City.GetAsync("/api/v1/supervisions?status=escalated&limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldContain(x => x!["id"]!.ToString() == sid);

        // Feedback is still taken, and stays marked late.
        var answered = (await s.W.Leader.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "已督促整改" })).Expect(HttpStatusCode.OK).Json;
        answered["row"]!["status"]!.ToString().ShouldBe("answered");
        ((bool)answered["row"]!["late"]!).ShouldBeTrue();

        // Sent back: open again with a new due date.
        var returned = (await s.County.PostAsync($"/api/v1/supervisions/{sid}/return", new { reason = "请补充整改时间表", dueOn = "2025-07-20" })).Expect(HttpStatusCode.OK).Json;
        returned["row"]!["status"]!.ToString().ShouldBe("open");
        returned["row"]!["dueOn"]!.ToString().ShouldBe("2025-07-20");
        returned["returns"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Acting_outside_the_jurisdiction_answers_404()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-08-04");
        (await s.Other.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Status.ShouldBe(HttpStatusCode.NotFound);
        var sid = (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        var hidden = await s.Other.GetAsync($"/api/v1/supervisions/{sid}");
        hidden.Status.ShouldBe(HttpStatusCode.NotFound);
        hidden.Body.ShouldNotContain("阳光花园");
        (await s.OtherWorker.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "越权反馈" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await s.Other.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "越权" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await s.Other.GetAsync("/api/v1/supervisions?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(x => x!["id"]!.ToString() == sid);
        (await s.County.GetAsync($"/api/v1/supervisions?unitId={s.W.OtherCounty}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Acting_in_the_wrong_role_answers_403()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-08-11");
        (await s.W.Worker.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await s.W.Clerk.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await s.W.Analyst.GetAsync("/api/v1/supervision-proposals")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await s.W.Admin.GetAsync("/api/v1/supervisions")).Status.ShouldBe(HttpStatusCode.Forbidden);
        var sid = (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        // The issuing supervisor does not answer its own 督办; the addressee's caseworker does not close it.
        (await s.County.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "自己反馈" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await s.W.Worker.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "已办理" })).Expect(HttpStatusCode.OK);
        (await s.W.Worker.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "自己办结" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await s.W.Leader.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "非督办单位" })).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Two_feedbacks_at_once_save_one_and_refuse_the_other_with_409()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-09-01");
        var sid = (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        var answers = await Task.WhenAll(
            s.W.Worker.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "承办人的反馈" }),
            s.W.Leader.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "负责人的反馈" }));
        answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1, string.Join("\n", answers.Select(a => a.ToString())));
        answers.Count(a => a.Status == HttpStatusCode.Conflict).ShouldBe(1, string.Join("\n", answers.Select(a => a.ToString())));
        (await EventsAsync(s.County, id)).Count(e => e!["action"]!.ToString() == "supervision-feedback").ShouldBe(1);
        var saved = (await s.County.GetAsync($"/api/v1/supervisions/{sid}")).Expect(HttpStatusCode.OK).Json["feedbackText"]!.ToString();
        saved.ShouldBe(answers.Single(a => a.Status == HttpStatusCode.OK).Json["feedbackText"]!.ToString());
    }

    [Fact]
    public async Task Invalid_requests_are_refused_with_400_and_chinese_messages_by_field()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, _) = await ForwardedAsync(s, "2025-09-08");
        async Task<JsonNode> Refused(object body, params string[] fields)
        {
            var r = await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", body);
            r.Status.ShouldBe(HttpStatusCode.BadRequest, r.Body);
            r.MediaType.ShouldBe("application/problem+json");
            foreach (var f in fields) r.Json["errors"]![f].ShouldNotBeNull(r.Body);
            return r.Json;
        }
        var none = await Refused(new { }, "form", "reasons");
        none["errors"]!["reasons"]![0]!.ToString().ShouldContain("督办事由");
        await Refused(new { form = "fax", reasons = new[] { "notFinishedInTime" } }, "form");
        await Refused(new { form = "phone", reasons = Array.Empty<string>() }, "reasons");
        await Refused(new { form = "phone", reasons = new[] { "tooSlow" } }, "reasons");
        await Refused(Body(addresseeUnitId: s.W.OtherCountyBureau), "addresseeUnitId");
        await Refused(Body(addresseeUnitId: Guid.NewGuid()), "addresseeUnitId");
        await Refused(Body(dueOn: "2025-09-08"), "dueOn");
        await Refused(Body(dueOn: "9/30/2025"), "dueOn");
        await Refused(Body(note: new string('督', 2001)), "note");

        var sid = (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body())).Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString();
        (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body("flagged"))).Status.ShouldBe(HttpStatusCode.Conflict);
        (await s.County.PostAsync($"/api/v1/supervisions/{sid}/close", new { note = "未反馈" })).Status.ShouldBe(HttpStatusCode.Conflict);
        var empty = await s.W.Worker.PostAsync($"/api/v1/supervisions/{sid}/feedback", new { text = "  " });
        empty.Status.ShouldBe(HttpStatusCode.BadRequest);
        empty.Json["errors"]!["text"]![0]!.ToString().ShouldContain("书面反馈");
        (await s.County.GetAsync("/api/v1/supervisions?status=late")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await s.County.GetAsync("/api/v1/supervisions?form=email")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await s.County.GetAsync("/api/v1/supervisions?cursor=bm90LWEta2V5")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await s.County.GetAsync("/api/v1/supervisions?from=2025-09-10&to=2025-09-01")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Ledger_pages_follow_the_cursor_and_the_row_stream_returns_the_same_rows()
    {
        var s = await Supervisors.OfAsync(factory);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (id, _) = await ForwardedAsync(s, "2025-10-13", title: $"台账事项{i}");
            ids.Add((await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body("circular"))).Expect(HttpStatusCode.Created).Json["row"]!["id"]!.ToString());
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await s.County.GetAsync("/api/v1/supervisions?form=circular&from=2025-10-13&to=2025-10-13&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)))
                .Expect(HttpStatusCode.OK).Json;
            page["items"]!.AsArray().Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page["items"]!.AsArray().Select(x => x!["id"]!.ToString()));
            cursor = page["nextCursor"]?.ToString();
        } while (!string.IsNullOrEmpty(cursor));
        seen.ShouldBe(seen.Distinct().ToList());
        ids.ShouldBeSubsetOf(seen);

        using var scope = Scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var staff = await db.Users.Where(u => u.UserName == "sv-county").Select(u => u.Id).SingleAsync();
        var county = (await Identity.Staff.LoadAsync(db, new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, staff.ToString())])), default))!;
        var streamed = new List<string>();
        await foreach (var row in scope.ServiceProvider.GetRequiredService<ListSupervisions>()
            .RowsAsync(county, new SupervisionLedgerFilter(Form: SupervisionForm.Circular, From: new DateOnly(2025, 10, 13), To: new DateOnly(2025, 10, 13))))
            streamed.Add(row.Id.ToString());
        streamed.ShouldBe(seen);
    }

    [Fact]
    public async Task Supervision_ledger_exports_as_xlsx_and_csv_with_the_callers_own_supervisions_only()
    {
        var s = await Supervisors.OfAsync(factory);
        var (id, number) = await ForwardedAsync(s, "2026-05-11", "督办台账导出：桂花苑供暖");
        (await s.County.PostAsync($"/api/v1/petitions/{id}/supervisions", Body(form: "flagged"))).Expect(HttpStatusCode.Created);

        using (var xlsx = await s.County.Http.GetAsync("/api/v1/ledgers/supervisions.xlsx?form=flagged"))
        {
            xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
            new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc).ShouldBeEmpty();
            var rows = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>()
                .Select(r => string.Join("|", r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText))).ToList();
            rows[0].ShouldContain("督办方式");
            rows.ShouldContain(r => r.Contains(number) && r.Contains("挂牌督办") && r.Contains("昆山市住房和城乡建设局"));
        }
        var csv = await s.County.Http.GetStringAsync("/api/v1/ledgers/supervisions.csv");
        csv.ShouldContain(number);
        // Another county's supervisor exports its own territory: this 督办 is not in it.
        (await s.Other.Http.GetStringAsync("/api/v1/ledgers/supervisions.csv")).ShouldNotContain(number);
        (await s.County.GetAsync("/api/v1/ledgers/supervisions.csv?status=nonsense")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await s.W.Admin.GetAsync("/api/v1/ledgers/supervisions.csv")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await StoreAsync(db => db.AuditEntries.CountAsync(e => e.Action == "export.ledger" && e.TargetId == "supervisions"))).ShouldBeGreaterThanOrEqualTo(2);
    }
}

public sealed class SupervisionTests_Sqlite(SqliteFactory f) : SupervisionTests(f), IClassFixture<SqliteFactory>;
public sealed class SupervisionTests_Postgres(PostgresFactory f) : SupervisionTests(f), IClassFixture<PostgresFactory>;
