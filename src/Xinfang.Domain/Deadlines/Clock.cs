namespace Xinfang.Domain.Deadlines;

/// <summary>
/// A running statutory clock. Calendar-day clocks are recomputed from their start as
/// start + length + extension + paused days (start day excluded, last day rolled off non-working days);
/// the objection clock counts working days; the report clock's date is set by the assigning bureau.
/// </summary>
public sealed record Clock(
    ClockName Name,
    DateOnly StartedOn,
    DateOnly DueOn,
    int LengthDays,
    int ExtendedDays = 0,
    int PausedDays = 0,
    ClockState State = ClockState.Running,
    DateOnly? PausedOn = null,
    Warning Warning = Warning.None)
{
    /// <summary>The petitioner's window to ask for review or re-review: its lapse closes the matter (Art. 35–36).</summary>
    public bool IsPetitionerWindow => Name is ClockName.ReviewRequest or ClockName.ReReviewRequest;

    /// <summary>
    /// A window is a right, not a duty (the petitioner's review windows; the recipient's objection window,
    /// Art. 23 ¶3): it never warns, it just closes.
    /// </summary>
    public bool IsWindow => IsPetitionerWindow || Name == ClockName.Objection;

    public static Clock Start(ClockName name, DateOnly on, DeadlineCalculator deadlines, ClockLengths lengths)
    {
        var length = lengths.Of(name);
        var due = name == ClockName.Objection ? deadlines.AddWorkingDays(on, length) : deadlines.AddCalendarDays(on, length);
        return new Clock(name, on, due, length);
    }

    /// <summary>A clock whose due date was set by someone (the report-back date of an assignment, Art. 22 (3)).</summary>
    public static Clock Fixed(ClockName name, DateOnly on, DateOnly dueOn) =>
        new(name, on, dueOn, dueOn.DayNumber - on.DayNumber);

    public Clock Extend(int days, DeadlineCalculator deadlines) =>
        this with { ExtendedDays = ExtendedDays + days, DueOn = deadlines.AddCalendarDays(StartedOn, LengthDays + ExtendedDays + days + PausedDays) };

    /// <summary>The due date again on a changed calendar (a newly imported notice). A report date set by the bureau stays.</summary>
    public Clock Recalculated(DeadlineCalculator deadlines) => Name switch
    {
        ClockName.Report => this,
        ClockName.Objection => this with { DueOn = deadlines.AddWorkingDays(StartedOn, LengthDays) },
        _ => this with { DueOn = deadlines.AddCalendarDays(StartedOn, LengthDays + ExtendedDays + PausedDays) },
    };

    public Clock Pause(DateOnly on) => this with { State = ClockState.Paused, PausedOn = on, Warning = Warning.None };

    /// <summary>Resumes a paused clock; the days it stood still are added to its due date.</summary>
    public Clock Resume(DateOnly on, DeadlineCalculator deadlines, int? pausedDays = null)
    {
        var paused = pausedDays ?? Math.Max(0, on.DayNumber - (PausedOn ?? on).DayNumber);
        var total = PausedDays + paused;
        var due = Name == ClockName.Objection
            ? deadlines.AddWorkingDays(StartedOn, LengthDays) // not paused in practice; kept exact
            : deadlines.AddCalendarDays(StartedOn, LengthDays + ExtendedDays + total);
        return this with { State = ClockState.Running, PausedOn = null, PausedDays = total, DueOn = due };
    }

    /// <summary>Warning on a day (default: yellow 3 working days before, red when overdue — configurable).</summary>
    public Warning WarningOn(DateOnly today, DeadlineCalculator deadlines, int yellowWorkingDays)
    {
        if (State == ClockState.Paused || IsWindow) return Warning.None;
        if (today > DueOn) return Warning.Red;
        return deadlines.WorkingDaysFromTo(today, DueOn) <= yellowWorkingDays ? Warning.Yellow : Warning.None;
    }

    /// <summary>The window is open on <paramref name="day"/> when the day is not after the due date.</summary>
    public bool IsOpenOn(DateOnly day) => day <= DueOn;
}

/// <summary>Lengths of the clocks in days (working days for <see cref="ClockName.Objection"/>); defaults from the Regulations.</summary>
public sealed record ClockLengths(
    int Dispose = 15, int Notify = 15, int Objection = 5, int Report = 90, int Handle = 60, int MaxExtension = 30,
    int ReviewRequest = 30, int Review = 30, int ReReviewRequest = 30, int ReReview = 30)
{
    public static readonly ClockLengths Regulation = new();

    public int Of(ClockName name) => name switch
    {
        ClockName.Dispose => Dispose,
        ClockName.Notify => Notify,
        ClockName.Objection => Objection,
        ClockName.Report => Report,
        ClockName.Handle => Handle,
        ClockName.ReviewRequest => ReviewRequest,
        ClockName.Review => Review,
        ClockName.ReReviewRequest => ReReviewRequest,
        ClockName.ReReview => ReReview,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
