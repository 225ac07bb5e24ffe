using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Which statutory clocks each step starts, stops or pauses, their due dates, and the warnings on them.</summary>
public class ClockTests
{
    // ---- Registration ----

    [Fact]
    public void Register_ByPetitionBureauReceived20240920_StartsDisposeDue20241008()
    {
        // 09-20 + 15 days = Sat 10-05, inside National Day (10-01..10-07) → Tue 10-08.
        var b = Registered(D(2024, 9, 20));

        var clock = b.Petition.Clocks.ShouldHaveSingleItem();
        clock.Name.ShouldBe(ClockName.Dispose);
        clock.State.ShouldBe(ClockState.Running);
        clock.StartedOn.ShouldBe(D(2024, 9, 20));
        clock.LengthDays.ShouldBe(15);
        clock.DueOn.ShouldBe(D(2024, 10, 8));
        clock.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 9, 20), 15));
    }

    [Fact]
    public void Register_ByUnitThatIsNotABureau_StartsNotify15Days()
    {
        var b = Registered(D(2024, 11, 4), byBureau: false);

        var clock = b.Petition.Clocks.ShouldHaveSingleItem();
        clock.Name.ShouldBe(ClockName.Notify);
        clock.DueOn.ShouldBe(D(2024, 11, 19));
        b.Petition.HoldingUnitId.ShouldBe(Units.Government);
        b.Petition.ReceivingUnitId.ShouldBe(Units.Government);
    }

    [Fact]
    public void Register_ReceivedAfterMidnightChinaTimeButBeforeInUtc_ClockStartsOnChinaDate()
    {
        // 2024-09-19T16:30Z is 2024-09-20 00:30 in China.
        var registration = Registration(D(2024, 9, 19)) with { ReceivedAt = new DateTimeOffset(2024, 9, 19, 16, 30, 0, TimeSpan.Zero) };

        var (p, _) = Petition.Register(registration, "n", "h", Units.Bureau, true, Staff(Units.Bureau), Context(D(2024, 9, 20)));

        p.Clocks.ShouldHaveSingleItem().StartedOn.ShouldBe(D(2024, 9, 20));
        p.Clocks[0].DueOn.ShouldBe(D(2024, 10, 8));
    }

    [Fact]
    public void Register_NewPetition_FirstEventAndVersionOne()
    {
        var b = Registered(D(2024, 11, 4));

        var e = b.Events.ShouldHaveSingleItem();
        e.Sequence.ShouldBe(1);
        e.Action.ShouldBe(PetitionAction.Register);
        e.FromStatus.ShouldBeNull();
        e.ToStatus.ShouldBe(PetitionStatus.Registered);
        e.PetitionId.ShouldBe(b.Petition.Id);
        e.At.ShouldBe(At(D(2024, 11, 4)));
        b.Petition.Version.ShouldBe(1);
        b.Petition.LastEventSequence.ShouldBe(1);
        b.Petition.Status.ShouldBe(PetitionStatus.Registered);
        b.Petition.FirstTime.ShouldBeTrue();
    }

    // ---- Forward / assign ----

    [Fact]
    public void Forward_FromBureau_StartsNotifyAndObjectionAndPausesDispose()
    {
        var b = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5));
        var p = b.Petition;

        p.Clocks.Select(c => c.Name).ShouldBe([ClockName.Notify, ClockName.Objection], ignoreOrder: true);
        var dispose = p.SuspendedClocks.ShouldHaveSingleItem();
        dispose.Name.ShouldBe(ClockName.Dispose);
        dispose.State.ShouldBe(ClockState.Paused);
        dispose.PausedOn.ShouldBe(D(2024, 11, 5));
        dispose.Warning.ShouldBe(Warning.None);
        var notify = p.ClockOf(ClockName.Notify)!;
        notify.State.ShouldBe(ClockState.Running);
        notify.StartedOn.ShouldBe(D(2024, 11, 5));
        notify.DueOn.ShouldBe(D(2024, 11, 20));
        var objection = p.ClockOf(ClockName.Objection)!;
        objection.LengthDays.ShouldBe(5);
        objection.DueOn.ShouldBe(D(2024, 11, 12)); // 5 working days: 11-06, 07, 08, 11, 12
        p.DisposingUnitId.ShouldBe(Units.Bureau);
        p.HoldingUnitId.ShouldBe(Units.Dept);
        p.DisposedAt.ShouldBe(At(D(2024, 11, 5)));
        b.Events[^1].TargetUnitId.ShouldBe(Units.Dept);
    }

    [Fact]
    public void Forward_On20240927_NotifyDueOnSaturdayMakeUpWorkingDay()
    {
        // 09-27 + 15 = Sat 10-12, a make-up working day (调休上班): no roll.
        var b = Registered(D(2024, 9, 26)).Forward(on: D(2024, 9, 27));

        b.Petition.ClockOf(ClockName.Notify)!.DueOn.ShouldBe(D(2024, 10, 12));
    }

    [Fact]
    public void Assign_WithReportDate_AddsReportClockFixedToThatDate()
    {
        var b = Registered(D(2024, 11, 4)).Assign(reportDueOn: D(2024, 12, 31), on: D(2024, 11, 5));

        b.Petition.Status.ShouldBe(PetitionStatus.Assigned);
        b.Petition.ClockOf(ClockName.Notify).ShouldNotBeNull();
        b.Petition.ClockOf(ClockName.Objection).ShouldNotBeNull();
        var report = b.Petition.ClockOf(ClockName.Report)!;
        report.StartedOn.ShouldBe(D(2024, 11, 5));
        report.DueOn.ShouldBe(D(2024, 12, 31));
        b.Events[^1].Data!.ShouldContain("\"reportDueOn\":\"2024-12-31\"");
    }

    [Fact]
    public void Assign_WithoutReportDate_ReportClockTakesConfiguredDefault()
    {
        var b = Registered(D(2024, 11, 4)).Assign(on: D(2024, 11, 5));

        var report = b.Petition.ClockOf(ClockName.Report)!;
        report.LengthDays.ShouldBe(ClockLengths.Regulation.Report);
        // 11-05 + 90 = Mon 2025-02-03, inside the Spring Festival break (01-28..02-04) → 02-05.
        report.DueOn.ShouldBe(D(2025, 2, 5));
    }

    // ---- Accept ----

    [Fact]
    public void Accept_Route6_StopsDisposalClocksAndStartsHandle60Days()
    {
        var b = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Accept(on: D(2024, 11, 7));

        var handle = b.Petition.Clocks.ShouldHaveSingleItem();
        handle.Name.ShouldBe(ClockName.Handle);
        handle.StartedOn.ShouldBe(D(2024, 11, 7));
        handle.LengthDays.ShouldBe(60);
        handle.DueOn.ShouldBe(D(2025, 1, 6));
    }

    [Fact]
    public void Accept_Route6ByBureauItself_StopsDisposeAndStartsHandle()
    {
        var b = Registered(D(2024, 11, 4)).Accept(on: D(2024, 11, 7));

        b.Petition.Clocks.Select(c => c.Name).ShouldBe([ClockName.Handle]);
        b.Petition.ResponsibleUnitId.ShouldBe(Units.Bureau);
    }

    [Theory]
    [InlineData(HandlingRoute.Litigation)]
    [InlineData(HandlingRoute.Arbitration)]
    [InlineData(HandlingRoute.PartyAppeal)]
    [InlineData(HandlingRoute.Administrative)]
    [InlineData(HandlingRoute.DutyToAct)]
    public void Accept_DivertedRoute_StartsNoClock(HandlingRoute route)
    {
        var b = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Accept(route, on: D(2024, 11, 7));

        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.Route.ShouldBe(route);
        b.Petition.Warning.ShouldBe(Warning.None);
        b.Petition.NextSweepAt.ShouldBeNull();
    }

    // ---- Reply, review, re-review ----

    [Fact]
    public void Reply_DeliveredBeforeRecording_StopsHandleAndStartsReviewRequestFromDeliveredOn()
    {
        var b = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Accept(on: D(2024, 11, 7))
            .Reply(deliveredOn: D(2024, 11, 18), on: D(2024, 11, 20));

        var window = b.Petition.Clocks.ShouldHaveSingleItem();
        window.Name.ShouldBe(ClockName.ReviewRequest);
        window.IsPetitionerWindow.ShouldBeTrue();
        window.StartedOn.ShouldBe(D(2024, 11, 18));
        window.DueOn.ShouldBe(D(2024, 12, 18));
        b.Petition.RepliedOn.ShouldBe(D(2024, 11, 18));
    }

    [Fact]
    public void Reply_AssignedMatter_ReportClockStoppedToo()
    {
        var b = Registered(D(2024, 11, 4)).Assign(on: D(2024, 11, 5)).Accept(on: D(2024, 11, 7)).Reply();

        b.Petition.Clocks.Select(c => c.Name).ShouldBe([ClockName.ReviewRequest]);
    }

    [Fact]
    public void Reply_SuggestionNotAClaim_NoReviewWindowSoCompletedByTheSweepNextDay()
    {
        var b = InStatus(PetitionStatus.Replied, type: PetitionType.Suggestion);

        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.WindowLapsed(D(2025, 6, 1)).ShouldBeTrue();
        b.Petition.NextSweepAt.ShouldNotBeNull();
    }

    [Fact]
    public void RequestReview_StopsWindowAndStartsReview30DaysFromRequestedOn()
    {
        var b = InStatus(PetitionStatus.Replied).RequestReview(requestedOn: D(2024, 11, 25));

        var review = b.Petition.Clocks.ShouldHaveSingleItem();
        review.Name.ShouldBe(ClockName.Review);
        review.StartedOn.ShouldBe(D(2024, 11, 25));
        review.DueOn.ShouldBe(D(2024, 12, 25));
    }

    [Fact]
    public void ReviewDecision_StopsReviewAndStartsReReviewRequest30DaysFromDeliveredOn()
    {
        var b = InStatus(PetitionStatus.UnderReview).ReviewDecision(deliveredOn: D(2024, 12, 10));

        var window = b.Petition.Clocks.ShouldHaveSingleItem();
        window.Name.ShouldBe(ClockName.ReReviewRequest);
        window.IsPetitionerWindow.ShouldBeTrue();
        window.DueOn.ShouldBe(D(2025, 1, 9));
        b.Petition.DecidingUnitId.ShouldBe(Units.ReviewBody);
    }

    [Fact]
    public void RequestReReview_StopsWindowAndStartsReReview30DaysFromRequestedOn()
    {
        var b = InStatus(PetitionStatus.Reviewed).RequestReReview(requestedOn: D(2024, 12, 16));

        var clock = b.Petition.Clocks.ShouldHaveSingleItem();
        clock.Name.ShouldBe(ClockName.ReReview);
        clock.DueOn.ShouldBe(D(2025, 1, 15));
    }

    [Theory]
    [InlineData(PetitionStatus.Declined)]
    [InlineData(PetitionStatus.Closed)]
    [InlineData(PetitionStatus.Withdrawn)]
    [InlineData(PetitionStatus.Final)]
    public void TerminalStatus_ReachedByItsStep_NoClocksAndNothingToSweep(PetitionStatus status)
    {
        var b = InStatus(status);

        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.NextSweepAt.ShouldBeNull();
        b.Petition.Warning.ShouldBe(Warning.None);
    }

    // ---- Warnings (default yellow 3 working days before, red when overdue) and the sweep ----

    // Received Mon 2024-11-04 by the bureau: dispose due Tue 11-19.
    static Petition DisposeDue20241119() => Registered(D(2024, 11, 4)).Petition;

    [Fact]
    public void Refresh_FourWorkingDaysBeforeDue_NoWarningAndNextSweepAtStartOfYellowDay()
    {
        var p = DisposeDue20241119();

        p.Refresh(Context(D(2024, 11, 13))); // working days after: 14, 15, 18, 19

        p.Warning.ShouldBe(Warning.None);
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 11, 14)));
        p.NextSweepAt!.Value.Offset.ShouldBe(TimeSpan.FromHours(8));
    }

    [Fact]
    public void Refresh_ThreeWorkingDaysBeforeDue_YellowAndNextSweepAtStartOfDayAfterDue()
    {
        var p = DisposeDue20241119();

        var changed = p.Refresh(Context(D(2024, 11, 14))); // working days after: 15, 18, 19

        changed.ShouldBeTrue();
        p.Warning.ShouldBe(Warning.Yellow);
        p.Clocks.ShouldHaveSingleItem().Warning.ShouldBe(Warning.Yellow);
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 11, 20)));
    }

    [Theory]
    [InlineData(16)] // Saturday: 2 working days left
    [InlineData(19)] // the due day itself
    public void Refresh_WithinYellowPeriod_Yellow(int november)
    {
        var p = DisposeDue20241119();

        p.Refresh(Context(D(2024, 11, november)));

        p.Warning.ShouldBe(Warning.Yellow);
    }

    [Fact]
    public void Refresh_DayAfterDue_RedAndNothingMoreToSweep()
    {
        var p = DisposeDue20241119();

        p.Refresh(Context(D(2024, 11, 20)));

        p.Warning.ShouldBe(Warning.Red);
        p.Clocks[0].Warning.ShouldBe(Warning.Red);
        p.NextSweepAt.ShouldBeNull();
    }

    [Fact]
    public void Refresh_SameDayTwice_SecondReportsNoChange()
    {
        var p = DisposeDue20241119();
        p.Refresh(Context(D(2024, 11, 14))).ShouldBeTrue();

        p.Refresh(Context(D(2024, 11, 14), 15)).ShouldBeFalse();
    }

    [Fact]
    public void Refresh_ConfiguredYellowFiveWorkingDays_YellowEarlier()
    {
        var p = DisposeDue20241119();

        p.Refresh(Context(D(2024, 11, 12)) with { YellowWorkingDays = 5 }); // 13, 14, 15, 18, 19

        p.Warning.ShouldBe(Warning.Yellow);
    }

    [Fact]
    public void Refresh_ThresholdConfiguredForAnotherClock_KeepsDefaultForThisOne()
    {
        var p = DisposeDue20241119();

        p.Refresh(Context(D(2024, 11, 12)) with { YellowWorkingDaysByClock = new Dictionary<ClockName, int> { [ClockName.Handle] = 5 } });

        p.Warning.ShouldBe(Warning.None); // 5 working days left; dispose keeps the default 3
        p.Clocks[0].Warning.ShouldBe(Warning.None);
    }

    [Fact]
    public void Refresh_ThresholdConfiguredForThisClock_YellowEarlierAndSweepScheduledForThatDay()
    {
        var p = DisposeDue20241119();
        var fiveForDispose = new Dictionary<ClockName, int> { [ClockName.Dispose] = 5 };

        p.Refresh(Context(D(2024, 11, 11)) with { YellowWorkingDaysByClock = fiveForDispose }); // 12…15, 18, 19: six left

        p.Warning.ShouldBe(Warning.None);
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 11, 12)));
        p.Refresh(Context(D(2024, 11, 12)) with { YellowWorkingDaysByClock = fiveForDispose });
        p.Clocks[0].Warning.ShouldBe(Warning.Yellow);
        p.Refresh(Context(D(2024, 11, 20)) with { YellowWorkingDaysByClock = fiveForDispose });
        p.Clocks[0].Warning.ShouldBe(Warning.Red); // red stays "past the due date", whatever the threshold
    }

    [Fact]
    public void Register_DueAfterNationalDay_NextSweepAtYellowDayCountingSundayMakeUpDay()
    {
        // Dispose due 10-08. On 09-27 the working days left are Sun 09-29 (make-up), 09-30, 10-08 = 3 → yellow;
        // on 09-26 they are 4. So registration on 09-20 schedules the sweep for 09-27 00:00 +08:00.
        var p = Registered(D(2024, 9, 20)).Petition;

        p.Warning.ShouldBe(Warning.None);
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 9, 27)));
        p.Refresh(Context(D(2024, 9, 26)));
        p.Warning.ShouldBe(Warning.None);
        p.Refresh(Context(D(2024, 9, 27)));
        p.Warning.ShouldBe(Warning.Yellow);
    }

    [Fact]
    public void Accept_Route6_NextSweepAtYellowDayBeforeNewYear()
    {
        // Handle due Mon 2025-01-06; 01-01 is a holiday. On 12-31: 01-02, 01-03, 01-06 = 3 → yellow.
        var p = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Accept(on: D(2024, 11, 7)).Petition;

        p.Warning.ShouldBe(Warning.None);
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 12, 31)));
    }

    [Fact]
    public void Refresh_ForwardedMatterAfterObjectionWindowBeforeNotifyDue_NotRed()
    {
        var p = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Petition;

        p.Refresh(Context(D(2024, 11, 13)));

        p.ClockOf(ClockName.Notify)!.Warning.ShouldBe(Warning.None); // 14, 15, 18, 19, 20: five working days left
        p.Warning.ShouldNotBe(Warning.Red);
    }

    [Fact]
    public void Refresh_PetitionerReviewWindow_NeverWarnsAndSweepsDayAfterDue()
    {
        var p = InStatus(PetitionStatus.Replied).Petition; // window due 12-20

        foreach (var day in new[] { D(2024, 12, 18), D(2024, 12, 20), D(2024, 12, 21), D(2025, 1, 31) })
        {
            p.Refresh(Context(day));
            p.Warning.ShouldBe(Warning.None, day.ToString("O"));
            p.Clocks[0].Warning.ShouldBe(Warning.None);
        }

        p.Refresh(Context(D(2024, 12, 20)));
        p.NextSweepAt.ShouldBe(ChinaTime.StartOf(D(2024, 12, 21)));
    }

    [Fact]
    public void WindowLapsed_ReviewRequestWindow_FalseOnDueDateTrueDayAfter()
    {
        var p = InStatus(PetitionStatus.Replied).Petition;
        var due = p.ClockOf(ClockName.ReviewRequest)!.DueOn;

        p.WindowLapsed(due).ShouldBeFalse();
        p.WindowLapsed(due.AddDays(1)).ShouldBeTrue();
    }

    [Fact]
    public void WindowLapsed_ReReviewRequestWindow_FalseOnDueDateTrueDayAfter()
    {
        var p = InStatus(PetitionStatus.Reviewed).Petition;

        p.WindowLapsed(D(2025, 1, 9)).ShouldBeFalse();
        p.WindowLapsed(D(2025, 1, 10)).ShouldBeTrue();
    }

    [Fact]
    public void WindowLapsed_WhileUnderReview_False()
    {
        var p = InStatus(PetitionStatus.UnderReview).Petition;

        p.WindowLapsed(D(2025, 6, 1)).ShouldBeFalse();
    }
}
