using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// 回避 (Art. 28 ¶3, domain.md "Handling paths"): a staff member with a direct interest in a matter declares it, or
/// their unit's leader or supervisor records it for them; from then on every workflow step by that member is
/// refused (the domain's guard, so API and pages alike) and no step is offered to them. Recusals are append-only,
/// listed with the matter and shown on its timeline. A recused member may still read the matter.
/// </summary>
public abstract class RecusalTests(XinfangFactory factory)
{
    const string Refusal = "您已对本事项申请回避，不能办理";

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-04-01T10:00:00+08:00");
        return w;
    }

    static async Task<Guid> UserIdAsync(World w, string userName) =>
        Guid.Parse((await w.Admin.GetAsync("/api/v1/users?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Single(u => u!["userName"]!.ToString() == userName)!["id"]!.ToString());

    [Fact]
    public async Task Declared_recusal_refuses_every_step_to_that_user_and_offers_none_while_a_colleague_still_acts()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Petition("申请回避的事项：物业纠纷")));
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["allowedActions"]!.AsArray()
            .Select(a => a!.ToString()).ShouldContain("forward");

        var missing = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = " " });
        missing.Expect(HttpStatusCode.BadRequest).Json["errors"]!["reason"].ShouldNotBeNull();
        var declared = (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = "信访人是本人近亲属" })).Expect(HttpStatusCode.Created).Json;
        declared["reason"]!.ToString().ShouldBe("信访人是本人近亲属");
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = "再次申请" })).Status.ShouldBe(HttpStatusCode.Conflict);

        foreach (var (action, body) in EveryAction(w, w.CountyBureau))
        {
            var r = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/{action}", body);
            r.Status.ShouldBe(HttpStatusCode.Forbidden, $"{action}: {r}");
            r.ProblemType.ShouldBe("/problems/recused", action);
            r.Json["detail"]!.ToString().ShouldBe(Refusal, action);
        }
        var view = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json; // still readable
        view["allowedActions"]!.AsArray().ShouldBeEmpty();
        view["recused"]!.GetValue<bool>().ShouldBeTrue();
        view["version"]!.GetValue<int>().ShouldBe(1); // nothing was applied
        (await ListedAsync(w.Clerk)).ShouldContain(id);

        // A colleague of the same bureau is not affected.
        var colleague = await UserAsync(w, w.CountyBureau, "intakeClerk");
        (await colleague.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["recused"]!.GetValue<bool>().ShouldBeFalse();
        (await colleague.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);

        // Listed with the matter and on its timeline, after the step it followed.
        var recusals = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/recusals")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        recusals.Single()!["userName"]!.ToString().ShouldBe("clerk");
        var events = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        events.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "recusal", "forward"]);
        events[1]!["note"]!.ToString().ShouldBe("信访人是本人近亲属");
        events[1]!["data"]!["recusedUser"]!.ToString().ShouldBe("clerk");
        events[1]!["toStatus"]!.ToString().ShouldBe("registered");
    }

    [Fact]
    public async Task Leader_records_recusal_for_a_user_of_their_own_unit_only_and_it_binds_that_user()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Petition("领导登记回避的事项：拆迁补偿")));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK);
        var worker = await UserIdAsync(w, "worker");
        var leader = await UserIdAsync(w, "leader");
        var labour = await UserIdAsync(w, "labour");

        // A caseworker may declare only their own interest; a leader only for their own unit's users.
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/recusal", new { userId = leader, reason = "x" })).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/recusal", new { userId = labour, reason = "x" }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["userId"].ShouldNotBeNull();
        (await w.Leader.PostAsync($"/api/v1/petitions/{id}/recusal", new { userId = Guid.NewGuid(), reason = "x" }))
            .Expect(HttpStatusCode.BadRequest).Json["errors"]!["userId"].ShouldNotBeNull();

        var recorded = (await w.Leader.PostAsync($"/api/v1/petitions/{id}/recusal", new { userId = worker, reason = "承办人与被反映企业有利害关系" }))
            .Expect(HttpStatusCode.Created).Json;
        recorded["userId"]!.ToString().ShouldBe(worker.ToString());
        recorded["recordedByUserId"]!.ToString().ShouldBe(leader.ToString());
        var refused = await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 });
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Json["detail"]!.ToString().ShouldBe(Refusal);
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["allowedActions"]!.AsArray().ShouldBeEmpty();
        // The leader, not recused, still may.
        (await w.Leader.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["allowedActions"]!.AsArray()
            .Select(a => a!.ToString()).ShouldContain("accept");
    }

    [Fact]
    public async Task Recusals_cannot_be_changed_or_deleted_in_the_store()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Petition("回避记录不可更改")));
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/recusal", new { reason = "利害关系" })).Expect(HttpStatusCode.Created);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE recusals SET reason = 'tampered'"));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM recusals"));
        (await db.Recusals.AsNoTracking().CountAsync(r => r.PetitionId == Guid.Parse(id))).ShouldBe(1);
        (await db.Recusals.AsNoTracking().CountAsync(r => r.Reason == "tampered")).ShouldBe(0);
    }

    [Fact]
    public async Task Recusal_button_on_the_petition_page_records_it_and_withdraws_the_step_forms()
    {
        var w = await WorldAsync();
        var id = Id(await w.RegisterAsync(body: Petition("页面申请回避的事项：噪声扰民")));
        var pages = await PageClient.SignInAsync(factory, "clerk");
        var page = (await pages.GetAsync($"/staff/petitions/{id}")).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelector("details#forward").ShouldNotBeNull();
        page.Doc.QuerySelector("form[action$='/recusal'] button")!.TextContent.ShouldBe("申请回避");
        page.Text.ShouldContain("暂无回避记录");

        var missing = await pages.PostAsync($"/staff/petitions/{id}/recusal", new() { ["reason"] = "" });
        missing.Status.ShouldBe(HttpStatusCode.BadRequest);
        missing.FieldError("reason").ShouldNotBeNull().ShouldContain("回避理由");

        var done = await pages.PostAsync($"/staff/petitions/{id}/recusal", new() { ["reason"] = "被反映人是本人同学" });
        done.Status.ShouldBe(HttpStatusCode.Redirect);
        var after = (await pages.GetAsync(done.Location!)).Expect(HttpStatusCode.OK);
        after.Notice.ShouldContain("回避已记录");
        after.Text.ShouldContain(Refusal);
        after.Doc.QuerySelector("details#forward").ShouldBeNull();
        after.Doc.QuerySelector("form[action$='/recusal']").ShouldBeNull();
        after.Doc.QuerySelector("ul.recusals")!.TextContent.ShouldContain("被反映人是本人同学");
        after.Doc.QuerySelector("ol.timeline")!.TextContent.ShouldContain("回避");

        // A step posted from a page opened before (a stale tab) is refused in words.
        var refused = await pages.PostAsync($"/staff/petitions/{id}/forward", new() { ["unitId"] = w.CountyHousing.ToString() });
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.Alert.ShouldContain(Refusal);
    }
}

public sealed class RecusalTests_Sqlite(SqliteFactory f) : RecusalTests(f), IClassFixture<SqliteFactory>;
public sealed class RecusalTests_Postgres(PostgresFactory f) : RecusalTests(f), IClassFixture<PostgresFactory>;
