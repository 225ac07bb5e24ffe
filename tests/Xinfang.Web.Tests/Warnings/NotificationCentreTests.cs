using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Warnings.WarningsKit;

namespace Xinfang.Web.Tests.Warnings;

/// <summary>
/// The notification centre over HTTP: a unit's notices are seen by everyone working there and read once for all;
/// another unit's notice cannot be listed nor marked; the count follows; read-all empties it.
/// </summary>
public abstract class NotificationCentreTests(WarningsFactory factory)
{
    /// <summary>An urgent registration at the county bureau: a notice to the city bureau, one level up (Art. 25).</summary>
    static async Task<string> UrgentMatterAsync(World w, string title) =>
        (await w.RegisterAsync(body: Fresh(title, b => b["urgent"] = true)))["id"]!.ToString();

    [Fact]
    public async Task Reading_units_notice_marks_it_read_for_everyone_there_and_other_units_cannot_touch_it()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync("2026-01-05T10:00:00+08:00");
        var id = await UrgentMatterAsync(w, "消息测试：燃气泄漏隐患");
        var before = (await w.CityClerk.GetAsync("/api/v1/notifications/count")).Expect(HttpStatusCode.OK).Json["unread"]!.GetValue<int>();
        before.ShouldBeGreaterThanOrEqualTo(1);
        var notice = (await NoticesAsync(w.CityClerk, unread: true)).Single(n => n["petitionId"]!.ToString() == id && n["kind"]!.ToString() == "urgentReport");
        var noticeId = notice["id"]!.ToString();
        // The analyst of the same bureau sees the unit's notice too.
        (await NoticesAsync(w.Analyst)).ShouldContain(n => n["id"]!.ToString() == noticeId);
        // The county bureau that reported it neither sees nor marks the city's notice.
        (await NoticesAsync(w.Clerk)).ShouldNotContain(n => n["id"]!.ToString() == noticeId);
        (await w.Clerk.PostAsync($"/api/v1/notifications/{noticeId}/read", null)).Status.ShouldBe(HttpStatusCode.NotFound);

        var read = (await w.Analyst.PostAsync($"/api/v1/notifications/{noticeId}/read", null)).Expect(HttpStatusCode.OK).Json;
        read["readAt"].ShouldNotBeNull();
        (await w.Analyst.PostAsync($"/api/v1/notifications/{noticeId}/read", null)).Expect(HttpStatusCode.OK)["readAt"].ShouldBe(read["readAt"]!.ToString());
        (await NoticesAsync(w.CityClerk, unread: true)).ShouldNotContain(n => n["id"]!.ToString() == noticeId);
        (await NoticesAsync(w.CityClerk)).Single(n => n["id"]!.ToString() == noticeId)["readAt"].ShouldNotBeNull();
        (await w.CityClerk.GetAsync("/api/v1/notifications/count")).Expect(HttpStatusCode.OK).Json["unread"]!.GetValue<int>().ShouldBe(before - 1);
    }

    [Fact]
    public async Task Reading_all_notices_leaves_none_unread_and_counts_what_it_marked()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync("2026-01-06T10:00:00+08:00");
        await UrgentMatterAsync(w, "消息测试：一");
        await UrgentMatterAsync(w, "消息测试：二");
        var unread = (await w.CityClerk.GetAsync("/api/v1/notifications/count")).Expect(HttpStatusCode.OK).Json["unread"]!.GetValue<int>();
        unread.ShouldBeGreaterThanOrEqualTo(2);

        var marked = (await w.CityClerk.PostAsync("/api/v1/notifications/read-all", null)).Expect(HttpStatusCode.OK).Json["marked"]!.GetValue<int>();

        marked.ShouldBe(unread);
        (await w.CityClerk.GetAsync("/api/v1/notifications/count")).Expect(HttpStatusCode.OK).Json["unread"]!.GetValue<int>().ShouldBe(0);
        (await NoticesAsync(w.CityClerk, unread: true)).ShouldBeEmpty();
        (await NoticesAsync(w.CityClerk)).Count.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Listing_notices_one_per_page_follows_cursor_newest_first_without_repeats()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync("2026-01-07T10:00:00+08:00");
        for (var i = 0; i < 3; i++) await UrgentMatterAsync(w, $"分页消息{i}");
        var all = await NoticesAsync(w.CityClerk);
        var paged = new List<string>();
        string? cursor = null;
        for (var i = 0; i < 1000; i++)
        {
            var page = (await w.CityClerk.GetAsync("/api/v1/notifications?limit=1" + (cursor is null ? "" : "&cursor=" + cursor))).Expect(HttpStatusCode.OK).Json;
            paged.AddRange(page["items"]!.AsArray().Select(n => n!["id"]!.ToString()));
            cursor = page["nextCursor"]?.ToString();
            if (string.IsNullOrEmpty(cursor)) break;
        }
        paged.ShouldBe(all.Select(n => n["id"]!.ToString()).ToList());
        paged.Distinct().Count().ShouldBe(paged.Count);
        var times = all.Select(n => DateTimeOffset.Parse(n["createdAt"]!.ToString())).ToList();
        times.ShouldBe(times.OrderDescending().ToList());
    }

    [Fact]
    public async Task Opening_notice_on_the_page_reads_it_and_leads_where_it_points_with_the_badge_gone()
    {
        var w = (await OfAsync(factory)).World;
        await w.SetClockAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("O"));
        (await w.CityClerk.PostAsync("/api/v1/notifications/read-all", null)).Expect(HttpStatusCode.OK);
        var id = await UrgentMatterAsync(w, "页面消息测试");
        var noticeId = (await NoticesAsync(w.CityClerk, unread: true)).Single(n => n["petitionId"]!.ToString() == id)["id"]!.ToString();
        var browser = await PageClient.SignInAsync(factory, "city-clerk");

        var list = (await browser.GetAsync("/staff/notifications?unread=1")).Expect(HttpStatusCode.OK);
        list.Doc.GetElementById("unread-count")!.TextContent.ShouldBe("1");
        list.Doc.QuerySelector("#notices")!.TextContent.ShouldContain("重大紧急事项报告");
        var opened = await browser.PostAsync($"/staff/notifications/{noticeId}/read", new() { ["open"] = "1" });

        opened.Status.ShouldBe(HttpStatusCode.Redirect);
        opened.Location.ShouldBe("/staff/urgent");
        var queue = (await browser.GetAsync(opened.Location!)).Expect(HttpStatusCode.OK);
        queue.Doc.GetElementById("unread-count").ShouldBeNull();
        queue.Doc.QuerySelector("header nav")!.TextContent.ShouldNotContain("@");
        queue.Doc.QuerySelector("#urgent-reports")!.TextContent.ShouldContain("页面消息测试");
        (await NoticesAsync(w.CityClerk, unread: true)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=abc", "cursor")]
    public async Task Listing_notices_with_bad_paging_answers_400_naming_the_field(string query, string field)
    {
        var w = (await OfAsync(factory)).World;
        var r = await w.CityClerk.GetAsync("/api/v1/notifications?" + query);
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Json["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task Reading_notices_as_system_administrator_is_refused_with_403()
    {
        var w = (await OfAsync(factory)).World;
        (await w.Admin.GetAsync("/api/v1/notifications")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await w.Admin.GetAsync("/api/v1/notifications/count")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class NotificationCentreTests_Sqlite(WarningsSqliteFactory f) : NotificationCentreTests(f), IClassFixture<WarningsSqliteFactory>;
public sealed class NotificationCentreTests_Postgres(WarningsPostgresFactory f) : NotificationCentreTests(f), IClassFixture<WarningsPostgresFactory>;
