using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Intake;

/// <summary>
/// Repeat and near-duplicate detection (issue #4): band-key candidates re-ranked exactly, within the jurisdiction;
/// the same petitioner on the same matter is linked at registration; clerks confirm or reject links (recorded);
/// `text reindex` rebuilds the keys; the form's 查重 saves nothing. Every test writes its own estate name into its
/// texts, and asserts on its own petitions only (the other tests' petitions of the class may be candidates too).
/// </summary>
public abstract class SimilarPetitionsTests(XinfangFactory factory)
{
    const string Rare = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鑫垚淼焱犇骉";
    static readonly Random Random = new();
    static readonly Lock Gate = new();

    static string Tag(int length)
    {
        lock (Gate) return new string(Enumerable.Range(0, length).Select(_ => Rare[Random.Next(Rare.Length)]).ToArray());
    }

    /// <summary>A parking-fee complaint about one estate: four sentences of facts and request.</summary>
    static string Fees(string estate) =>
        $"诉求：请求责令{estate}小区物业公司停止违规收取停车管理费并退还多收费用。" +
        $"事实：自2025年3月起物业公司每月向{estate}小区业主收取停车管理费300元，未经业主大会同意，也未在物价部门备案。" +
        "业主多次向社区居委会和街道办事处反映，至今没有答复。" +
        "理由：该收费违反物业服务收费管理办法的规定，损害了全体业主的合法权益。";

    /// <summary>The same letter resubmitted: a greeting and a closing added, one sentence dropped.</summary>
    static string Resubmitted(string estate) =>
        "尊敬的领导您好！" + Fees(estate).Replace("业主多次向社区居委会和街道办事处反映，至今没有答复。", "") + "此致敬礼！望尽快回复。";

    static string Fumes(string estate) =>
        $"诉求：请求查处{estate}商业街餐馆油烟和噪声扰民问题。事实：楼下三家餐馆的排烟管道直通居民卧室窗户，" +
        "每天中午和晚上油烟弥漫，空调外机噪声持续到深夜。理由：严重影响居民的正常休息和身体健康，环保部门应依法查处。";

