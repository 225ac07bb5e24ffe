using Xinfang.Domain.Deadlines;
using Xunit.Abstractions;

namespace Xinfang.Domain.Tests.Deadlines;

/// <summary>
/// Cross-checks our embedded calendar (written from the State Council notices) against the holiday-cn
/// reference data, when that data is checked out beside the repository (../shared/data/holidays-cn)
/// or named by the XINFANG_HOLIDAYS_CN environment variable. Without it the test passes and says so.
/// </summary>
public class HolidayCnCrossCheckTests(ITestOutputHelper output)
{
    private const string EnvironmentVariable = "XINFANG_HOLIDAYS_CN";

    public static TheoryData<int> Years => new(Enumerable.Range(2018, 9));

    [Theory]
    [MemberData(nameof(Years))]
    public void Embedded_ComparedWithHolidayCn_AgreesOnEveryListedDay(int year)
    {
        var folder = FindReferenceFolder();
        if (folder is null)
        {
            Say($"SKIPPED holiday-cn cross-check for {year}: no shared/data/holidays-cn beside the repository " +
                $"and {EnvironmentVariable} is not set.");
            return;
        }

        var calendar = WorkCalendar.Embedded;
        calendar.Covers(year).ShouldBeTrue();
        var file = Path.Combine(folder, $"{year}.json");
        File.Exists(file).ShouldBeTrue($"missing reference file {file}");

        // Every day the reference lists must have the same status in our calendar.
        var (jsonYear, reference) = WorkCalendar.ParseHolidayCnJson(File.ReadAllText(file));
        jsonYear.ShouldBe(year);
        var disagreements = reference
            .Where(d => calendar.IsWorkingDay(d.Date) == d.IsOffDay)
            .Select(d => $"{d.Date:yyyy-MM-dd} {d.Name}: holiday-cn says {(d.IsOffDay ? "off" : "working")}")
            .ToList();

        // And every entry of ours that changes the plain week must be listed somewhere in the reference
        // (late-December dates may sit in the next year's file, so all files are read).
        var listed = Directory.GetFiles(folder, "*.json")
            .SelectMany(f => WorkCalendar.ParseHolidayCnJson(File.ReadAllText(f)).Days)
            .ToLookup(d => d.Date);
        disagreements.AddRange(calendar.DaysOf(year)
            .Where(d => IsWeekend(d.Date) != d.IsOffDay && !listed[d.Date].Any(r => r.IsOffDay == d.IsOffDay))
            .Select(d => $"{d.Date:yyyy-MM-dd} {d.Name}: ours says {(d.IsOffDay ? "off" : "working")}, holiday-cn does not"));

        Say($"holiday-cn cross-check {year}: {reference.Count} reference days from {file}, {disagreements.Count} disagreements.");
        disagreements.ShouldBeEmpty();
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private void Say(string message)
    {
        output.WriteLine(message);
        Console.WriteLine(message);
    }

    /// <summary>The env var if set (it must then exist), else shared/data/holidays-cn under an ancestor of the test binaries.</summary>
    private static string? FindReferenceFolder()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Directory.Exists(configured).ShouldBeTrue($"{EnvironmentVariable} names a missing folder: {configured}");
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "holidays-cn");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
