using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Search;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>
/// GET /api/v1/petitions/search: each criterion finds what it should and nothing else, within the caller's
/// jurisdiction and never an accusation from inside the accused unit (Art. 30 ¶3); pages follow each other
/// without duplicates or gaps; bad input is a 400 in Chinese. Every test writes its own rare characters into
/// titles and contents so that the petitions of the other tests in the class never match.
/// </summary>
public abstract class SearchTests(XinfangFactory factory)
{
    // Characters that no fixture text uses: a tag of them is unique to the test that made it.
    const string Rare = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鑫垚淼焱犇骉麤靐龘嫑嘦孬奣兲巭氼";
    static readonly Random Random = new();
    static readonly Lock Gate = new();

    static string Tag(int length)
    {
        lock (Gate) return new string(Enumerable.Range(0, length).Select(_ => Rare[Random.Next(Rare.Length)]).ToArray());
    }

    async Task<World> WorldAsync()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2026-03-02T10:00:00+08:00");
        return w;
    }

    static async Task<string> RegisterAsync(World w, string title, Action<JsonObject>? change = null, Api? by = null) =>
        Id(await w.RegisterAsync(by, Petition(title, change)));

    static Task<Reply> SearchAsync(Api api, string query) => api.GetAsync("/api/v1/petitions/search?" + query);

    static async Task<IReadOnlyList<string>> FoundAsync(Api api, string query) => Ids(await SearchAsync(api, query + "&limit=500"));

    static string Q(string value) => Uri.EscapeDataString(value);

    [Fact]
    public async Task Search_by_number_finds_only_that_petition()
    {
        var w = await WorldAsync();
        var a = await w.RegisterAsync(body: Petition("编号查询" + Tag(4)));
        await RegisterAsync(w, "编号查询" + Tag(4));

        (await FoundAsync(w.Clerk, "number=" + Q(a["number"]!.ToString()))).ShouldBe([Id(a)]);
        (await FoundAsync(w.Clerk, "number=320583-1999-999999")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_by_petitioner_name_phone_or_id_number_finds_exact_matches_only()
    {
        var w = await WorldAsync();
        var name = "王" + Tag(3);
        var body = Petition("当事人查询" + Tag(4), b => b["petitioners"]![0]!["name"] = name);
        var phone = body["petitioners"]![0]!["phone"]!.ToString();
        var idNumber = body["petitioners"]![0]!["idNumber"]!.ToString();
        var mine = Id(await w.RegisterAsync(body: body));
        var other = await RegisterAsync(w, "当事人查询" + Tag(4), b => b["petitioners"]![0]!["name"] = name + "甲");

        (await FoundAsync(w.Clerk, "name=" + Q(name))).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, "name=" + Q(" " + name + " "))).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, "name=" + Q(name[..2]))).ShouldNotContain(mine); // exact, not a prefix
        (await FoundAsync(w.Clerk, "phone=" + phone)).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, "phone=13000000001")).ShouldBeEmpty();
        (await FoundAsync(w.Clerk, "idNumber=" + idNumber)).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, "idNumber=" + idNumber.ToLowerInvariant())).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, "idNumber=11010519491231002X")).ShouldNotContain(mine);
        (await FoundAsync(w.Clerk, $"name={Q(name)}&phone={phone}")).ShouldBe([mine]);
        (await FoundAsync(w.Clerk, $"name={Q(name + "甲")}&phone={phone}")).ShouldBeEmpty();
        (await FoundAsync(w.Clerk, "name=" + Q(name + "甲"))).ShouldBe([other]);
    }

    [Fact]
    public async Task Search_text_of_three_or_more_characters_finds_substrings_of_title_or_content()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        var inTitle = await RegisterAsync(w, $"小区{tag}停车难");
        var inContent = await RegisterAsync(w, "物业问题" + Tag(4), b => b["content"] = $"诉求：整改。事实：{tag}长期占用消防通道。理由：安全隐患。");
        var neither = await RegisterAsync(w, "物业问题" + Tag(4));

        var found = await FoundAsync(w.Clerk, "text=" + Q(tag));
        found.ShouldBe([inContent, inTitle]); // newest first
        (await FoundAsync(w.Clerk, "text=" + Q(tag[1..4]))).ShouldBe([inContent, inTitle]);
        (await FoundAsync(w.Clerk, "text=" + Q(tag + "停车难"))).ShouldBe([inTitle]);
        (await FoundAsync(w.Clerk, "text=" + Q($"{tag} 消防通道"))).ShouldBe([inContent]); // every word must occur
        (await FoundAsync(w.Clerk, "text=" + Q($"{tag} 停车"))).ShouldBe([inTitle]); // a long and a short word
        (await FoundAsync(w.Clerk, "text=" + Q(tag + "子丑寅"))).ShouldNotContain(inTitle);
        found.ShouldNotContain(neither);
    }

    [Fact]
    public async Task Search_text_of_one_or_two_characters_finds_substrings_in_the_recent_window()
    {
        var w = await WorldAsync();
        var tag = Tag(2);
        var inTitle = await RegisterAsync(w, $"短词{tag}查询");
        var inContent = await RegisterAsync(w, "短词查询" + Tag(4), b => b["content"] = $"诉求：{tag[0]}x{tag[1]}，又{tag}。事实：无。理由：无。");
        var neither = await RegisterAsync(w, "短词查询");

        var two = await FoundAsync(w.Clerk, "text=" + Q(tag));
        two.ShouldContain(inTitle);
        two.ShouldContain(inContent);
        two.ShouldNotContain(neither);
        var one = await FoundAsync(w.Clerk, "text=" + Q(tag[..1]));
        one.ShouldContain(inTitle);
        one.ShouldContain(inContent);
        one.ShouldNotContain(neither);
        (await FoundAsync(w.Clerk, "text=%25")).ShouldNotContain(neither); // wildcards are literal
    }

    [Fact]
    public async Task Search_by_status_warning_unit_category_channel_and_dates_filters_accordingly()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        var visit = await RegisterAsync(w, "筛选" + tag, b => { b["receivedAt"] = "2026-02-10T09:00:00+08:00"; });
        var letter = await RegisterAsync(w, "筛选" + tag, b => { b["channel"] = "letter"; b["categoryCode"] = "0201"; b["receivedAt"] = "2026-02-20T23:30:00+08:00"; });
        var forwarded = await RegisterAsync(w, "筛选" + tag, b => { b["receivedAt"] = "2026-03-01T00:10:00+08:00"; });
        (await w.Clerk.PostAsync($"/api/v1/petitions/{forwarded}/forward", new { unitId = w.CountyHousing, note = "请处理" })).Expect(HttpStatusCode.OK);
        var text = "text=" + Q(tag);

        (await FoundAsync(w.Clerk, text)).ShouldBe([forwarded, letter, visit]);
        (await FoundAsync(w.Clerk, text + "&status=forwarded")).ShouldBe([forwarded]);
        (await FoundAsync(w.Clerk, text + "&status=registered")).ShouldBe([letter, visit]);
        // Received three weeks ago, the visit's disposal clock already warns; each warning finds its own.
        var warnings = (await SearchAsync(w.Clerk, text)).Json["items"]!.AsArray().ToDictionary(p => p!["id"]!.ToString(), p => p!["warning"]!.ToString());
        warnings[visit].ShouldNotBe("none");
        foreach (var level in new[] { "none", "yellow", "red" })
            (await FoundAsync(w.Clerk, text + "&warning=" + level)).ShouldBe(new[] { forwarded, letter, visit }.Where(id => warnings[id] == level).ToList(), level);
        (await FoundAsync(w.Clerk, text + "&channel=letter")).ShouldBe([letter]);
        (await FoundAsync(w.Clerk, text + "&categoryCode=02")).ShouldBe([letter]);
        (await FoundAsync(w.Clerk, text + "&categoryCode=0102")).ShouldBe([forwarded, visit]);
        (await FoundAsync(w.Clerk, text + "&categoryCode=01")).ShouldBe([forwarded, visit]);
        (await FoundAsync(w.Clerk, text + "&receivedFrom=2026-02-11")).ShouldBe([forwarded, letter]);
        (await FoundAsync(w.Clerk, text + "&receivedTo=2026-02-20")).ShouldBe([letter, visit]); // the whole China day
        (await FoundAsync(w.Clerk, text + "&receivedFrom=2026-02-20&receivedTo=2026-02-28")).ShouldBe([letter]);
        (await FoundAsync(w.Clerk, text + "&receivedFrom=2026-03-01&status=forwarded&channel=visit&categoryCode=01")).ShouldBe([forwarded]);
        (await FoundAsync(w.Clerk, "status=forwarded&categoryCode=0102&receivedFrom=2026-03-01&receivedTo=2026-03-01")).ShouldContain(forwarded);

        // The county government searches as its housing department: only what reached that unit.
        var county = await UserAsync(w, w.County, "supervisor");
        (await FoundAsync(county, text)).ShouldBe([forwarded, letter, visit]);
        (await FoundAsync(county, text + "&unitId=" + w.CountyHousing)).ShouldBe([forwarded]);
        (await FoundAsync(w.Worker, text)).ShouldBe([forwarded]);
        (await SearchAsync(w.Worker, text + "&unitId=" + w.CountyBureau)).Status.ShouldBe(HttpStatusCode.NotFound); // a sibling
    }

    [Theory]
    [InlineData("text", 5)]
    [InlineData("text", 2)]
    [InlineData("name", 3)]
    [InlineData("name and text", 3)]
    [InlineData("filters", 0)]
    public async Task Search_following_cursors_visits_every_match_once_newest_first(string by, int length)
    {
        var w = await WorldAsync();
        var tag = Tag(Math.Max(length, 3));
        var term = by == "text" ? tag[..length] : tag;
        // The filters case is the only one on that day with that channel.
        var day = by == "filters" ? "2026-01-15" : "2026-01-05";
        var query = by switch
        {
            "text" => "text=" + Q(term),
            "name" => "name=" + Q("李" + tag),
            "name and text" => $"name={Q("李" + tag)}&text={Q("翻页" + tag)}",
            _ => $"channel=fax&receivedFrom={day}&receivedTo={day}",
        };
        var registered = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            if (i == 3) await w.SetClockAsync("2026-03-02T10:00:05+08:00"); // three in one instant, then four in another
            registered.Add(await RegisterAsync(w, $"翻页{term}第{i}件", b =>
            {
                b["petitioners"]![0]!["name"] = "李" + tag;
                b["channel"] = "fax";
                b["receivedAt"] = day + "T12:00:00+08:00";
            }));
        }
        registered.Reverse();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await SearchAsync(w.Clerk, query + "&limit=3" + (cursor is null ? "" : "&cursor=" + Q(cursor)))).Expect(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray().Select(p => p!["id"]!.ToString()).ToList();
            items.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(items);
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        } while (cursor is not null && pages < 100);

        seen.ShouldBeUnique();
        if (length == 2)
        {
            // Two characters of rare ones could still occur in another test's text: ours all come, in order.
            seen.Where(registered.Contains).ShouldBe(registered);
            return;
        }
        seen.ShouldBe(registered); // newest first, none skipped
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task Search_outside_the_jurisdiction_finds_nothing()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        var body = Petition("辖区外" + tag);
        var petition = await w.RegisterAsync(body: body);

        (await FoundAsync(w.Clerk, "text=" + Q(tag))).ShouldBe([Id(petition)]);
        (await FoundAsync(w.OtherClerk, "text=" + Q(tag))).ShouldBeEmpty();
        (await FoundAsync(w.OtherClerk, "text=" + Q(tag[..2]))).ShouldNotContain(Id(petition));
        (await FoundAsync(w.OtherClerk, "number=" + Q(petition["number"]!.ToString()))).ShouldBeEmpty();
        (await FoundAsync(w.OtherClerk, "phone=" + body["petitioners"]![0]!["phone"])).ShouldBeEmpty();
        (await FoundAsync(w.Worker, "text=" + Q(tag))).ShouldBeEmpty(); // not forwarded to the housing department
        (await SearchAsync(w.OtherClerk, "text=" + Q(tag) + "&unitId=" + w.CountyBureau)).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_from_inside_the_accused_unit_never_finds_the_accusation()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        // The county bureau's clerk is inside the county government's subtree: the accused.
        var body = Accusation(w.County, "举报" + tag + "违规审批");
        var accusation = await w.RegisterAsync(body: body);
        var id = Id(accusation);
        var phone = body["petitioners"]![0]!["phone"]!.ToString();
        var queries = new[]
        {
            "text=" + Q(tag), "text=" + Q("收受开发商财物"), "text=" + Q(tag[..2]), "number=" + Q(accusation["number"]!.ToString()),
            "phone=" + phone, "idNumber=" + body["petitioners"]![0]!["idNumber"], "status=registered", "categoryCode=06",
        };
        var countyGov = await UserAsync(w, w.County, "unitLeader");
        foreach (var q in queries)
        {
            (await FoundAsync(w.Clerk, q)).ShouldNotContain(id, q);
            (await FoundAsync(countyGov, q)).ShouldNotContain(id, q);
        }
        // Above the accused unit it is found.
        var cityGov = await UserAsync(w, w.City, "supervisor");
        foreach (var q in queries) (await FoundAsync(cityGov, q)).ShouldContain(id, q);
    }

    [Fact]
    public async Task Search_with_bad_input_answers_400_with_chinese_messages()
    {
        var w = await WorldAsync();
        var cases = new (string Query, string Field)[]
        {
            ("idNumber=110105194912310021", "idNumber"), ("phone=12ab", "phone"), ("receivedFrom=2026-13-01", "receivedFrom"),
            ("receivedTo=20260301", "receivedTo"), ("receivedFrom=2026-03-02&receivedTo=2026-03-01", "receivedTo"),
            ("cursor=%21%21%21", "cursor"), ("cursor=" + Q(Convert.ToBase64String("x|1"u8.ToArray())), "cursor"),
            ("status=unknown", "status"), ("warning=orange", "warning"), ("channel=pigeon", "channel"),
            ("categoryCode=" + Q("01'--"), "categoryCode"), ("limit=0", "limit"), ("limit=501", "limit"),
            ("text=" + Q(new string('字', 101)), "text"), ("text=" + Q("一 二 三 四 五 六"), "text"),
        };
        foreach (var (query, field) in cases)
        {
            var r = await SearchAsync(w.Clerk, query);
            r.Status.ShouldBe(HttpStatusCode.BadRequest, query + " " + r);
            r.MediaType.ShouldBe("application/problem+json");
            var message = r.Json["errors"]![field]![0]!.ToString();
            message.ShouldMatch(@"\p{IsCJKUnifiedIdeographs}", query);
        }
        // A cursor of one kind of search is refused by another (full text on SQLite pages by index key).
        var tag = Tag(5);
        await RegisterAsync(w, "游标" + tag);
        await RegisterAsync(w, "游标" + tag);
        var next = (await SearchAsync(w.Clerk, "text=" + Q(tag) + "&limit=1")).Expect(HttpStatusCode.OK).Json["nextCursor"]!.ToString();
        if (factory.Provider == Provider.Sqlite)
            (await SearchAsync(w.Clerk, "status=registered&cursor=" + Q(next))).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_by_administrator_is_forbidden_and_without_token_unauthenticated()
    {
        var w = await WorldAsync();
        var r = await SearchAsync(w.Admin, "text=" + Q("阳光花园"));
        r.Status.ShouldBe(HttpStatusCode.Forbidden);
        r.ProblemType.ShouldBe("/problems/forbidden");
        (await new Api(factory.CreateClient()).GetAsync("/api/v1/petitions/search?text=abc")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Search_index_stays_in_step_after_registration_and_after_a_workflow_step()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        var id = await RegisterAsync(w, "同步" + tag);
        (await FoundAsync(w.Clerk, "text=" + Q(tag))).ShouldBe([id]);
        (await FoundAsync(w.Clerk, "text=" + Q(tag) + "&status=registered")).ShouldBe([id]);

        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请处理" })).Expect(HttpStatusCode.OK);
        (await FoundAsync(w.Clerk, "text=" + Q(tag) + "&status=registered")).ShouldBeEmpty();
        (await FoundAsync(w.Clerk, "text=" + Q(tag) + "&status=forwarded")).ShouldBe([id]);
        (await FoundAsync(w.Worker, "text=" + Q(tag) + "&status=forwarded")).ShouldBe([id]); // the new holder finds it at once
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        (await FoundAsync(w.Worker, "text=" + Q(tag) + "&status=accepted")).ShouldBe([id]);
    }

    [Fact]
    public async Task Migrating_0004_over_existing_petitions_makes_them_searchable()
    {
        var w = await WorldAsync();
        var tag = Tag(5);
        var id = await RegisterAsync(w, "迁移前" + tag);
        using (var scope = factory.Services.CreateScope())
        {
            // Back to the schema before 0004, the petition staying; then migrate again. (0004's index on petitioners.name
            // is already gone: 0008 replaced it with the blind index name_key.)
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var undo = db.IsSqlite
                ? new[] { "DROP TRIGGER petitions_search_insert", "DROP TRIGGER petitions_search_update", "DROP TRIGGER petitions_search_delete",
                    "DROP TABLE petition_search", "DROP TABLE petition_search_keys" }
                : ["DROP INDEX ix_petitions_title_trgm", "DROP INDEX ix_petitions_content_trgm"];
            foreach (var sql in undo.Append("DELETE FROM schema_migrations WHERE id = '0004_search'")) await db.Database.ExecuteSqlRawAsync(sql);
            (await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync()).ShouldBe(["0004_search"]);
        }

        (await FoundAsync(w.Clerk, "text=" + Q(tag))).ShouldBe([id]);
        var later = await RegisterAsync(w, "迁移后" + tag);
        (await FoundAsync(w.Clerk, "text=" + Q(tag))).ShouldBe([later, id]);
    }
}

public sealed class SearchTests_Sqlite(SqliteFactory f) : SearchTests(f), IClassFixture<SqliteFactory>;
public sealed class SearchTests_Postgres(PostgresFactory f) : SearchTests(f), IClassFixture<PostgresFactory>;
