using System.Globalization;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Tests.Deadlines;

public class DeadlineCalculatorTests
{
    private readonly DeadlineCalculator _deadlines = new(WorkCalendar.Embedded);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    // 15-day clocks ending in the Golden Week roll to the first working day after it.
    [InlineData("2024-09-16", 15, "2024-10-08")] // last day 10-01
    [InlineData("2024-09-20", 15, "2024-10-08")] // last day 10-05
    [InlineData("2025-09-23", 15, "2025-10-09")] // last day 10-08 (国庆节、中秋节 to 10-08)
    // Spring Festival.
    [InlineData("2025-01-14", 15, "2025-02-05")] // last day 01-29
    [InlineData("2026-02-01", 15, "2026-02-24")] // last day 02-16, break to 02-23
    [InlineData("2020-01-17", 15, "2020-02-03")] // last day Saturday 02-01: make-up day cancelled by the extension
    // New Year 2026 with its Sunday make-up working day.
    [InlineData("2025-12-20", 15, "2026-01-04")] // lands on Sunday 01-04, a working day: stays
    [InlineData("2025-12-17", 15, "2026-01-04")] // lands on 01-01, rolls to Sunday 01-04
    [InlineData("2018-12-14", 15, "2018-12-29")] // Saturday make-up day from the 2019 notice
    // 60-day handling clocks.
    [InlineData("2024-08-02", 60, "2024-10-08")] // last day 10-01
    [InlineData("2024-03-01", 60, "2024-04-30")] // ordinary Tuesday, leap year
    [InlineData("2023-03-01", 60, "2023-05-04")] // last day Sunday 04-30 inside 劳动节 04-29..05-03
    // 30-day windows (复查/复核).
    [InlineData("2025-04-01", 30, "2025-05-06")] // last day 05-01, 劳动节 to 05-05
    [InlineData("2025-03-28", 30, "2025-04-27")] // lands on Sunday 04-27, a make-up working day
    [InlineData("2025-06-13", 30, "2025-07-14")] // lands on an ordinary Sunday
    [InlineData("2025-06-16", 30, "2025-07-16")] // ordinary Wednesday
    // Zero days: the start day itself, rolled forward if it is a day off.
    [InlineData("2024-10-03", 0, "2024-10-08")]
    [InlineData("2024-10-08", 0, "2024-10-08")]
    public void AddCalendarDays_PeriodFromStart_EndsOnLastDayOrNextWorkingDay(string start, int days, string expected)
    {
        _deadlines.AddCalendarDays(D(start), days).ShouldBe(D(expected));
    }

    [Theory]
    [InlineData("2024-09-27", 5, "2024-10-10")]  // counts Sunday 09-29, skips 10-01..07
    [InlineData("2024-09-27", 10, "2024-10-16")] // also counts Saturday 10-12
    [InlineData("2024-09-27", 15, "2024-10-23")]
    [InlineData("2025-01-24", 3, "2025-02-05")]  // counts Sunday 01-26, skips 01-28..02-04
    [InlineData("2025-12-31", 1, "2026-01-04")]  // the next working day is Sunday 01-04
    [InlineData("2025-06-06", 1, "2025-06-09")]  // Friday → Monday
    [InlineData("2024-10-03", 0, "2024-10-03")]
    public void AddWorkingDays_AcrossHolidaysAndMakeUpDays_CountsOnlyWorkingDays(string start, int days, string expected)
    {
        _deadlines.AddWorkingDays(D(start), days).ShouldBe(D(expected));
    }

    [Theory]
    [InlineData("2025-06-06", "2025-06-09", 1)]  // Friday → Monday
    [InlineData("2024-09-27", "2024-09-30", 2)]  // Sunday 09-29 is a make-up working day
    [InlineData("2024-09-30", "2024-10-08", 1)]  // the whole Golden Week off
    [InlineData("2024-09-27", "2024-10-10", 5)]
    [InlineData("2025-06-09", "2025-06-09", 0)]  // due today
    [InlineData("2025-06-09", "2025-06-02", 0)]  // overdue
    public void WorkingDaysFromTo_TodayAndDueDate_CountsWorkingDaysAfterTodayUpToDue(string today, string due, int expected)
    {
        _deadlines.WorkingDaysFromTo(D(today), D(due)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("2024-09-27", 5)]
    [InlineData("2025-01-20", 10)]
    [InlineData("2025-12-25", 7)]
    public void WorkingDaysFromTo_DueComputedByAddWorkingDays_ReturnsTheSameCount(string start, int days)
    {
        var due = _deadlines.AddWorkingDays(D(start), days);

        _deadlines.WorkingDaysFromTo(D(start), due).ShouldBe(days);
    }

    [Theory]
    [InlineData("2024-10-01", "2024-10-08")]
    [InlineData("2026-01-03", "2026-01-04")]
    [InlineData("2025-06-07", "2025-06-09")]
    [InlineData("2025-06-09", "2025-06-09")]
    public void NextWorkingDayOnOrAfter_Date_ReturnsItOrTheNextWorkingDay(string date, string expected)
    {
        _deadlines.NextWorkingDayOnOrAfter(D(date)).ShouldBe(D(expected));
    }

    [Theory]
    [InlineData("2031-09-16", 15, "2031-10-01")] // no 国庆节 data: an ordinary Wednesday
    [InlineData("2031-09-19", 15, "2031-10-06")] // Saturday 10-04 rolls to Monday
    public void AddCalendarDays_YearWithoutData_UsesPlainWeekendsWithoutThrowing(string start, int days, string expected)
    {
        _deadlines.AddCalendarDays(D(start), days).ShouldBe(D(expected));
        _deadlines.WarningsFor(D(start), D(expected)).ShouldBe(["2031年的节假日安排尚未导入，按普通周末计算期限"]);
    }

    [Fact]
    public void AddWorkingDays_YearWithoutData_UsesPlainWeekendsWithoutThrowing()
    {
        _deadlines.AddWorkingDays(D("2031-10-03"), 5).ShouldBe(D("2031-10-10")); // Friday + 5 working days
    }

    [Theory]
    [InlineData("2024-01-01", "2026-12-31", new string[0])]
    [InlineData("2026-12-01", "2027-01-31", new[] { "2027年的节假日安排尚未导入，按普通周末计算期限" })]
    [InlineData("2031-01-20", "2030-12-20", new[] { "2030年的节假日安排尚未导入，按普通周末计算期限", "2031年的节假日安排尚未导入，按普通周末计算期限" })]
    public void WarningsFor_Range_ListsOneWarningPerUncoveredYear(string start, string end, string[] expected)
    {
        _deadlines.WarningsFor(D(start), D(end)).ShouldBe(expected);
    }

    [Fact]
    public void AddCalendarDays_NegativeDays_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => _deadlines.AddCalendarDays(D("2025-06-09"), -1));
        Should.Throw<ArgumentOutOfRangeException>(() => _deadlines.AddWorkingDays(D("2025-06-09"), -1));
    }

    [Fact]
    public void NextWorkingDayOnOrAfter_CalendarWithoutWorkingDays_ThrowsInsteadOfLooping()
    {
        var start = D("2030-01-01");
        var allOff = Enumerable.Range(0, 400).Select(i => new CalendarDay(start.AddDays(i), true, "停工"));
        var deadlines = new DeadlineCalculator(WorkCalendar.FromDays(allOff, [2030]));

        Should.Throw<InvalidOperationException>(() => deadlines.NextWorkingDayOnOrAfter(start));
    }
}
