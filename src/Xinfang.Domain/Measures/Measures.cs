namespace Xinfang.Domain.Measures;

/// <summary>A ratio with its parts, so a figure can be shown as "45 / 50" and drilled into; null when nothing is due.</summary>
public readonly record struct Rate(long Numerator, long Denominator)
{
    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator;
}

/// <summary>
/// The counts of one scope (a unit's subtree) and period, as measure_counts sums them. Deadline facts are placed in the
/// period by their deadline; "overdue" ones are those still pending whose deadline lies in the period and before today.
/// </summary>
public sealed record PeriodCounts
{
    public long Received { get; init; }
    public long Repeat { get; init; }
    public long Online { get; init; }
    public long DisposedOnTime { get; init; }
    public long DisposedLate { get; init; }
    public long DisposalOverdue { get; init; }
    public long RepliedOnTime { get; init; }
    public long RepliedLate { get; init; }
    public long ReplyOverdue { get; init; }
    public long Replied { get; init; }
    public long HandlingDays { get; init; }
    public long Rated { get; init; }
    public long Satisfied { get; init; }
    public long Closed { get; init; }
    public long ResolvedFirstTime { get; init; }
}

/// <summary>Backlog campaign figures (积案): matters listed in the period's campaigns, and those of them struck off (销号).</summary>
public readonly record struct BacklogCounts(long StruckOff, long Listed);

/// <summary>
/// The assessment figures of domain.md "Measures" (Art. 39 assessment, Art. 41 annual report) — the one place their
/// formulas live. Working definitions (docs/api.md "Measures" repeats them):
/// <list type="bullet">
/// <item>及时受理率 = disposed on time ÷ due. "Due": matters whose disposal deadline (Art. 22 / 23 ¶2: 15 days from
/// receipt) falls in the period and was either met, missed, or has passed without disposal. "Disposed": first
/// forwarded, assigned, accepted or declined. "On time": on or before the deadline day.</item>
/// <item>按期办结率 = opinions on time ÷ (on time + late + overdue unanswered), over route-6 matters whose handling
/// deadline (Art. 34: 60 days from acceptance, plus an approved extension) falls in the period.</item>
/// <item>参评率 = rated ÷ written opinions delivered in the period; 满意率 = (满意 + 基本满意) ÷ rated.</item>
/// <item>重复信访率 = repeat petitions ÷ petitions received in the period.</item>
/// <item>一次性化解率 = closed without a review request and without a repeat (before closure or within 90 days after)
/// ÷ closed in the period. Closures of the last 90 days are provisional: a repeat may still come.</item>
/// <item>Average handling days = calendar days from receipt to the written opinion's delivery, over opinions
/// delivered in the period.</item>
/// <item>网信占比 = online petitions ÷ petitions received.</item>
/// <item>积案化解率 = struck off ÷ listed.</item>
/// </list>
/// </summary>
public sealed record MeasureFigures(
    long Received,
    Rate TimelyAcceptance,
    Rate OnTimeCompletion,
    Rate EvaluationRate,
    Rate Satisfaction,
    Rate RepeatRate,
    Rate FirstTimeResolution,
    Rate OnlineShare,
    double? AverageHandlingDays,
    Rate BacklogResolution,
    long Overdue)
{
    public static MeasureFigures Of(PeriodCounts c, BacklogCounts backlog = default) => new(
        c.Received,
        TimelyAcceptance: new(c.DisposedOnTime, c.DisposedOnTime + c.DisposedLate + c.DisposalOverdue),
        OnTimeCompletion: new(c.RepliedOnTime, c.RepliedOnTime + c.RepliedLate + c.ReplyOverdue),
        EvaluationRate: new(c.Rated, c.Replied),
        Satisfaction: new(c.Satisfied, c.Rated),
        RepeatRate: new(c.Repeat, c.Received),
        FirstTimeResolution: new(c.ResolvedFirstTime, c.Closed),
        OnlineShare: new(c.Online, c.Received),
        AverageHandlingDays: c.Replied == 0 ? null : Math.Round((double)c.HandlingDays / c.Replied, 1),
        BacklogResolution: BacklogResolutionOf(backlog),
        Overdue: c.DisposalOverdue + c.ReplyOverdue);

    /// <summary>积案化解率 = backlog matters struck off (销号) ÷ backlog matters listed (domain.md "Measures").</summary>
    public static Rate BacklogResolutionOf(BacklogCounts b) => new(b.StruckOff, b.Listed);

    /// <summary>The level pyramid: each level's share of the petitions first received in the scope (levels 0–4).</summary>
    public static IReadOnlyList<Rate> Pyramid(IReadOnlyDictionary<int, long> receivedByLevel)
    {
        var total = receivedByLevel.Values.Sum();
        return Enumerable.Range(0, Organisation.Unit.MaxLevel + 1)
            .Select(level => new Rate(receivedByLevel.TryGetValue(level, out var n) ? n : 0, total)).ToList();
    }
}
