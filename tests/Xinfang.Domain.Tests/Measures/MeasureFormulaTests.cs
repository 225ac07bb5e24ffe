using Xinfang.Domain.Measures;
using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Measures;

/// <summary>The formulas of domain.md "Measures" on small fixtures whose figures were worked out by hand.</summary>
public class MeasureFormulaTests
{
    static readonly Guid Province = Guid.NewGuid(), County = Guid.NewGuid(), Bureau = Guid.NewGuid(), Housing = Guid.NewGuid();

    static UnitLine? Lines(Guid id) =>
        id == Bureau ? new UnitLine([Province, County, Bureau], 3)
        : id == Housing ? new UnitLine([Province, County, Housing], 3)
        : null;

    static DateOnly D(int month, int day) => new(2026, month, day);

    static PetitionFacts Facts(Action<Builder>? change = null)
    {
        var b = new Builder();
        change?.Invoke(b);
        return b.Build();
    }

    sealed class Builder
    {
        public PetitionFacts F = new()
        {
            PetitionId = Guid.NewGuid(), ReceivingUnitId = Bureau, ReceivedOn = D(1, 5), Category = "01", Channel = Channel.Visit,
            RegionCode = "320583", DisposalDueOn = D(1, 20),
        };
        public PetitionFacts Build() => F;
    }

    /// <summary>Sums the rows of one scope's total, as the dashboard does, for a period and a "today".</summary>
    static PeriodCounts Sum(IEnumerable<PetitionFacts> facts, Guid scope, DateOnly from, DateOnly to, DateOnly today)
    {
        var c = new PeriodCounts();
        // 网信占比's numerator is the channel breakdown's "online" row.
        foreach (var f in facts)
            foreach (var (k, v) in Tallies.Rows(f, Lines).Where(r => r.Key.ScopeUnitId == scope && r.Key.Dim == Dim.Channel && r.Key.Value == "online" && r.Key.Day >= from && r.Key.Day <= to))
                c = c with { Online = c.Online + v.N };
        foreach (var f in facts)
            foreach (var (k, v) in Tallies.Rows(f, Lines).Where(r => r.Key.ScopeUnitId == scope && r.Key.Dim == Dim.Total && r.Key.Day >= from && r.Key.Day <= to))
                c = k.Fact switch
                {
                    Fact.Received => c with { Received = c.Received + v.N },
                    Fact.Repeat => c with { Repeat = c.Repeat + v.N },
                    Fact.DisposedOnTime => c with { DisposedOnTime = c.DisposedOnTime + v.N },
                    Fact.DisposedLate => c with { DisposedLate = c.DisposedLate + v.N },
                    Fact.DisposalPending when k.Day < today => c with { DisposalOverdue = c.DisposalOverdue + v.N },
                    Fact.RepliedOnTime => c with { RepliedOnTime = c.RepliedOnTime + v.N },
                    Fact.RepliedLate => c with { RepliedLate = c.RepliedLate + v.N },
                    Fact.ReplyPending when k.Day < today => c with { ReplyOverdue = c.ReplyOverdue + v.N },
                    Fact.Replied => c with { Replied = c.Replied + v.N, HandlingDays = c.HandlingDays + v.Days },
                    Fact.Rated => c with { Rated = c.Rated + v.N },
                    Fact.Satisfied => c with { Satisfied = c.Satisfied + v.N },
                    Fact.Closed => c with { Closed = c.Closed + v.N },
                    Fact.ResolvedFirstTime => c with { ResolvedFirstTime = c.ResolvedFirstTime + v.N },
                    _ => c,
                };
        return c;
    }

