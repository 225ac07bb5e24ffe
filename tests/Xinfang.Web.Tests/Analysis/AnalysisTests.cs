using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xinfang.Web.Analysis;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Analysis;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// Category suggestions (POST /api/v1/text/suggest), their training from the store's confirmed petitions, category
/// corrections, and case clusters (GET /api/v1/clusters, /staff/clusters) within the caller's jurisdiction. Each
/// test works in its own month of the controllable clock, so the clusters of one never see the petitions of another.
/// </summary>
public abstract class AnalysisTests(XinfangFactory factory)
{
    /// <summary>Three categories with vocabularies of their own (generated here; no real petitions).</summary>
    static readonly (string Code, string Subject, string[] Phrases)[] Labelled =
    [
        ("0401", "工资", ["老板拖欠我们工资已经半年", "工地包工头拒不支付劳动报酬", "讨薪多次无果", "农民工工资至今未结清", "公司以各种理由克扣工资", "年底结算的工钱一直拿不到"]),
        ("1101", "噪声", ["夜间施工噪声震耳", "广场舞音响声音太大", "工厂机器轰鸣影响睡眠", "酒吧音乐吵到凌晨", "装修电钻声整天不停", "货车鸣笛声扰民严重"]),
        ("09", "学校", ["学校违规收取补课费", "老师在校外开辅导班", "学生课业负担过重", "校车接送存在安全隐患", "食堂饭菜质量很差", "招生划片不公平"]),
    ];

    static JsonObject Labelled_(int i, Random random)
    {
        var (code, subject, phrases) = Labelled[i % Labelled.Length];
        var text = string.Join("，", Enumerable.Range(0, 3).Select(_ => phrases[random.Next(phrases.Length)]));
        return Petition($"关于{subject}问题的反映{i}", b =>
        {
            b["content"] = $"诉求：{text}。请有关部门尽快处理。";
            b["categoryCode"] = code;
        });
    }

