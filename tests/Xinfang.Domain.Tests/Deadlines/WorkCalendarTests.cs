using System.Globalization;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Tests.Deadlines;

public class WorkCalendarTests
{
    private static readonly WorkCalendar Calendar = WorkCalendar.Embedded;

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    // National Day 2024: 10-01..07 off, Sunday 09-29 and Saturday 10-12 are make-up working days.
    [InlineData("2024-10-01", false)]
    [InlineData("2024-10-07", false)]
    [InlineData("2024-10-08", true)]
    [InlineData("2024-09-29", true)]
    [InlineData("2024-10-12", true)]
    [InlineData("2024-10-13", false)]
    // New Year 2026: 01-01..03 off, Sunday 01-04 is a make-up working day.
    [InlineData("2026-01-02", false)]
    [InlineData("2026-01-03", false)]
    [InlineData("2026-01-04", true)]
    // Spring Festival 2025: 01-28 (除夕) ..02-04 off, Sunday 01-26 and Saturday 02-08 are make-up days.
    [InlineData("2025-01-26", true)]
    [InlineData("2025-01-28", false)]
    [InlineData("2025-02-04", false)]
    [InlineData("2025-02-05", true)]
    [InlineData("2025-02-08", true)]
    // May Day 2025 (5月2日 became a statutory holiday in 2025).
    [InlineData("2025-05-02", false)]
    // 2024 除夕 was only "encouraged" as a day off: still a working day.
    [InlineData("2024-02-09", true)]
    // The 2019 notice reaches back into 2018: Saturday 2018-12-29 worked, Monday 12-31 off.
    [InlineData("2018-12-29", true)]
    [InlineData("2018-12-31", false)]
    // The 2023 notice's New Year break: 2022-12-31..2023-01-02.
    [InlineData("2023-01-02", false)]
    // 2020: Spring Festival extended to 02-02, cancelling the Saturday 02-01 make-up day.
    [InlineData("2020-02-01", false)]
    [InlineData("2020-02-03", true)]
    // Ordinary days keep the plain week.
    [InlineData("2025-06-04", true)]
    [InlineData("2025-06-07", false)]
    public void IsWorkingDay_OnRealNoticeDates_FollowsHolidaysAndMakeUpDays(string date, bool expected)
    {
        Calendar.IsWorkingDay(D(date)).ShouldBe(expected);
    }

    [Fact]
    public void Embedded_LoadsEveryNoticeFile_Covers2018To2026()
    {
        Calendar.CoveredYears.ShouldBe(Enumerable.Range(2018, 9));
        WorkCalendar.Embedded.ShouldBeSameAs(Calendar);
    }

    [Fact]
    public void DaysOf_YearWithDatesFromNextYearsNotice_ReturnsEntriesDatedInThatYearSorted()
    {
        var days = Calendar.DaysOf(2018);

        days.ShouldAllBe(d => d.Date.Year == 2018);
        days.Select(d => d.Date).ShouldBeInOrder();
        days.ShouldContain(new CalendarDay(D("2018-12-29"), false, "元旦"));
        days.ShouldContain(new CalendarDay(D("2018-12-31"), true, "元旦"));
    }

    [Theory]
    [InlineData(2031)]
    [InlineData(2017)]
    public void IsWorkingDay_YearWithoutData_FallsBackToPlainWeekends(int year)
    {
        Calendar.Covers(year).ShouldBeFalse();
        var monday = Enumerable.Range(0, 7).Select(i => new DateOnly(year, 3, 1).AddDays(i)).First(d => d.DayOfWeek == DayOfWeek.Monday);

        Enumerable.Range(0, 7).Select(i => Calendar.IsWorkingDay(monday.AddDays(i)))
            .ShouldBe([true, true, true, true, true, false, false]);
    }

    [Fact]
    public void IsWorkingDay_2031NewYearWithoutData_IsAnOrdinaryWednesday()
    {
        Should.NotThrow(() => Calendar.IsWorkingDay(D("2031-01-01"))).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2031-01-01", "2031年的节假日安排尚未导入，按普通周末计算期限")]
    [InlineData("2027-06-30", "2027年的节假日安排尚未导入，按普通周末计算期限")]
    [InlineData("2026-12-31", null)]
    [InlineData("2018-01-01", null)]
    public void WarningFor_Date_WarnsOnlyWhenItsYearIsNotCovered(string date, string? expected)
    {
        Calendar.WarningFor(D(date)).ShouldBe(expected);
    }

    [Fact]
    public void With_ImportOfAYearsNotice_ReplacesOnlyThatYearsEntries()
    {
        var import = new[] { new CalendarDay(D("2026-03-02"), true, "测试") };

        var updated = Calendar.With(import, 2026);

        updated.DaysOf(2026).ShouldBe(import);
        updated.IsWorkingDay(D("2026-03-02")).ShouldBeFalse();
        updated.IsWorkingDay(D("2026-10-01")).ShouldBeTrue();  // the old 国庆节 entry is gone
        updated.IsWorkingDay(D("2025-10-01")).ShouldBeFalse(); // other years untouched
        Calendar.IsWorkingDay(D("2026-10-01")).ShouldBeFalse(); // the original is immutable
    }

    [Fact]
    public void With_NewYearsNoticeReachingIntoDecember_CoversTheYearAndOverridesTheEarlierDate()
    {
        var notice2027 = WorkCalendar.ParseNotice("""
            year 2027
            holiday 2026-12-31..2027-01-01 元旦
            workday 2027-01-02 元旦
            """);

        var updated = Calendar.With(notice2027, 2027);

        updated.Covers(2027).ShouldBeTrue();
        updated.WarningFor(D("2027-05-01")).ShouldBeNull();
        updated.IsWorkingDay(D("2026-12-31")).ShouldBeFalse();
        updated.IsWorkingDay(D("2027-01-02")).ShouldBeTrue();
        updated.DaysOf(2026).Count.ShouldBe(Calendar.DaysOf(2026).Count + 1);
        Calendar.Covers(2027).ShouldBeFalse();
    }

    [Fact]
    public void FromDays_DuplicateDate_LastEntryWins()
    {
        var calendar = WorkCalendar.FromDays(
            [new CalendarDay(D("2030-10-01"), true, "国庆节"), new CalendarDay(D("2030-10-01"), false, "更正")],
            [2030, 2030]);

        calendar.IsWorkingDay(D("2030-10-01")).ShouldBeTrue();
        calendar.CoveredYears.ShouldBe([2030]);
        calendar.WarningFor(D("2030-10-01")).ShouldBeNull();
    }
}
