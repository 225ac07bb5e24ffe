using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Reflection;

namespace Xinfang.Domain.Deadlines;

/// <summary>
/// The working-day calendar of government offices: Monday to Friday are working days unless the
/// State Council's annual holiday notice says otherwise (holidays off, make-up weekend days on).
/// Immutable; <see cref="With"/> returns a new calendar.
/// </summary>
/// <remarks>
/// A year whose notice has not been imported falls back to plain weekends (never throws);
/// <see cref="WarningFor"/> then tells the user the deadline may be off.
/// </remarks>
public sealed partial class WorkCalendar
{
    private const string ResourcePrefix = "Xinfang.Domain.Deadlines.Calendars.";

    private static readonly Lazy<WorkCalendar> EmbeddedCalendar = new(LoadEmbedded);

    private readonly FrozenDictionary<DateOnly, CalendarDay> _days;

    private WorkCalendar(IEnumerable<CalendarDay> days, IEnumerable<int> coveredYears)
    {
        // Later entries win, so an import can override what an earlier notice said about the same date.
        var byDate = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days)
        {
            ArgumentNullException.ThrowIfNull(day);
            byDate[day.Date] = day;
        }

        _days = byDate.ToFrozenDictionary();
        CoveredYears = new ReadOnlyCollection<int>(coveredYears.Distinct().Order().ToArray());
    }

    /// <summary>The calendar built from the notices embedded in this assembly (2018 onwards), loaded once.</summary>
    public static WorkCalendar Embedded => EmbeddedCalendar.Value;

    /// <summary>Years whose holiday notice is loaded, ascending.</summary>
    public IReadOnlyList<int> CoveredYears { get; }

    /// <summary>Builds a calendar from explicit entries; for a date listed twice the last entry wins.</summary>
    public static WorkCalendar FromDays(IEnumerable<CalendarDay> days, IEnumerable<int> coveredYears)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(coveredYears);
        return new WorkCalendar(days, coveredYears);
    }

    /// <summary>
    /// Returns a new calendar in which <paramref name="days"/> (an administrator's import of the notice for
    /// <paramref name="year"/>) replace every entry dated in that year. Dates of other years in the import
    /// (a notice may reach into late December or early January) are added or override existing entries.
    /// </summary>
    public WorkCalendar With(IEnumerable<CalendarDay> days, int year)
    {
        ArgumentNullException.ThrowIfNull(days);
        var kept = _days.Values.Where(d => d.Date.Year != year);
        return new WorkCalendar(kept.Concat(days), CoveredYears.Append(year));
    }

    public bool Covers(int year) => CoveredYears.Contains(year);

    /// <summary>Explicit entries dated in <paramref name="year"/>, whichever notice they came from, by date.</summary>
    public IReadOnlyList<CalendarDay> DaysOf(int year) =>
        _days.Values.Where(d => d.Date.Year == year).OrderBy(d => d.Date).ToArray();

    /// <summary>
    /// An explicit entry wins (holiday → false, make-up day → true); otherwise Monday–Friday are working days.
    /// </summary>
    public bool IsWorkingDay(DateOnly date) =>
        _days.TryGetValue(date, out var day)
            ? !day.IsOffDay
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Null when the date's year is covered; otherwise a warning for the user (in Chinese).</summary>
    public string? WarningFor(DateOnly date) =>
        Covers(date.Year) ? null : $"{date.Year}年的节假日安排尚未导入，按普通周末计算期限";

    private static WorkCalendar LoadEmbedded()
    {
        var assembly = typeof(WorkCalendar).Assembly;
        var days = new List<CalendarDay>();
        var years = new List<int>();

        // Oldest notice first, so a newer notice's entry for a shared date wins.
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                        && n.EndsWith(".txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        foreach (var name in names)
        {
            var (year, fileDays) = ParseNoticeWithYear(ReadResource(assembly, name));
            years.Add(year ?? throw new InvalidOperationException($"Embedded calendar {name} has no 'year' line."));
            days.AddRange(fileDays);
        }

        return new WorkCalendar(days, years);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