    async Task<World> WorldAsync(string month)
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync($"2026-{month}-20T10:00:00+08:00");
        return w;
    }

    static async Task<JsonNode> SuggestAsync(Api api, string title, string content, string? region = "320583") =>
        (await api.PostAsync("/api/v1/text/suggest", new { title, content, regionCode = region })).Expect(HttpStatusCode.OK).Json;

    async Task<TrainingResult> TrainFromStoreAsync()
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TrainClassifier>().FromStoreAsync(default);
    }

    [Fact]
    public async Task Suggesting_before_and_after_training_from_confirmed_petitions_ranks_the_right_category_first_and_proposes_the_routed_unit()
    {
        var w = await WorldAsync("01");
        (await w.Admin.PostAsync("/api/v1/routing-rules", new { regionCode = "320583", categoryCode = "04", unitId = w.CountyLabour })).Expect(HttpStatusCode.Created);

        // No model yet: a Chinese note, no categories, and the rules for any category still answer.
        var none = await SuggestAsync(w.Clerk, "老板拖欠工资", "工地包工头拒不支付劳动报酬");
        none["categories"]!.AsArray().ShouldBeEmpty();
        none["message"]!.ToString().ShouldBe(SuggestCategories.NoModel);
        none["modelVersion"].ShouldBeNull();

        var random = new Random(7);
        for (var i = 0; i < 24; i++) await w.RegisterAsync(body: Labelled_(i, random));
        var trained = await TrainFromStoreAsync();
        trained.Succeeded.ShouldBeTrue(trained.Error);
        trained.Samples.ShouldBeGreaterThanOrEqualTo(24);

        var wages = await SuggestAsync(w.Clerk, "讨要工钱", "包工头拖欠农民工工资半年，讨薪多次无果");
        var top = wages["categories"]!.AsArray();
        top.Count.ShouldBe(3);
        top[0]!["code"]!.ToString().ShouldBe("0401");
        top[0]!["name"]!.ToString().ShouldBe("劳动报酬（欠薪）");
        top.Select(c => c!["score"]!.GetValue<double>()).ShouldBeInOrder(SortDirection.Descending);
        wages["message"].ShouldBeNull();
        wages["modelVersion"]!.GetValue<int>().ShouldBe(trained.Version!.Value);
        wages["units"]!.AsArray().Select(u => u!["id"]!.ToString()).ShouldContain(w.CountyLabour.ToString());

        var noise = await SuggestAsync(w.Clerk, "噪声扰民", "楼下酒吧音乐吵到凌晨，夜间施工噪声震耳影响睡眠");
        noise["categories"]![0]!["code"]!.ToString().ShouldBe("1101");
        noise["units"]!.AsArray().Select(u => u!["id"]!.ToString()).ShouldNotContain(w.CountyLabour.ToString());
        (await SuggestAsync(w.Clerk, "孩子上学", "学校违规收取补课费，老师在校外开辅导班"))["categories"]![0]!["code"]!.ToString().ShouldBe("09");

        // Bad input is a 400 in Chinese; administrators suggest nothing.
        var bad = await w.Clerk.PostAsync("/api/v1/text/suggest", new { title = "", content = " ", regionCode = "32" });
        bad.Expect(HttpStatusCode.BadRequest).Body.ShouldContain("请填写标题或内容");
        bad.Body.ShouldContain("行政区划代码");
        (await w.Admin.PostAsync("/api/v1/text/suggest", new { title = "工资", content = "拖欠" })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Correcting_a_category_records_it_marks_the_model_stale_and_only_the_holding_unit_may()
    {
        var w = await WorldAsync("02");
        var random = new Random(11);
        for (var i = 0; i < 9; i++) await w.RegisterAsync(body: Labelled_(i, random));
        (await TrainFromStoreAsync()).Succeeded.ShouldBeTrue();
        var id = Id(await w.RegisterAsync(body: Petition("楼上装修", b => { b["content"] = "装修电钻声整天不停"; b["categoryCode"] = "09"; })));

        (await w.OtherClerk.PostAsync($"/api/v1/petitions/{id}/category", new { categoryCode = "1101" })).Expect(HttpStatusCode.NotFound);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/category", new { categoryCode = "9999" })).Expect(HttpStatusCode.BadRequest).Body.ShouldContain("问题类别不存在");
        var done = (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/category", new { categoryCode = "1101" })).Expect(HttpStatusCode.OK).Json;
        done["categoryCode"]!.ToString().ShouldBe("1101");
        done["previousCategoryCode"]!.ToString().ShouldBe("09");
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Body.ShouldContain("\"1101\"");

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var recorded = await db.CategoryCorrections.AsNoTracking().SingleAsync(c => c.PetitionId == Guid.Parse(id));
            (recorded.FromCode, recorded.ToCode).ShouldBe(("09", "1101"));
        }
        var stale = await SuggestAsync(w.Clerk, "噪声", "装修电钻声整天不停");
        stale["modelStale"]!.GetValue<bool>().ShouldBeTrue();
        stale["message"]!.ToString().ShouldBe(SuggestCategories.StaleModel);

        // The background retraining (here with a short quiet period) stores a model that has seen the correction.
        var before = stale["modelVersion"]!.GetValue<int>();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Text:RetrainDebounceSeconds"] = "0.2" }).Build();
        using var retraining = new ClassifierRetraining(factory.Services.GetRequiredService<IServiceScopeFactory>(), config, NullLogger<ClassifierRetraining>.Instance);
        await retraining.StartAsync(default);
        retraining.Request();
        retraining.Request(); // a burst: one training
        JsonNode current = stale;
        for (var i = 0; i < 100 && current["modelVersion"]!.GetValue<int>() == before; i++)
        {
            await Task.Delay(100);
            current = await SuggestAsync(w.Clerk, "噪声", "装修电钻声整天不停");
        }
        await retraining.StopAsync(default);
        current["modelVersion"]!.GetValue<int>().ShouldBe(before + 1);
        current["modelStale"]!.GetValue<bool>().ShouldBeFalse();
        current["message"].ShouldBeNull();
    }

    /// <summary>Four petitions about one estate (a made-up name) and four about unrelated matters, all in <paramref name="month"/>.</summary>
    static async Task<(List<string> Planted, List<string> Unrelated)> PlantAsync(World w, string month, string estate, Api? by = null, string region = "320583")
    {
        var planted = new List<string>();
        string[] complaints =
        [
            $"{estate}小区开发商逾期交房两年，业主每月还贷压力巨大，要求{estate}小区尽快交付。",
            $"我是{estate}小区业主，{estate}小区工程停工，开发商逾期交房，购房款已付清。",
            $"{estate}小区交房一再延期，开发商失联，{estate}小区业主要求政府督促复工交房。",
            $"反映{estate}小区逾期交房问题：{estate}小区烂尾至今，业主维权无门。",
        ];
        for (var i = 0; i < complaints.Length; i++)
        {
            var received = $"2026-{month}-{(i < 2 ? "05" : "18")}T09:00:00+08:00";
            planted.Add(Id(await w.RegisterAsync(by, Petition($"{estate}小区逾期交房", b => { b["content"] = complaints[i]; b["receivedAt"] = received; b["regionCode"] = region; }))));
        }
        (string Title, string Content)[] others =
        [
            ("路灯损坏", "村口的路灯坏了三个月，晚上出行很不安全，请求维修。"),
            ("养老金发放", "退休后养老金迟迟没有到账，社保窗口说系统问题。"),
            ("河道垃圾", "河道里堆满生活垃圾，夏天臭气熏天，无人清理。"),
            ("医保报销", "住院费用医保报销比例与政策不符，多次咨询没有答复。"),
        ];
        var unrelated = new List<string>();
        foreach (var (title, content) in others)
        {
            unrelated.Add(Id(await w.RegisterAsync(by, Petition(title, b => { b["content"] = content; b["receivedAt"] = $"2026-{month}-10T09:00:00+08:00"; b["regionCode"] = region; }))));
        }
        return (planted, unrelated);
    }

    static IReadOnlyList<string> MembersOf(JsonNode cluster) => cluster["members"]!.AsArray().Select(m => m!["id"]!.ToString()).ToList();

    [Fact]
    public async Task Listing_clusters_groups_petitions_about_one_estate_and_not_unrelated_ones_with_growth_and_terms()
    {
        var w = await WorldAsync("04");
        var (planted, unrelated) = await PlantAsync(w, "04", "翠鸮湾");

        var list = (await w.Clerk.GetAsync("/api/v1/clusters?regionCode=320583&from=2026-04-01&to=2026-04-30")).Expect(HttpStatusCode.OK).Json;
        list["examined"]!.GetValue<int>().ShouldBe(8);
        var items = list["items"]!.AsArray();
        var cluster = items.Single(c => MembersOf(c!).Contains(planted[0]))!;
        MembersOf(cluster).ShouldBe(planted, ignoreOrder: true);
        // Unrelated petitions never join the estate's cluster (tiny batches may pair two of them on common words).
        MembersOf(cluster).Intersect(unrelated).ShouldBeEmpty();
        cluster["size"]!.GetValue<int>().ShouldBe(4);
        cluster["topTerms"]!.AsArray().Select(t => t!.ToString()).ShouldContain("翠鸮湾小区");
        // The clock stands at 04-20: two received on the 18th, two on the 5th.
        cluster["growth"]!["last7Days"]!.GetValue<int>().ShouldBe(2);
        cluster["growth"]!["last30Days"]!.GetValue<int>().ShouldBe(4);
        cluster["growth"]!["earlier"]!.GetValue<int>().ShouldBe(0);

        var key = cluster["key"]!.ToString();
        var one = (await w.Clerk.GetAsync("/api/v1/clusters/" + key)).Expect(HttpStatusCode.OK).Json;
        MembersOf(one).ShouldBe(planted, ignoreOrder: true);
        one["members"]![0]!["number"]!.ToString().ShouldStartWith("320583-");
        (await w.Clerk.GetAsync("/api/v1/clusters/nonsense")).Expect(HttpStatusCode.NotFound);

        // Another period does not hold them; bad criteria are a 400 in Chinese.
        (await w.Clerk.GetAsync("/api/v1/clusters?regionCode=320583&from=2026-05-01&to=2026-05-31")).Expect(HttpStatusCode.OK).Json["examined"]!.GetValue<int>().ShouldBe(0);
        (await w.Clerk.GetAsync("/api/v1/clusters?from=2026-04-30&to=2026-04-01")).Expect(HttpStatusCode.BadRequest).Body.ShouldContain("截止日期不能早于起始日期");
        (await w.Clerk.GetAsync("/api/v1/clusters?regionCode=abc")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Listing_clusters_stays_within_the_callers_jurisdiction_and_never_shows_an_accusation_inside_the_accused_unit()
    {
        var w = await WorldAsync("06");
        var (planted, _) = await PlantAsync(w, "06", "青鹭台");
        // A like cause in the other county: not the county clerk's to see.
        var (elsewhere, _) = await PlantAsync(w, "06", "紫鹬坪", w.OtherClerk, "320585");
        // An accusation about the estate, naming the county government (the clerk's bureau is under it).
        var body = Accusation(w.County, "青鹭台小区逾期交房背后有人受贿");
        body["content"] = "青鹭台小区开发商逾期交房，青鹭台小区业主反映有官员收受开发商财物。";
        body["receivedAt"] = "2026-06-18T09:00:00+08:00";
        var accusation = Id(await w.RegisterAsync(body: body));

        var mine = (await w.Clerk.GetAsync("/api/v1/clusters?from=2026-06-01&to=2026-06-30")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var seen = mine.SelectMany(c => MembersOf(c!)).ToList();
        seen.ShouldContain(planted[0]);
        seen.Intersect(elsewhere).ShouldBeEmpty();
        seen.ShouldNotContain(accusation);

        // The city's supervisor sees both counties' clusters, and the accusation with the estate's petitions.
        var city = await UserAsync(w, w.City, "supervisor");
        var all = (await city.GetAsync("/api/v1/clusters?regionCode=320500&from=2026-06-01&to=2026-06-30")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .SelectMany(c => MembersOf(c!)).ToList();
        all.ShouldContain(planted[0], "county planted");
        all.ShouldContain(elsewhere[0], "other county planted");
        all.ShouldContain(accusation, "accusation");
        // Only the county's region asked for: the other county's petitions are left out.
        (await city.GetAsync("/api/v1/clusters?regionCode=320583&from=2026-06-01&to=2026-06-30")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .SelectMany(c => MembersOf(c!)).Intersect(elsewhere).ShouldBeEmpty();

        (await w.Admin.GetAsync("/api/v1/clusters")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Cluster_pages_list_clusters_and_link_members_to_their_petition_pages()
    {
        var w = await WorldAsync("08");
        var (planted, _) = await PlantAsync(w, "08", "白鹇湖");
        var pages = await PageClient.SignInAsync(factory, "clerk");

        var list = (await pages.GetAsync("/staff/clusters?regionCode=320583&from=2026-08-01&to=2026-08-31")).Expect(HttpStatusCode.OK);
        list.Doc.QuerySelector("nav a[href='/staff/clusters']")!.TextContent.ShouldBe("类案");
        list.Text.ShouldContain("共分析 8 件事项");
        var link = list.Doc.QuerySelectorAll("a[href^='/staff/clusters/']").Single(a => a.TextContent.Contains("白鹇湖"));

        var page = (await pages.GetAsync(link.GetAttribute("href")!)).Expect(HttpStatusCode.OK);
        page.Doc.QuerySelector("dl.facts dd")!.TextContent.ShouldBe("4");
        foreach (var id in planted) page.Doc.QuerySelector($"a[href='/staff/petitions/{id}']").ShouldNotBeNull();
        (await pages.GetAsync(page.Doc.QuerySelector($"a[href='/staff/petitions/{planted[0]}']")!.GetAttribute("href")!)).Expect(HttpStatusCode.OK);

        var bad = (await pages.GetAsync("/staff/clusters?from=2026-08-31&to=2026-08-01")).Expect(HttpStatusCode.BadRequest);
        bad.FieldError("to").ShouldBe("截止日期不能早于起始日期");
        (await pages.GetAsync("/staff/clusters/none")).Expect(HttpStatusCode.NotFound);
    }
}

public sealed class AnalysisTests_Sqlite(SqliteFactory f) : AnalysisTests(f), IClassFixture<SqliteFactory>;
public sealed class AnalysisTests_Postgres(PostgresFactory f) : AnalysisTests(f), IClassFixture<PostgresFactory>;
