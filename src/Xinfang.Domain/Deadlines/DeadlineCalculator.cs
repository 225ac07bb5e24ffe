namespace Xinfang.Domain.Deadlines;

/// <summary>
/// Deadline arithmetic over a <see cref="WorkCalendar"/>.
/// </summary>
/// <remarks>
/// The 《信访工作条例》 (2022) counts its time limits in days — e.g. 15 days to sort and forward a
/// registered petition (第二十一条), 60 days to handle an accepted matter plus at most 30 days' extension
/// (第三十四条), 30 days to request and to decide a review or re-review (复查/复核, 第三十五条、第三十六条).
/// It does not define how a period is counted, so the general rules of the 《民法典》 apply by analogy:
/// the day on which the period starts is not counted (第二百零一条), and when the last day is a statutory
/// day off the period ends on the following day (第二百零三条) — here, the next working day.
/// </remarks>
public sealed class DeadlineCalculator
{
    // Longer than any run of days off in a notice; only a broken calendar gets this far.
    private const int MaxDaysOffInARow = 366;

    private readonly WorkCalendar _calendar;

    public DeadlineCalculator(WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        _calendar = calendar;
    }

    /// <summary>
    /// The last day of a period of <paramref name="days"/> calendar days from <paramref name="start"/>:
    /// the start day is not counted (民法典 Art. 201), and a last day that is not a working day moves
    /// forward to the next working day (Art. 203). A make-up working day (调休上班) is a working day.
    /// </summary>
    public DateOnly AddCalendarDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return NextWorkingDayOnOrAfter(start.AddDays(days));
    }

    /// <summary>
    /// The <paramref name="days"/>-th working day after <paramref name="start"/> (the start day is not counted);
    /// holidays are skipped and make-up weekend working days count. Zero days returns <paramref name="start"/>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        for (var i = 0; i < days; i++)
        {
            date = NextWorkingDayOnOrAfter(date.AddDays(1));
        }

        return date;
    }

    /// <summary>
    /// Working days after <paramref name="today"/> up to and including <paramref name="due"/>;
    /// 0 when <paramref name="due"/> is not after <paramref name="today"/>.
    /// </summary>
    public int WorkingDaysFromTo(DateOnly today, DateOnly due)
    {
        var count = 0;
        for (var d = today.AddDays(1); d <= due; d = d.AddDays(1))
        {
            if (_calendar.IsWorkingDay(d))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary><paramref name="date"/> itself if it is a working day, otherwise the next working day.</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        for (var i = 0; i <= MaxDaysOffInARow; i++)
        {
            var candidate = date.AddDays(i);
            if (_calendar.IsWorkingDay(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The calendar has no working day within a year after {date:yyyy-MM-dd}.");
    }

    /// <summary>
    /// The distinct calendar warnings for the years from <paramref name="start"/> to <paramref name="end"/>
    /// (either order); empty when every year is covered.
    /// </summary>
    public IReadOnlyList<string> WarningsFor(DateOnly start, DateOnly end)
    {
        var (first, last) = start <= end ? (start.Year, end.Year) : (end.Year, start.Year);
        return Enumerable.Range(first, last - first + 1)
            .Select(year => _calendar.WarningFor(new DateOnly(year, 1, 1)))
            .OfType<string>()
            .ToArray();
    }
}
