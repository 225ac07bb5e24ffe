using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Backlog;

/// <summary>
/// The 积案化解 pages (/staff/backlog) over plain HTTP: a supervisor creates a campaign with the form, lists a
/// candidate with an owner; the owner reports from the campaign page; an audit refused without reasons shows the
/// error beside its field, then a second supervisor strikes it off and the rate shows 100%.
/// </summary>
public abstract class BacklogPageTests(XinfangFactory factory)
{
    static async Task<(string UserName, Guid Id)> AccountAsync(World w, Guid unit, params string[] roles)
    {
        var userName = "bp-" + Guid.NewGuid().ToString("N")[..10];
        var r = (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = "责任人" + userName[3..7], unitId = unit, roles }))
            .Expect(HttpStatusCode.Created);
        return (userName, Guid.Parse(r["id"]));
    }

    [Fact]
    public async Task Supervisor_creates_lists_and_audits_through_the_pages_and_the_owner_reports_there()
    {
        var w = await World.OfAsync(factory);
        // The workbench's sign-in checks the password's age by the real clock: keep the server's clock near it.
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        await w.SetClockAsync(now.ToString("O"));
        var (supervisorName, _) = await AccountAsync(w, w.County, "supervisor");
        var (auditorName, _) = await AccountAsync(w, w.County, "supervisor");
        var (ownerName, ownerId) = await AccountAsync(w, w.CountyHousing, "caseworker");
        var old = Id(await w.RegisterAsync(body: Petition("页面测试：安置房久拖未交付", b => b["receivedAt"] = now.AddDays(-200).ToString("O"))));

        var sup = await PageClient.SignInAsync(factory, supervisorName);
        var index = (await sup.GetAsync("/staff/backlog")).Expect(HttpStatusCode.OK);
        index.Doc.QuerySelector("nav a[href='/staff/backlog']")!.GetAttribute("aria-current").ShouldBe("page");
        var refused = await sup.PostAsync("/staff/backlog", new() { ["name"] = "页面专项", ["unitId"] = w.County.ToString(), ["startsOn"] = Day(now), ["endsOn"] = Day(now.AddDays(-1)) });
        refused.Expect(HttpStatusCode.BadRequest);
        refused.FieldError("endsOn").ShouldNotBeNull();
        refused.FieldError("criteria").ShouldNotBeNull();
        refused.Doc.QuerySelector("#name")!.GetAttribute("value").ShouldBe("页面专项");
        var created = await sup.PostAsync("/staff/backlog", new()
        {
            ["name"] = "页面专项", ["unitId"] = w.County.ToString(), ["startsOn"] = Day(now), ["endsOn"] = Day(now.AddDays(60)), ["criteria.openLongerThanDays"] = "180",
        });
        created.Status.ShouldBe(HttpStatusCode.Redirect, created.Alert);
        var campaignUrl = created.Location!.Split('?')[0];

        var page = (await sup.GetAsync(created.Location!)).Expect(HttpStatusCode.OK);
        page.Notice.ShouldContain("专项工作已建立");
        page.Doc.QuerySelector($"#pick-{old.Replace("-", "")}").ShouldNotBeNull();
        page.Doc.QuerySelector("#rate")!.TextContent.ShouldBe("—");
        var noOwner = await sup.PostAsync($"{campaignUrl}/members", new() { ["petitionIds"] = old });
        noOwner.Expect(HttpStatusCode.BadRequest).FieldError("ownerUserId").ShouldNotBeNull();
        var listed = await sup.PostAsync($"{campaignUrl}/members", new() { ["petitionIds"] = old, ["ownerUserId"] = ownerId.ToString() });
        listed.Status.ShouldBe(HttpStatusCode.Redirect, listed.Alert);
        page = (await sup.GetAsync(listed.Location!)).Expect(HttpStatusCode.OK);
        page.Notice.ShouldContain("已列入积案");
        var row = page.Doc.QuerySelector("table.members tbody tr")!;
        row.TextContent.ShouldContain("已列入");
        var memberPath = row.QuerySelector("form[action$='/report']")!.GetAttribute("action")!; // organisers may report for the owner
        memberPath = memberPath[..memberPath.LastIndexOf('/')];

        // The owner finds the campaign in their list and reports from its page.
        var owner = await PageClient.SignInAsync(factory, ownerName);
        (await owner.GetAsync("/staff/backlog")).Expect(HttpStatusCode.OK).Text.ShouldContain("页面专项");
        var ownerPage = (await owner.GetAsync(campaignUrl)).Expect(HttpStatusCode.OK);
        ownerPage.Doc.QuerySelector("table.candidates").ShouldBeNull(); // listing is for the campaign's organisers
        var reported = await owner.PostAsync($"{memberPath}/report", new() { ["summary"] = "已交付安置房", ["evidence"] = "交房确认书" });
        reported.Status.ShouldBe(HttpStatusCode.Redirect, reported.Alert);
        (await owner.GetAsync(reported.Location!)).Notice.ShouldContain("已上报化解");

        var auditor = await PageClient.SignInAsync(factory, auditorName);
        var audit = (await auditor.GetAsync(campaignUrl)).Expect(HttpStatusCode.OK);
        audit.Doc.QuerySelector("form[action$='/audit']").ShouldNotBeNull();
        var back = await auditor.PostAsync($"{memberPath}/audit", new() { ["approve"] = "false", ["reasons"] = "" });
        back.Expect(HttpStatusCode.BadRequest);
        back.FieldError("reasons").ShouldNotBeNull();
        back.Doc.QuerySelector("details.action[open] form[action$='/audit']").ShouldNotBeNull();
        var struck = await auditor.PostAsync($"{memberPath}/audit", new() { ["approve"] = "true", ["reasons"] = "材料齐全" });
        struck.Status.ShouldBe(HttpStatusCode.Redirect, struck.Alert);
        var done = (await auditor.GetAsync(struck.Location!)).Expect(HttpStatusCode.OK);
        done.Doc.QuerySelector("#rate")!.TextContent.ShouldBe("100%");
        done.Doc.QuerySelector("table.members tbody tr")!.TextContent.ShouldContain("已销号");
        done.Doc.QuerySelector("form[action$='/recheck']").ShouldBeNull(); // not due for 90 days
        (await auditor.GetAsync("/staff/backlog")).Doc.QuerySelector("table.backlog-campaigns")!.TextContent.ShouldContain("100%");

        // An intake clerk has no such page.
        var clerk = await PageClient.SignInAsync(factory, "clerk");
        (await clerk.GetAsync("/staff/backlog")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await clerk.GetAsync(campaignUrl)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd");
}

public sealed class BacklogPageTests_Sqlite(SqliteFactory f) : BacklogPageTests(f), IClassFixture<SqliteFactory>;
public sealed class BacklogPageTests_Postgres(PostgresFactory f) : BacklogPageTests(f), IClassFixture<PostgresFactory>;
