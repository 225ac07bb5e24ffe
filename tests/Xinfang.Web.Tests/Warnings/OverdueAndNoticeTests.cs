using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Warnings.WarningsKit;

namespace Xinfang.Web.Tests.Warnings;

/// <summary>
/// Warnings over HTTP with the controllable clock: a handling clock configured to warn five working days ahead
/// turns yellow, then red; the holding unit is told once per colour; a county supervisor sees the matter on the
/// overdue list of the county and in the counts by unit; nobody outside the county does.
/// </summary>
public abstract class OverdueAndNoticeTests(WarningsFactory factory)
{
    [Fact]
    public async Task Letting_handling_clock_run_out_sends_one_yellow_then_one_red_notice_to_holding_unit_and_lists_matter_as_overdue()
    {
        var kit = await OfAsync(factory);
        var w = kit.World;
        var id = await AcceptedMatterAsync(w, "逾期预警测试：物业维修基金");
        var number = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK)["number"];

        // Thursday 13 November: six working days left (14, 17–21) — nothing yet, even after full passes.
        await w.SetClockAsync("2025-11-13T10:00:00+08:00");
        await SweepAsync(factory);
        (await NoticesAsync(w.Worker)).ShouldNotContain(n => n["petitionId"]!.ToString() == id);

        // Friday 14 November: five working days left — yellow under Workflow:Warnings:handle = 5 (the default would be 3).
        await w.SetClockAsync("2025-11-14T10:00:00+08:00");
        var yellow = await WaitForNoticeAsync(w.Worker, id, "clockWarning");
        yellow["title"]!.ToString().ShouldContain(number);
        yellow["title"]!.ToString().ShouldContain("办理期限");
        yellow["link"]!.ToString().ShouldBe($"/staff/petitions/{id}");
        yellow["readAt"].ShouldBeNull();
        var petition = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        petition["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == "handle")!["warning"]!.ToString().ShouldBe("yellow");
        var nearly = (await OverdueAsync(kit.CountySupervisor, "warning=yellow")).Single(i => i["petitionId"]!.ToString() == id);
        nearly["workingDaysLeft"]!.GetValue<int>().ShouldBe(5);
        nearly["daysOverdue"]!.GetValue<int>().ShouldBe(0);
        (await OverdueAsync(kit.CountySupervisor)).ShouldNotContain(i => i["petitionId"]!.ToString() == id);
        // The notice goes to the unit holding the matter, not to the bureau that forwarded it.
        (await NoticesAsync(w.Clerk)).ShouldNotContain(n => n["petitionId"]!.ToString() == id);

        // Monday 24 November: past Friday's due date — red.
        await w.SetClockAsync("2025-11-24T09:00:00+08:00");
        var red = await WaitForNoticeAsync(w.Worker, id, "overdue");
        red["title"]!.ToString().ShouldContain("已逾期");
        // More passes (as a rerun, or another node, would make) tell nobody twice.
        await SweepAsync(factory);
        await SweepAsync(factory);
        var about = (await NoticesAsync(w.Worker)).Where(n => n["petitionId"]!.ToString() == id).ToList();
        about.Count(n => n["kind"]!.ToString() == "clockWarning").ShouldBe(1);
        about.Count(n => n["kind"]!.ToString() == "overdue").ShouldBe(1);

        var late = (await OverdueAsync(kit.CountySupervisor)).Single(i => i["petitionId"]!.ToString() == id);
        late["number"]!.ToString().ShouldBe(number);
        late["clock"]!.ToString().ShouldBe("handle");
        late["dueOn"]!.ToString().ShouldBe("2025-11-21");
        late["warning"]!.ToString().ShouldBe("red");
        late["daysOverdue"]!.GetValue<int>().ShouldBe(3);
        late["workingDaysOverdue"]!.GetValue<int>().ShouldBe(1);
        late["holdingUnitId"]!.ToString().ShouldBe(w.CountyHousing.ToString());
        late["holdingUnitName"]!.ToString().ShouldBe("昆山市住房和城乡建设局");
        (await OverdueAsync(kit.CountySupervisor, "clock=handle")).ShouldContain(i => i["petitionId"]!.ToString() == id);
        (await OverdueAsync(kit.CountySupervisor, "clock=dispose")).ShouldNotContain(i => i["petitionId"]!.ToString() == id);
        (await OverdueAsync(kit.CountySupervisor, $"unitId={w.CountyHousing}")).ShouldContain(i => i["petitionId"]!.ToString() == id);
        (await OverdueAsync(w.Worker)).ShouldContain(i => i["petitionId"]!.ToString() == id);

        var counts = (await kit.CountySupervisor.GetAsync("/api/v1/overdue/by-unit")).Expect(HttpStatusCode.OK).Json;
        var housing = counts["items"]!.AsArray().Single(c => c!["unitId"]!.ToString() == w.CountyHousing.ToString())!;
        housing["red"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
        counts["red"]!.GetValue<int>().ShouldBe(counts["items"]!.AsArray().Sum(c => c!["red"]!.GetValue<int>()));

        // The other county sees neither the matter nor a count for the unit holding it.
        (await OverdueAsync(w.OtherClerk, "warning=all")).ShouldNotContain(i => i["petitionId"]!.ToString() == id);
        (await w.OtherClerk.GetAsync("/api/v1/overdue/by-unit")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .ShouldNotContain(c => c!["unitId"]!.ToString() == w.CountyHousing.ToString());
    }

    [Fact]
    public async Task Listing_overdue_for_unit_outside_callers_subtree_answers_404()
    {
        var kit = await OfAsync(factory);
        var w = kit.World;
        (await kit.CountySupervisor.GetAsync($"/api/v1/overdue?unitId={w.OtherCounty}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await kit.CountySupervisor.GetAsync($"/api/v1/overdue/by-unit?unitId={w.City}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.Worker.GetAsync($"/api/v1/overdue?unitId={w.CountyBureau}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await kit.CountySupervisor.GetAsync($"/api/v1/overdue?unitId={Guid.NewGuid()}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await kit.CountySupervisor.GetAsync($"/api/v1/overdue?unitId={w.CountyHousing}")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("warning=orange", "warning")]
    [InlineData("clock=soon", "clock")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=%21%21", "cursor")]
    public async Task Listing_overdue_with_bad_filter_answers_400_naming_the_field(string query, string field)
    {
        var kit = await OfAsync(factory);
        var r = await kit.CountySupervisor.GetAsync("/api/v1/overdue?" + query);
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.MediaType.ShouldBe("application/problem+json");
        r.Json["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task Listing_overdue_one_per_page_follows_cursor_most_overdue_first_without_repeats()
    {
        var kit = await OfAsync(factory);
        var w = kit.World;
        var first = await AcceptedMatterAsync(w, "分页测试：逾期较久");
        await w.SetClockAsync("2025-09-26T10:00:00+08:00");
        var later = (await w.RegisterAsync(body: Fresh("分页测试：逾期较短")))["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{later}/forward", new { unitId = w.CountyHousing, note = "请处理" })).Expect(HttpStatusCode.OK);
        (await w.Worker.PostAsync($"/api/v1/petitions/{later}/accept", new { route = 6 })).Expect(HttpStatusCode.OK); // due 25 November
        await w.SetClockAsync("2025-12-01T09:00:00+08:00");
        await SweepAsync(factory);

        var seen = new List<JsonNode>();
        string? cursor = null;
        for (var i = 0; i < 1000; i++)
        {
            var page = (await kit.CountySupervisor.GetAsync("/api/v1/overdue?limit=1" + (cursor is null ? "" : "&cursor=" + cursor))).Expect(HttpStatusCode.OK).Json;
            page["items"]!.AsArray().Count.ShouldBeLessThanOrEqualTo(1);
            seen.AddRange(page["items"]!.AsArray().Select(x => x!));
            cursor = page["nextCursor"]?.ToString();
            if (string.IsNullOrEmpty(cursor)) break;
        }
        var ids = seen.Select(x => x["petitionId"]!.ToString()).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count);
        ids.IndexOf(first).ShouldBeLessThan(ids.IndexOf(later));
        ids.IndexOf(first).ShouldBeGreaterThanOrEqualTo(0);
        var dues = seen.Select(x => DateOnly.Parse(x["dueOn"]!.ToString())).ToList();
        dues.ShouldBe(dues.Order().ToList());
    }
}

public sealed class OverdueAndNoticeTests_Sqlite(WarningsSqliteFactory f) : OverdueAndNoticeTests(f), IClassFixture<WarningsSqliteFactory>;
public sealed class OverdueAndNoticeTests_Postgres(WarningsPostgresFactory f) : OverdueAndNoticeTests(f), IClassFixture<WarningsPostgresFactory>;
