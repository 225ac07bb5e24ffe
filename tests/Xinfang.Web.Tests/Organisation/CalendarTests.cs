using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Security.Staffing;

namespace Xinfang.Web.Tests.Organisation;

/// <summary>
/// The work calendar as data (domain.md, "The deadlines"): the built-in State Council notices, and an
/// administrator's import of the next notice in the holiday-cn JSON shape. Each test uses its own year, since
/// an import is permanent for the store the tests of a class share.
/// </summary>
public abstract class CalendarTests(XinfangFactory factory)
{
    static JsonNode Day(JsonNode year, string date) =>
        year["days"]!.AsArray().SingleOrDefault(d => d!["date"]!.ToString() == date)
        ?? throw new Xunit.Sdk.XunitException($"no {date} in {year["days"]}");

    static string Notice(int year, params (string Date, bool IsOffDay, string Name)[] days) =>
        new JsonObject
        {
            ["year"] = year,
            ["days"] = new JsonArray(days.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["date"] = d.Date, ["isOffDay"] = d.IsOffDay }).ToArray()),
        }.ToJsonString();

    static JsonNode Clock(JsonNode petition, string name) =>
        petition["clocks"]!.AsArray().FirstOrDefault(c => c!["name"]!.ToString() == name)
        ?? throw new Xunit.Sdk.XunitException($"no clock {name} in {petition["clocks"]}");

    [Fact]
    public async Task Reading_a_built_in_year_shows_holidays_and_make_up_working_days()
    {
        var w = await World.OfAsync(factory);
        var year = (await w.Clerk.GetAsync("/api/v1/calendar/2026")).Expect(HttpStatusCode.OK).Json;
        year["year"]!.GetValue<int>().ShouldBe(2026);
        year["covered"]!.GetValue<bool>().ShouldBeTrue();
        year["source"]!.ToString().ShouldBe("builtIn");
        year["warning"].ShouldBeNull();
        // 元旦 2026: 1–3 January off, Sunday 4 January a make-up working day (调休上班).
        Day(year, "2026-01-01")["isOffDay"]!.GetValue<bool>().ShouldBeTrue();
        var makeUp = Day(year, "2026-01-04");
        makeUp["isOffDay"]!.GetValue<bool>().ShouldBeFalse();
        makeUp["name"]!.ToString().ShouldBe("元旦");
        Day(year, "2026-02-14")["isOffDay"]!.GetValue<bool>().ShouldBeFalse(); // 春节 make-up Saturday
        Day(year, "2026-10-07")["isOffDay"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Importing_an_uncovered_year_covers_it()
    {
        var w = await World.OfAsync(factory);
        var before = (await w.Clerk.GetAsync("/api/v1/calendar/2031")).Expect(HttpStatusCode.OK).Json;
        before["covered"]!.GetValue<bool>().ShouldBeFalse();
        before["source"]!.ToString().ShouldBe("weekendsOnly");
        before["warning"]!.ToString().ShouldContain("2031年的节假日安排尚未导入");
        before["days"]!.AsArray().Count.ShouldBe(0);

        var notice = Notice(2031, ("2031-01-01", true, "元旦"), ("2031-01-19", false, "春节"), ("2031-01-22", true, "春节"), ("2031-01-23", true, "春节"));
        var imported = (await w.Admin.PutAsync("/api/v1/calendar/2031", notice)).Expect(HttpStatusCode.OK).Json;
        imported["year"]!.GetValue<int>().ShouldBe(2031);
        imported["days"]!.GetValue<int>().ShouldBe(4);

        var after = (await w.Clerk.GetAsync("/api/v1/calendar/2031")).Expect(HttpStatusCode.OK).Json;
        after["covered"]!.GetValue<bool>().ShouldBeTrue();
        after["source"]!.ToString().ShouldBe("imported");
        after["warning"].ShouldBeNull();
        after["days"]!.AsArray().Select(d => d!["date"]!.ToString()).ShouldBe(["2031-01-01", "2031-01-19", "2031-01-22", "2031-01-23"]);
        Day(after, "2031-01-01")["name"]!.ToString().ShouldBe("元旦");
        Day(after, "2031-01-19")["isOffDay"]!.GetValue<bool>().ShouldBeFalse();

        // A second import of the same year replaces the first.
        (await w.Admin.PutAsync("/api/v1/calendar/2031", Notice(2031, ("2031-01-01", true, "元旦")))).Expect(HttpStatusCode.OK);
        (await w.Clerk.GetAsync("/api/v1/calendar/2031")).Expect(HttpStatusCode.OK).Json["days"]!.AsArray().Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"year":2035}""")]
    [InlineData("""{"year":"2035","days":[]}""")]
    [InlineData("""{"year":2035,"days":[{"name":"元旦","date":"2035-02-30","isOffDay":true}]}""")]
    [InlineData("""{"year":2035,"days":[{"name":"元旦","date":"2035-01-01"}]}""")]
    [InlineData("""{"year":2035,"days":[{"name":"元旦","date":"2035-01-01","isOffDay":true},{"name":"元旦","date":"2035-01-01","isOffDay":true}]}""")]
    public async Task Importing_a_malformed_notice_is_refused(string body)
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.PutAsync("/api/v1/calendar/2035", body);
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.ToString());
        r.MediaType.ShouldBe("application/problem+json");
        r.Json["errors"]!["body"].ShouldNotBeNull();
        (await w.Clerk.GetAsync("/api/v1/calendar/2035")).Expect(HttpStatusCode.OK)["covered"].ShouldBe("false");
    }

    [Fact]
    public async Task Importing_a_notice_of_another_year_is_refused()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Admin.PutAsync("/api/v1/calendar/2036", Notice(2037, ("2037-01-01", true, "元旦")));
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Json["errors"]!["body"]![0]!.ToString().ShouldContain("不一致");
        (await w.Clerk.GetAsync("/api/v1/calendar/2036")).Expect(HttpStatusCode.OK)["covered"].ShouldBe("false");
        (await w.Clerk.GetAsync("/api/v1/calendar/2037")).Expect(HttpStatusCode.OK)["covered"].ShouldBe("false");
    }

    [Fact]
    public async Task Importing_as_non_admin_is_forbidden()
    {
        var w = await World.OfAsync(factory);
        foreach (var api in new[] { w.Clerk, w.Leader, w.Analyst })
        {
            var r = await api.PutAsync("/api/v1/calendar/2038", Notice(2038, ("2038-01-01", true, "元旦")));
            r.Status.ShouldBe(HttpStatusCode.Forbidden);
            r.ProblemType.ShouldBe("/problems/forbidden");
        }
        (await w.Clerk.GetAsync("/api/v1/calendar/2038")).Expect(HttpStatusCode.OK)["covered"].ShouldBe("false");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10000)]
    public async Task Reading_the_calendar_of_an_impossible_year_is_refused(int year)
    {
        var w = await World.OfAsync(factory);
        var r = await w.Clerk.GetAsync($"/api/v1/calendar/{year}");
        r.Code.ShouldBeOneOf(400, 404);
    }

    [Fact]
    public async Task Registering_after_an_import_rolls_the_due_date_past_the_new_holidays()
    {
        var w = await World.OfAsync(factory);
        // Wednesday 5 January 2033 + 15 days = Thursday 20 January.
        await w.SetClockAsync("2033-01-05T10:00:00+08:00");
        var before = await w.RegisterAsync(body: Petition("导入前登记"));
        Clock(before, "dispose")["dueOn"]!.ToString().ShouldBe("2033-01-20");
        before["calendarWarnings"]!.AsArray().Select(x => x!.ToString()).ShouldContain("2033年的节假日安排尚未导入，按普通周末计算期限");

        // The notice makes Thursday 20 and Friday 21 January days off and Saturday 22 a make-up working day.
        (await w.Admin.PutAsync("/api/v1/calendar/2033",
            Notice(2033, ("2033-01-20", true, "测试假日"), ("2033-01-21", true, "测试假日"), ("2033-01-22", false, "测试假日")))).Expect(HttpStatusCode.OK);

        var after = await w.RegisterAsync(body: Petition("导入后登记"));
        Clock(after, "dispose")["dueOn"]!.ToString().ShouldBe("2033-01-22");
        after["calendarWarnings"]!.AsArray().Count.ShouldBe(0);
        // The objection clock counts working days: forwarded on Wednesday 5 January, the 5th working day is Wednesday 12.
        var forwarded = (await w.Clerk.PostAsync($"/api/v1/petitions/{Id(after)}/forward", new { unitId = w.CountyHousing })).Expect(HttpStatusCode.OK).Json;
        Clock(forwarded, "objection")["dueOn"]!.ToString().ShouldBe("2033-01-12");
        Clock(forwarded, "notify")["dueOn"]!.ToString().ShouldBe("2033-01-22");
    }

    [Fact]
    public async Task Importing_a_notice_moves_running_due_dates_that_fall_on_its_holidays()
    {
        var w = await World.OfAsync(factory);
        // Wednesday 4 January 2034 + 15 days = Thursday 19 January, computed by weekends only.
        await w.SetClockAsync("2034-01-04T10:00:00+08:00");
        var running = await w.RegisterAsync(body: Petition("导入前已在运行的期限"));
        Clock(running, "dispose")["dueOn"]!.ToString().ShouldBe("2034-01-19");

        (await w.Admin.PutAsync("/api/v1/calendar/2034", Notice(2034, ("2034-01-19", true, "测试假日")))).Expect(HttpStatusCode.OK);

        var now = (await w.Clerk.GetAsync($"/api/v1/petitions/{Id(running)}")).Expect(HttpStatusCode.OK).Json;
        Clock(now, "dispose")["dueOn"]!.ToString().ShouldBe("2034-01-20");
    }
}

public sealed class CalendarTests_Sqlite(SqliteFactory f) : CalendarTests(f), IClassFixture<SqliteFactory>;
public sealed class CalendarTests_Postgres(PostgresFactory f) : CalendarTests(f), IClassFixture<PostgresFactory>;