    static JsonObject Body(string title, string content, Action<JsonObject>? change = null) =>
        Petition(title, b => { b["content"] = content; change?.Invoke(b); });

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        return w;
    }

    static async Task<JsonArray> SimilarAsync(Infrastructure.Api api, string id) =>
        (await api.GetAsync($"/api/v1/petitions/{id}/similar")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    static JsonNode? Find(JsonArray items, string id) => items.FirstOrDefault(i => i!["id"]!.ToString() == id);

    async Task<T> WithDbAsync<T>(Func<IServiceProvider, XinfangDb, Task<T>> run)
    {
        using var scope = factory.Services.CreateScope();
        return await run(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<XinfangDb>());
    }

    [Fact]
    public async Task A_text_like_many_others_lists_the_ten_most_similar_best_first()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        // Twelve copies, each with one more sentence of its own: each a little less like the plain letter.
        var extra = new[] { "楼道灯坏了", "电梯经常停运", "绿化被占用", "垃圾清运不及时", "门禁失灵", "消防通道堵塞", "外墙脱落", "水压不足", "监控损坏", "化粪池外溢", "屋顶漏水", "健身器材损坏" };
        var ids = new List<string>();
        for (var k = 0; k < extra.Length; k++)
            ids.Add(Id(await w.RegisterAsync(body: Body($"{estate}小区停车费{k}", Fees(estate) + string.Concat(extra.Take(k).Select(x => $"另外，小区{x}，也请一并解决。"))))));
        var query = await w.RegisterAsync(body: Body($"{estate}小区停车费", Fees(estate)));

        var items = await SimilarAsync(w.Clerk, Id(query));
        items.Count.ShouldBe(10);
        items.Select(i => i!["similarity"]!.GetValue<double>()).ShouldBeInOrder(SortDirection.Descending);
        items.Select(i => i!["id"]!.ToString()).ShouldBe(ids.Take(10)); // the two least alike are left out
    }

    [Fact]
    public async Task Resubmission_by_the_same_petitioner_with_a_greeting_added_and_a_sentence_dropped_is_flagged_repeat_of_the_original()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var first = Body($"{estate}小区物业乱收停车费", Fees(estate));
        var original = await w.RegisterAsync(body: first);
        original["flags"]!["repeat"]!.GetValue<bool>().ShouldBeFalse();

        var again = Body($"再次反映{estate}停车管理费问题", Resubmitted(estate), b => b["petitioners"] = first["petitioners"]!.DeepClone());
        var repeat = await w.RegisterAsync(body: again);

        repeat["flags"]!["repeat"]!.GetValue<bool>().ShouldBeTrue();
        repeat["flags"]!["firstTime"]!.GetValue<bool>().ShouldBeFalse();
        repeat["repeatOf"]!.ToString().ShouldBe(Id(original));
        var candidate = Find(await SimilarAsync(w.Clerk, Id(repeat)), Id(original)).ShouldNotBeNull();
        candidate["sameMatter"]!.GetValue<bool>().ShouldBeTrue();
        candidate["samePetitioner"]!.ToString().ShouldBe("exact");
        candidate["linked"]!.GetValue<bool>().ShouldBeTrue();
        candidate["similarity"]!.GetValue<double>().ShouldBeGreaterThan(0.6);
    }

    [Fact]
    public async Task A_different_matter_of_the_same_petitioner_is_not_a_repeat_and_not_a_candidate()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var first = Body($"{estate}小区物业乱收停车费", Fees(estate));
        var original = await w.RegisterAsync(body: first);
        var other = await w.RegisterAsync(body: Body($"{estate}商业街油烟扰民", Fumes(estate), b => b["petitioners"] = first["petitioners"]!.DeepClone()));

        other["flags"]!["repeat"]!.GetValue<bool>().ShouldBeFalse();
        other["repeatOf"].ShouldBeNull();
        Find(await SimilarAsync(w.Clerk, Id(other)), Id(original)).ShouldBeNull();
    }

    [Fact]
    public async Task Same_text_from_another_petitioner_is_a_candidate_but_not_linked_and_a_name_with_address_is_the_weaker_signal()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var original = await w.RegisterAsync(body: Body($"{estate}小区物业乱收停车费", Fees(estate)));
        var sameName = Body($"{estate}停车费", Resubmitted(estate), b =>
        {
            b["petitioners"]![0]!["name"] = "张三";
            b["petitioners"]![0]!["address"] = "昆山市玉山镇阳光花园3栋201室";
        });
        var second = await w.RegisterAsync(body: sameName);

        second["flags"]!["repeat"]!.GetValue<bool>().ShouldBeFalse();
        var candidate = Find(await SimilarAsync(w.Clerk, Id(second)), Id(original)).ShouldNotBeNull();
        candidate["sameMatter"]!.GetValue<bool>().ShouldBeTrue();
        candidate["samePetitioner"]!.ToString().ShouldBe("nameAndAddress");
        candidate["linked"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Candidates_outside_the_jurisdiction_or_accusations_against_the_callers_unit_are_not_shown()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var elsewhere = await w.RegisterAsync(w.OtherClerk, Body($"{estate}小区物业乱收停车费", Fees(estate)));
        JsonObject Accusing(Guid unit) => Body($"举报{estate}乱收费", Fees(estate), b =>
        {
            b["type"] = "accusation";
            b["accused"] = new JsonObject { ["unitId"] = unit.ToString(), ["personName"] = "某某" };
        });
        // Against the county (the clerk's bureau is inside it) and against the county's labour bureau (it is not).
        var accusation = await w.RegisterAsync(body: Accusing(w.County));
        var otherAccusation = await w.RegisterAsync(body: Accusing(w.CountyLabour));
        var mine = await w.RegisterAsync(body: Body($"{estate}停车费", Resubmitted(estate)));

        var seen = await SimilarAsync(w.Clerk, Id(mine));
        Find(seen, Id(elsewhere)).ShouldBeNull();
        Find(seen, Id(accusation)).ShouldBeNull();
        Find(seen, Id(otherAccusation)).ShouldNotBeNull();
        Find(await SimilarAsync(w.OtherClerk, Id(elsewhere)), Id(mine)).ShouldBeNull();
        // A draft is compared the same way.
        var draft = (await w.Clerk.PostAsync("/api/v1/petitions/similar", Body("草稿", Resubmitted(estate)))).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Find(draft, Id(mine)).ShouldNotBeNull();
        Find(draft, Id(elsewhere)).ShouldBeNull();
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{Id(mine)}/similar")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Confirming_links_the_repeat_and_rejecting_unlinks_it_and_stops_proposing_the_candidate_both_recorded()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var original = await w.RegisterAsync(body: Body($"{estate}小区物业乱收停车费", Fees(estate)));
        var second = await w.RegisterAsync(body: Body($"{estate}停车费", Resubmitted(estate)));
        Find(await SimilarAsync(w.Clerk, Id(second)), Id(original)).ShouldNotBeNull();

        var bad = await w.Clerk.PostAsync($"/api/v1/petitions/{Id(second)}/repeat-link", new { candidateId = Id(original), decision = "maybe" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        var self = await w.Clerk.PostAsync($"/api/v1/petitions/{Id(second)}/repeat-link", new { candidateId = Id(second), decision = "confirm" });
        self.Status.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Analyst.PostAsync($"/api/v1/petitions/{Id(second)}/repeat-link", new { candidateId = Id(original), decision = "confirm" }))
            .Status.ShouldBe(HttpStatusCode.Forbidden);

        var linked = (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(second)}/repeat-link", new { candidateId = Id(original), decision = "confirm" }))
            .Expect(HttpStatusCode.OK).Json;
        linked["flags"]!["repeat"]!.GetValue<bool>().ShouldBeTrue();
        linked["repeatOf"]!.ToString().ShouldBe(Id(original));

        var unlinked = (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(second)}/repeat-link", new { candidateId = Id(original), decision = "reject" }))
            .Expect(HttpStatusCode.OK).Json;
        unlinked["flags"]!["repeat"]!.GetValue<bool>().ShouldBeFalse();
        unlinked["repeatOf"].ShouldBeNull();
        Find(await SimilarAsync(w.Clerk, Id(second)), Id(original)).ShouldBeNull();

        var decisions = await WithDbAsync((_, db) => db.RepeatLinkDecisions.AsNoTracking()
            .Where(d => d.PetitionId == Guid.Parse(Id(second))).ToListAsync());
        decisions.Select(d => d.Decision).Order().ShouldBe([RepeatLinkVerdict.Confirm, RepeatLinkVerdict.Reject]);
        decisions.ShouldAllBe(d => d.CandidateId == Guid.Parse(Id(original)) && d.Similarity > 0.5);
    }

    [Fact]
    public async Task Petition_page_lists_candidates_and_confirming_there_links_the_repeat()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var original = await w.RegisterAsync(body: Body($"{estate}小区物业乱收停车费", Fees(estate)));
        var second = await w.RegisterAsync(body: Body($"{estate}停车费", Resubmitted(estate)));
        var c = await PageClient.SignInAsync(factory, "clerk");

        var page = (await c.GetAsync($"/staff/petitions/{Id(second)}")).Expect(HttpStatusCode.OK);
        page.Text.ShouldContain("可能重复的信访事项");
        var row = page.Doc.QuerySelector($"#similar-list tr[data-candidate='{Id(original)}']").ShouldNotBeNull();
        row.TextContent.ShouldContain(original["number"]!.ToString());
        row.TextContent.ShouldContain("%");
        row.QuerySelector("form[data-confirm]").ShouldNotBeNull();

        var done = await c.PostAsync($"/staff/petitions/{Id(second)}/repeat-link", new() { ["candidateId"] = Id(original), ["decision"] = "confirm" });
        done.Status.ShouldBe(HttpStatusCode.Redirect);
        var after = (await w.Clerk.GetAsync($"/api/v1/petitions/{Id(second)}")).Expect(HttpStatusCode.OK).Json;
        after["repeatOf"]!.ToString().ShouldBe(Id(original));
    }

    [Fact]
    public async Task Check_button_on_the_registration_form_shows_candidates_and_saves_nothing()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var original = await w.RegisterAsync(body: Body($"{estate}小区物业乱收停车费", Fees(estate)));
        var c = await PageClient.SignInAsync(factory, "clerk");
        await c.GetAsync("/staff/register");
        var before = await WithDbAsync((_, db) => db.Petitions.CountAsync());

        var page = (await c.PostAsync("/staff/register", new()
        {
            ["__key"] = Guid.NewGuid().ToString("N"), ["__rows"] = "1", ["__check"] = "1",
            ["channel"] = "letter", ["type"] = "claim",
            ["petitioners[0].name"] = "李四", ["petitioners[0].address"] = "昆山市玉山镇",
            ["title"] = $"{estate}停车费", ["request"] = Resubmitted(estate), ["regionCode"] = "320583",
        })).Expect(HttpStatusCode.OK);

        page.Text.ShouldContain("可能重复的信访事项");
        var link = page.Doc.QuerySelector($"#similar-list a[href='/staff/petitions/{Id(original)}']").ShouldNotBeNull();
        link.TextContent.ShouldBe(original["number"]!.ToString());
        page.Doc.QuerySelector("#title")!.GetAttribute("value").ShouldBe($"{estate}停车费");
        // The same press shows the category and unit suggestions (or, with no model trained yet, says so in Chinese).
        var suggestions = page.Doc.QuerySelector("section.suggestions").ShouldNotBeNull();
        suggestions.TextContent.ShouldMatch("[\u4e00-\u9fff]");
        (await WithDbAsync((_, db) => db.Petitions.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Reindex_rebuilds_the_band_keys_and_shingle_sets_of_every_petition()
    {
        var w = await WorldAsync();
        var estate = Tag(3);
        var original = await w.RegisterAsync(body: Body($"{estate}小区物业乱收停车费", Fees(estate)));
        var id = Guid.Parse(Id(original));
        var (keys, shingles) = FindSimilarPetitions.IndexOf(id, $"{estate}小区物业乱收停车费", Fees(estate));
        var expected = keys.Select(k => k.BandKey).Order().ToList();
        (await WithDbAsync((_, db) => db.PetitionBandKeys.Where(k => k.PetitionId == id).Select(k => k.BandKey).ToListAsync())).Order().ShouldBe(expected);
        (await WithDbAsync((_, db) => db.PetitionShingles.SingleAsync(s => s.PetitionId == id))).Shingles.ShouldBe(shingles.Shingles);

        // Shingle set missing (a store indexed before migration 0019): the candidate's text is read and compared instead.
        await WithDbAsync((_, db) => db.PetitionShingles.Where(s => s.PetitionId == id).ExecuteDeleteAsync());
        var first = await w.RegisterAsync(body: Body($"{estate}停车费问题", Resubmitted(estate)));
        Find(await SimilarAsync(w.Clerk, Id(first)), Id(original)).ShouldNotBeNull()["sameMatter"]!.GetValue<bool>().ShouldBeTrue();

        // Keys lost (as after migration 0006 on a store with petitions): another petitioner's resubmission finds nothing.
        await WithDbAsync((_, db) => db.PetitionBandKeys.Where(k => k.PetitionId == id).ExecuteDeleteAsync());
        var second = await w.RegisterAsync(body: Body($"{estate}停车费", Resubmitted(estate)));
        Find(await SimilarAsync(w.Clerk, Id(second)), Id(original)).ShouldBeNull();

        var reports = new List<(long Done, long Total)>();
        var (indexed, petitions) = await WithDbAsync(async (sp, db) =>
            (await sp.GetRequiredService<ReindexBandKeys>().RunAsync(new Progress(reports), default, batch: 7), await db.Petitions.LongCountAsync()));

        indexed.ShouldBe(petitions);
        reports[^1].ShouldBe((petitions, petitions));
        (await WithDbAsync((_, db) => db.PetitionBandKeys.Where(k => k.PetitionId == id).Select(k => k.BandKey).ToListAsync())).Order().ShouldBe(expected);
        (await WithDbAsync((_, db) => db.PetitionShingles.SingleAsync(s => s.PetitionId == id))).Shingles.ShouldBe(shingles.Shingles);
        Find(await SimilarAsync(w.Clerk, Id(second)), Id(original)).ShouldNotBeNull();
    }

    sealed class Progress(List<(long, long)> into) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => into.Add(value);
    }
}

public sealed class SimilarPetitionsTests_Sqlite(SqliteFactory f) : SimilarPetitionsTests(f), IClassFixture<SqliteFactory>;
public sealed class SimilarPetitionsTests_Postgres(PostgresFactory f) : SimilarPetitionsTests(f), IClassFixture<PostgresFactory>;
