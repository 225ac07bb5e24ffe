using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>Lists: ?limit= and ?cursor= walk a unit's petitions newest first, each exactly once; bad paging is a 400.</summary>
public abstract class ListTests(XinfangFactory factory)
{
    /// <summary>Seven petitions registered in a known order: five a second apart, then two in the same instant.</summary>
    async Task<List<string>> RegisterSevenAsync(World w, string day)
    {
        var ids = new List<string>();
        for (var i = 1; i <= 7; i++)
        {
            await w.SetClockAsync($"{day}T08:00:0{Math.Min(i, 6)}+08:00");
            ids.Add((await w.RegisterFreshAsync())["id"]!.ToString());
        }
        return ids;
    }

    static async Task<(List<JsonNode> Items, int Pages)> WalkAsync(Api api, int limit)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var path = $"/api/v1/petitions?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = (await api.GetAsync(path)).Expect(HttpStatusCode.OK).Json;
            var got = page["items"]!.AsArray();
            got.Count.ShouldBeLessThanOrEqualTo(limit);
            items.AddRange(got.Select(i => i!));
            cursor = page["nextCursor"]?.GetValue<string>();
            if (cursor is not null) got.Count.ShouldBe(limit);
            pages++;
        } while (cursor is not null && pages < 1000);
        return (items, pages);
    }

    [Fact]
    public async Task List_limit_2_returns_2_items_and_next_cursor()
    {
        var w = await World.OfAsync(factory);
        await RegisterSevenAsync(w, "2025-06-02");

        var page = (await w.Clerk.GetAsync("/api/v1/petitions?limit=2")).Expect(HttpStatusCode.OK).Json;

        page["items"]!.AsArray().Count.ShouldBe(2);
        page["nextCursor"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task List_following_cursors_visits_every_petition_once_newest_first(int limit)
    {
        var w = await World.OfAsync(factory);
        var mine = await RegisterSevenAsync(w, $"2025-07-0{limit}");

        var (walked, pages) = await WalkAsync(w.Clerk, limit);

        var all = (await w.Clerk.GetAsync("/api/v1/petitions?limit=500")).Expect(HttpStatusCode.OK).Json;
        all["nextCursor"].ShouldBeNull();
        var expected = all["items"]!.AsArray().Select(i => i!["id"]!.ToString()).ToList();
        var ids = walked.Select(i => i["id"]!.ToString()).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count, "a petition came twice");
        ids.ShouldBe(expected);
        pages.ShouldBe((expected.Count + limit - 1) / limit, $"{expected.Count} items in pages of {limit}");
        // Newest registration first; the seven of this test in the reverse of the order they were registered.
        var at = walked.Select(i => DateTimeOffset.Parse(i["registeredAt"]!.ToString())).ToList();
        for (var i = 1; i < at.Count; i++) at[i].ShouldBeLessThanOrEqualTo(at[i - 1]);
        ids.Where(mine.Contains).ShouldBe(Enumerable.Reverse(mine));
    }

    [Fact]
    public async Task List_cursor_stays_valid_when_newer_petitions_arrive_during_the_walk()
    {
        var w = await World.OfAsync(factory);
        await RegisterSevenAsync(w, "2025-08-01");
        var before = (await w.Clerk.GetAsync("/api/v1/petitions?limit=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(i => i!["id"]!.ToString()).ToList();

        var first = (await w.Clerk.GetAsync("/api/v1/petitions?limit=3")).Expect(HttpStatusCode.OK).Json;
        await w.SetClockAsync("2025-12-31T08:00:00+08:00");
        var newer = (await w.RegisterFreshAsync())["id"]!.ToString();
        var rest = new List<string>();
        var cursor = first["nextCursor"]!.GetValue<string>();
        while (cursor is not null)
        {
            var page = (await w.Clerk.GetAsync($"/api/v1/petitions?limit=3&cursor={Uri.EscapeDataString(cursor)}")).Expect(HttpStatusCode.OK).Json;
            rest.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.ToString()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }

        first["items"]!.AsArray().Select(i => i!["id"]!.ToString()).Concat(rest).ShouldBe(before);
        rest.ShouldNotContain(newer);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    public async Task List_limit_out_of_range_400_on_limit(string limit)
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync($"/api/v1/petitions?limit={limit}")).ShouldNameFields("limit");
    }

    [Fact]
    public async Task List_limit_500_and_default_200()
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync("/api/v1/petitions?limit=500")).Expect(HttpStatusCode.OK);
        var page = (await w.Clerk.GetAsync("/api/v1/petitions")).Expect(HttpStatusCode.OK).Json;
        page["items"]!.AsArray().Count.ShouldBeLessThanOrEqualTo(50);
        page.AsObject().ContainsKey("nextCursor").ShouldBeTrue();
    }

    [Fact]
    public async Task List_limit_not_a_number_400_problem()
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync("/api/v1/petitions?limit=many")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("%%%")]
    [InlineData("YWJj")]                       // "abc": no separator
    [InlineData("LTV8eA")]                     // "-5|x": ticks out of range
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTl8eA")] // "99999999999999999999|x": overflow
    public async Task List_garbage_cursor_400_on_cursor(string cursor)
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync($"/api/v1/petitions?limit=2&cursor={Uri.EscapeDataString(cursor)}")).ShouldNameFields("cursor");
    }

    [Fact]
    public async Task List_unknown_status_or_warning_400_naming_them()
    {
        var w = await World.OfAsync(factory);

        (await w.Clerk.GetAsync("/api/v1/petitions?status=lost&warning=purple")).ShouldNameFields("status", "warning");
    }
}

public sealed class ListTests_Sqlite(SqliteFactory f) : ListTests(f), IClassFixture<SqliteFactory>;
public sealed class ListTests_Postgres(PostgresFactory f) : ListTests(f), IClassFixture<PostgresFactory>;
