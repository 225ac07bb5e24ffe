using Xinfang.Domain.Deadlines;

namespace Xinfang.Web.Petitions;

/// <summary>Configurable workflow defaults (section "Workflow"); the defaults are the Regulations'.</summary>
public sealed class WorkflowOptions
{
    /// <summary>Yellow warning this many working days before a clock runs out (domain.md default 3).</summary>
    public int YellowWorkingDays { get; set; } = 3;
    /// <summary>
    /// Yellow thresholds of single clocks, by the clock's api.md name (section "Workflow:Warnings", e.g. handle = 5);
    /// the others keep <see cref="YellowWorkingDays"/>. Red is always "past the due date".
    /// </summary>
    public Dictionary<string, int> Warnings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The per-clock thresholds by clock; names that are not clocks are listed by <see cref="UnknownWarningClocks"/>.</summary>
    public IReadOnlyDictionary<ClockName, int> YellowByClock =>
        Warnings.Where(w => IsClock(w.Key)).ToDictionary(w => Enum.Parse<ClockName>(w.Key, ignoreCase: true), w => w.Value);

    public IReadOnlyList<string> UnknownWarningClocks => Warnings.Keys.Where(k => !IsClock(k)).ToList();

    static bool IsClock(string name) => !int.TryParse(name, out _) && Enum.TryParse<ClockName>(name, ignoreCase: true, out _);
    /// <summary>People present from which a petition counts as a group petition (集体访).</summary>
    public int GroupThreshold { get; set; } = 5;
    /// <summary>Default report-back period of an assigned matter when the bureau sets none, in days.</summary>
    public int ReportDays { get; set; } = 90;
    public int DisposeDays { get; set; } = 15;
    public int NotifyDays { get; set; } = 15;
    public int ObjectionWorkingDays { get; set; } = 5;
    public int HandleDays { get; set; } = 60;
    public int MaxExtensionDays { get; set; } = 30;
    public int ReviewWindowDays { get; set; } = 30;

    public ClockLengths Lengths => new(
        Dispose: DisposeDays, Notify: NotifyDays, Objection: ObjectionWorkingDays, Report: ReportDays,
        Handle: HandleDays, MaxExtension: MaxExtensionDays,
        ReviewRequest: ReviewWindowDays, Review: ReviewWindowDays, ReReviewRequest: ReviewWindowDays, ReReview: ReviewWindowDays);
}
