using System.Globalization;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Tests.Deadlines;

public class CalendarParsingTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void ParseNotice_WellFormedNotice_ExpandsRangesAndSkipsComments()
    {
        var days = WorkCalendar.ParseNotice("""
            # 国务院办公厅关于2026年部分节假日安排的通知

            year 2026
            holiday 2026-01-01..2026-01-03 元旦
            workday 2026-01-04 元旦
              holiday 2026-09-25 中秋节
            holiday 2026-10-01..2026-10-02 国庆节、中秋节 (示例)
            """);

        days.ShouldBe([
            new CalendarDay(D("2026-01-01"), true, "元旦"),
            new CalendarDay(D("2026-01-02"), true, "元旦"),
            new CalendarDay(D("2026-01-03"), true, "元旦"),
            new CalendarDay(D("2026-01-04"), false, "元旦"),
            new CalendarDay(D("2026-09-25"), true, "中秋节"),
            new CalendarDay(D("2026-10-01"), true, "国庆节、中秋节 (示例)"),
            new CalendarDay(D("2026-10-02"), true, "国庆节、中秋节 (示例)"),
        ]);
    }

    [Fact]
    public void ParseNotice_DatesInPreviousDecember_AreKept()
    {
        var days = WorkCalendar.ParseNotice("year 2019\r\nholiday 2018-12-30..2019-01-01 元旦\r\nworkday 2018-12-29 元旦\r\n");

        days.Select(d => d.Date).ShouldBe([D("2018-12-30"), D("2018-12-31"), D("2019-01-01"), D("2018-12-29")]);
    }

    [Theory]
    [InlineData("year 2026\nholidy 2026-01-01 元旦", 2)]                        // unknown keyword
    [InlineData("holiday 2026-13-01 元旦", 1)]                                   // no such month
    [InlineData("holiday 2026/01/01 元旦", 1)]                                   // wrong date format
    [InlineData("holiday 2026-01-03..2026-01-01 元旦", 1)]                       // range ends before it starts
    [InlineData("holiday 2026-01-01..2026-03-01 春节", 1)]                       // implausibly long range
    [InlineData("holiday 2026-01-01..2026-01-02..2026-01-03 元旦", 1)]           // two ".."
    [InlineData("# c\nholiday 2026-01-01", 2)]                                   // missing name
    [InlineData("workday 2026-01-05 元旦", 1)]                                   // make-up day on a Monday
    [InlineData("workday 2026-01-03..2026-01-04 元旦", 1)]                       // make-up day as a range
    [InlineData("year abc\nholiday 2026-01-01 元旦", 1)]                         // bad year
    [InlineData("year 2026\nyear 2027\nholiday 2026-01-01 元旦", 2)]             // second year line
    [InlineData("holiday 2026-01-01 元旦\nyear 2026", 2)]                        // year after the dates
    [InlineData("year 2026\nholiday 2030-01-01 元旦", 2)]                        // outside the notice's year ± 1
    [InlineData("holiday 2026-01-01 元旦\nholiday 2026-01-01..2026-01-03 元旦", 2)] // date listed twice
    public void ParseNotice_BadLine_ThrowsFormatExceptionNamingTheLine(string text, int line)
    {
        var e = Should.Throw<FormatException>(() => WorkCalendar.ParseNotice(text));

        e.Message.ShouldStartWith($"第{line}行：");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# 只有注释\nyear 2026\n")]
    public void ParseNotice_NoDays_ThrowsFormatException(string text)
    {
        Should.Throw<FormatException>(() => WorkCalendar.ParseNotice(text));
    }

    [Fact]
    public void ParseHolidayCnJson_WellFormedFile_ReturnsYearAndDays()
    {
        var (year, days) = WorkCalendar.ParseHolidayCnJson("""
            {
              "$schema": "https://example.org/schema.json",
              "year": 2026,
              "papers": ["https://www.gov.cn/"],
              "days": [
                { "name": "元旦", "date": "2026-01-01", "isOffDay": true },
                { "name": "元旦", "date": "2026-01-04", "isOffDay": false }
              ]
            }
            """);

        year.ShouldBe(2026);
        days.ShouldBe([new CalendarDay(D("2026-01-01"), true, "元旦"), new CalendarDay(D("2026-01-04"), false, "元旦")]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"days":[]}""")]
    [InlineData("""{"year":"2026","days":[]}""")]
    [InlineData("""{"year":2026}""")]
    [InlineData("""{"year":2026,"days":{}}""")]
    [InlineData("""{"year":2026,"days":[{"name":"元旦","isOffDay":true}]}""")]
    [InlineData("""{"year":2026,"days":[{"name":"元旦","date":"2026-02-30","isOffDay":true}]}""")]
    [InlineData("""{"year":2026,"days":[{"name":"元旦","date":"2026-01-01","isOffDay":"true"}]}""")]
    [InlineData("""{"year":2026,"days":[{"date":"2026-01-01","isOffDay":true}]}""")]
    [InlineData("""{"year":2026,"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true},{"name":"元旦","date":"2026-01-01","isOffDay":false}]}""")]
    public void ParseHolidayCnJson_BadInput_ThrowsFormatException(string json)
    {
        Should.Throw<FormatException>(() => WorkCalendar.ParseHolidayCnJson(json));
    }
}