    [Fact]
    public void Figures_of_six_matters_in_the_first_quarter_equal_the_hand_computation()
    {
        // Six matters received 2026-01-05 at the county bureau, disposal due 01-20, today 03-31.
        var facts = new[]
        {
            // 1: online, disposed 01-06, accepted by housing, opinion due 03-06, delivered 02-10 (36 days), rated 满意, closed 03-13.
            Facts(b => b.F = b.F with { Channel = Channel.Online, DisposedOn = D(1, 6), ResponsibleUnitId = Housing, HandleDueOn = D(3, 6), RepliedOn = D(2, 10), Rating = SatisfactionLevel.Satisfied, ClosedOn = D(3, 13) }),
            // 2: disposed 01-20 (the last day: on time), opinion delivered 03-20 — late (74 days), rated 不满意, review requested.
            Facts(b => b.F = b.F with { DisposedOn = D(1, 20), ResponsibleUnitId = Housing, HandleDueOn = D(3, 6), RepliedOn = D(3, 20), Rating = SatisfactionLevel.Dissatisfied, ReviewRequested = true }),
            // 3: disposed 01-21 (late), opinion due 03-23, none yet: overdue unanswered by 03-31.
            Facts(b => b.F = b.F with { DisposedOn = D(1, 21), ResponsibleUnitId = Housing, HandleDueOn = D(3, 23) }),
            // 4: never disposed: overdue.
            Facts(),
            // 5: a repeat, online, disposed 01-05, closed 02-01 after a diverted route, repeated again within 90 days.
            Facts(b => b.F = b.F with { Repeat = true, Channel = Channel.Online, DisposedOn = D(1, 5), ResponsibleUnitId = Housing, ClosedOn = D(2, 1), RepeatedWithin90 = true }),
            // 6: withdrawn before disposal: owes nothing, counts only as received.
            Facts(b => b.F = b.F with { Withdrawn = true }),
        };
        var counts = Sum(facts, County, D(1, 1), D(3, 31), today: D(3, 31));
        var m = MeasureFigures.Of(counts, new BacklogCounts(9, 10));

        m.Received.ShouldBe(6);
        m.TimelyAcceptance.ShouldBe(new Rate(3, 5));          // on time 1, 2, 5; late 3; overdue 4; 6 owes nothing
        m.OnTimeCompletion.ShouldBe(new Rate(1, 3));          // on time 1; late 2; overdue unanswered 3
        m.EvaluationRate.ShouldBe(new Rate(2, 2));            // opinions 1 and 2, both rated
        m.Satisfaction.ShouldBe(new Rate(1, 2));              // 满意 of 1; 不满意 of 2
        m.RepeatRate.ShouldBe(new Rate(1, 6));
        m.FirstTimeResolution.ShouldBe(new Rate(1, 2));       // closed 1 and 5; 5 came back
        m.OnlineShare.ShouldBe(new Rate(2, 6));
        m.AverageHandlingDays.ShouldBe(55.0);                 // (36 + 74) / 2
        m.BacklogResolution.ShouldBe(new Rate(9, 10));
        m.Overdue.ShouldBe(2);                                // 4 (disposal) and 3 (opinion)
        m.TimelyAcceptance.Value.ShouldBe(0.6);
    }

    [Fact]
    public void A_pending_deadline_is_not_overdue_until_its_day_has_passed()
    {
        var pending = Facts(b => b.F = b.F with { DisposalDueOn = D(1, 20) });
        Sum([pending], County, D(1, 1), D(1, 31), today: D(1, 20)).DisposalOverdue.ShouldBe(0);
        Sum([pending], County, D(1, 1), D(1, 31), today: D(1, 21)).DisposalOverdue.ShouldBe(1);
        MeasureFigures.Of(Sum([pending], County, D(1, 1), D(1, 31), today: D(1, 20))).TimelyAcceptance.Value.ShouldBeNull();
    }

    [Fact]
    public void Pyramid_gives_each_level_its_share_of_the_received()
    {
        var p = MeasureFigures.Pyramid(new Dictionary<int, long> { [1] = 10, [2] = 30, [3] = 60 });
        p.Select(r => r.Numerator).ShouldBe([0, 10, 30, 60, 0]);
        p[3].Value.ShouldBe(0.6);
        MeasureFigures.Pyramid(new Dictionary<int, long>()).All(r => r.Value is null).ShouldBeTrue();
    }

    [Fact]
    public void Rows_count_a_fact_at_every_ancestor_with_the_child_unit_on_its_path()
    {
        var f = Facts(b => b.F = b.F with { DisposedOn = D(1, 6), ResponsibleUnitId = Housing, HandleDueOn = D(3, 6) });
        var rows = Tallies.Rows(f, Lines);
        rows[new CountKey(Province, Fact.Received, D(1, 5), Dim.Unit, County.ToString("N"))].N.ShouldBe(1);
        rows[new CountKey(County, Fact.Received, D(1, 5), Dim.Unit, Bureau.ToString("N"))].N.ShouldBe(1);
        rows[new CountKey(Bureau, Fact.Received, D(1, 5), Dim.Unit, Bureau.ToString("N"))].N.ShouldBe(1);
        rows[new CountKey(County, Fact.Received, D(1, 5), Dim.Level, "3")].N.ShouldBe(1);
        rows[new CountKey(County, Fact.Received, D(1, 5), Dim.Channel, "visit")].N.ShouldBe(1);
        // The handling deadline counts at the responsible unit's line, not the receiving one's.
        rows[new CountKey(County, Fact.ReplyPending, D(3, 6), Dim.Unit, Housing.ToString("N"))].N.ShouldBe(1);
        rows.Keys.Any(k => k.ScopeUnitId == Bureau && k.Fact == Fact.ReplyPending).ShouldBeFalse();
    }

    [Fact]
    public void Delta_of_a_reply_moves_the_deadline_from_pending_to_on_time_and_nothing_else()
    {
        var before = Facts(b => b.F = b.F with { DisposedOn = D(1, 6), ResponsibleUnitId = Housing, HandleDueOn = D(3, 6) });
        var after = before with { RepliedOn = D(2, 10) };
        var delta = Tallies.Delta(before, after, Lines).Where(kv => kv.Key.ScopeUnitId == County && kv.Key.Dim == Dim.Total)
            .ToDictionary(kv => kv.Key.Fact, kv => kv.Value);
        delta.ShouldBe(new Dictionary<string, (int, long)>
        {
            [Fact.ReplyPending] = (-1, 0), [Fact.RepliedOnTime] = (1, 0), [Fact.Replied] = (1, 36),
        }, ignoreOrder: true);
        Tallies.Delta(after, after, Lines).ShouldBeEmpty();
    }

    [Fact]
    public void A_repeat_after_ninety_days_leaves_first_time_resolution_standing()
    {
        var closed = Facts(b => b.F = b.F with { ClosedOn = D(2, 1) });
        closed.WithRepeatReceived(D(5, 2)).RepeatedWithin90.ShouldBeTrue();   // 02-01 + 90 days = 05-02: within
        closed.WithRepeatReceived(D(5, 3)).RepeatedWithin90.ShouldBeFalse();
        Facts().WithRepeatReceived(D(12, 31)).RepeatedWithin90.ShouldBeTrue(); // still open: it came back before closing
    }

    [Fact]
    public void Poisson_upper_tail_matches_the_hand_computed_values()
    {
        // P(X ≥ 6 | λ = 1) = 1 − e^{−1}(1 + 1 + 1/2 + 1/6 + 1/24 + 1/120) = 1 − 0.9994058 = 0.0005942
        PoissonRise.UpperTail(6, 1).ShouldBe(0.0005942, 0.0000001);
        // P(X ≥ 1 | λ = 2) = 1 − e^{−2} = 0.8646647
        PoissonRise.UpperTail(1, 2).ShouldBe(0.8646647, 0.0000001);
        PoissonRise.UpperTail(0, 3).ShouldBe(1);
    }

    [Fact]
    public void Poisson_rise_alerts_only_below_the_threshold_and_above_the_minimum_count()
    {
        PoissonRise.Test(6, [1, 1, 1, 1], threshold: 0.01, minimumCount: 5)!.PValue.ShouldBe(0.0005942, 0.0000001);
        PoissonRise.Test(3, [1, 1, 1, 1], threshold: 0.01, minimumCount: 5).ShouldBeNull();      // too few
        PoissonRise.Test(12, [10, 8, 9, 11], threshold: 0.01, minimumCount: 5).ShouldBeNull();   // P ≈ 0.24: ordinary
        PoissonRise.Test(5, [0, 0, 0], threshold: 0.01, minimumCount: 5)!.Baseline.ShouldBe(0);  // λ floored at 0.5: P ≈ 0.00017
        PoissonRise.Test(4, [5, 6], threshold: 0.01, minimumCount: 1).ShouldBeNull();           // a fall is no rise
    }
}
