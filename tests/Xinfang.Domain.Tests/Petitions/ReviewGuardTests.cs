using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>
/// Review (复查, Art. 35), re-review (复核, Art. 36), hearings and final closure, on the default timeline:
/// reply delivered 2024-11-20 (review window to 12-20), review requested 11-25, review delivered 12-10
/// (re-review window to 2025-01-09), re-review requested 12-16 (re-review due 2025-01-15).
/// </summary>
public class ReviewGuardTests
{
    static WorkflowContext WithBodies(DateOnly day, params Guid[] bodies) => Context(day) with { ReviewBodies = bodies.ToHashSet() };

    static Outcome RequestReview(PetitionBuilder b, DateOnly requestedOn, DateOnly? recordedOn = null, Guid? unit = null, params Guid[] eligible) =>
        b.Apply(new RequestReview(requestedOn, "对处理意见不服", unit ?? Units.ReviewBody), Actor.Petitioner,
            WithBodies(recordedOn ?? requestedOn, eligible.Length == 0 ? [Units.ReviewBody] : eligible));

    static Outcome RequestReReview(PetitionBuilder b, DateOnly requestedOn, Guid? unit = null, params Guid[] eligible) =>
        b.Apply(new RequestReReview(requestedOn, "对复查意见不服", unit ?? Units.ReReviewBody), Actor.Petitioner,
            WithBodies(requestedOn, eligible.Length == 0 ? [Units.ReReviewBody] : eligible));

    // ---- Request review ----

    [Fact]
    public void Reply_DeliveredOn20241120_ReviewWindowEndsOn20241220()
    {
        var b = InStatus(PetitionStatus.Replied);

        var window = b.Petition.ClockOf(ClockName.ReviewRequest)!;

        b.Petition.RepliedOn.ShouldBe(D(2024, 11, 20));
        window.DueOn.ShouldBe(D(2024, 12, 20));
        window.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 11, 20), 30));
    }

    [Fact]
    public void RequestReview_OnLastDayOfWindow_AppliedAndMatterGoesToReviewBody()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = RequestReview(b, D(2024, 12, 20));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.UnderReview);
        b.Petition.HoldingUnitId.ShouldBe(Units.ReviewBody);
        b.Petition.ReviewRequestedOn.ShouldBe(D(2024, 12, 20));
    }

    [Fact]
    public void RequestReview_DayAfterWindow_RefusedAsReviewWindowLapsed()
    {
        var b = InStatus(PetitionStatus.Replied);
        var before = b.Snap();

        var outcome = RequestReview(b, D(2024, 12, 21));

        outcome.Error!.Code.ShouldBe("review-window-lapsed");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void RequestReview_DatedWithinWindowRecordedAfterIt_AppliedBecauseTheRequestDateCounts()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = b.Apply(new RequestReview(D(2024, 12, 20), "来信申请复查", Units.ReviewBody), Staff(Units.ReviewBody, Role.IntakeClerk),
            WithBodies(D(2024, 12, 23), Units.ReviewBody));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.ClockOf(ClockName.Review)!.StartedOn.ShouldBe(D(2024, 12, 20));
    }

    [Fact]
    public void RequestReview_UnitNotAmongReviewBodies_RefusedAsReviewBodyNotEligible()
    {
        var b = InStatus(PetitionStatus.Replied);
        var before = b.Snap();

        var outcome = RequestReview(b, D(2024, 11, 25), unit: Units.Stranger, eligible: [Units.ReviewBody]);

        outcome.Error!.Code.ShouldBe("review-body-not-eligible");
        outcome.Error.Field.ShouldBe("unitId");
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void RequestReview_NoReviewBodiesKnown_RefusedAsReviewBodyNotEligible()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = b.Apply(new RequestReview(D(2024, 11, 25), "不服", Units.ReviewBody), Actor.Petitioner, Context(D(2024, 11, 25)));

        outcome.Error!.Code.ShouldBe("review-body-not-eligible");
    }

    [Theory]
    [InlineData(PetitionType.Suggestion)]
    [InlineData(PetitionType.Accusation)]
    public void RequestReview_NotAClaim_RefusedAsReviewNotApplicable(PetitionType type)
    {
        var b = InStatus(PetitionStatus.Replied, type: type);
        b.Petition.ClockOf(ClockName.ReviewRequest).ShouldBeNull();

        var outcome = RequestReview(b, D(2024, 11, 25));

        outcome.Error!.Code.ShouldBe("review-not-applicable");
    }

    [Fact]
    public void RequestReview_DatedBeforeReplyDelivered_RefusedAsDateBeforeStep()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = RequestReview(b, D(2024, 11, 19), recordedOn: D(2024, 11, 25));

        outcome.Error!.Code.ShouldBe("date-before-step");
        outcome.Error.Field.ShouldBe("requestedOn");
    }

    [Fact]
    public void RequestReview_DatedTomorrow_RefusedAsDateInFuture()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = RequestReview(b, D(2024, 11, 26), recordedOn: D(2024, 11, 25));

        outcome.Error!.Code.ShouldBe("date-in-future");
        outcome.Error.Field.ShouldBe("requestedOn");
    }

    [Fact]
    public void ReviewDecision_DeliveredBeforeReviewRequested_RefusedAsDateBeforeStep()
    {
        var b = InStatus(PetitionStatus.UnderReview);

        var outcome = b.Apply(new ReviewDecision(Decision.Explain, "复查意见", D(2024, 11, 24)), b.HolderStaff(), Context(D(2024, 12, 10)));

        outcome.Error!.Code.ShouldBe("date-before-step");
    }

    // ---- Close after the petitioner's window (also done by the system) ----

    [Fact]
    public void Close_RepliedOnLastDayOfReviewWindow_RefusedAsWindowStillOpen()
    {
        var b = InStatus(PetitionStatus.Replied);
        var before = b.Snap();

        var outcome = b.Apply(new Close(null), Actor.System, Context(D(2024, 12, 20)));

        outcome.Error!.Code.ShouldBe("window-still-open");
        b.ShouldBeUnchangedSince(before);
        b.Petition.WindowLapsed(D(2024, 12, 20)).ShouldBeFalse();
    }

    [Fact]
    public void Close_RepliedByStaffWhileWindowOpen_RefusedAsWindowStillOpen()
    {
        var b = InStatus(PetitionStatus.Replied);

        var outcome = b.Apply(new Close(null), b.HolderStaff(), Context(D(2024, 11, 21)));

        outcome.Error!.Code.ShouldBe("window-still-open");
    }

    [Fact]
    public void Close_RepliedDayAfterReviewWindow_ClosedWithNoClocks()
    {
        var b = InStatus(PetitionStatus.Replied);
        b.Petition.WindowLapsed(D(2024, 12, 21)).ShouldBeTrue();
        var context = Context(D(2024, 12, 21), 0);

        var outcome = b.Apply(new Close("期限届满未申请复查"), Actor.System, context);

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.Closed);
        b.Petition.ClosedAt.ShouldBe(context.Now);
        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.WindowLapsed(D(2024, 12, 22)).ShouldBeFalse(); // no longer replied
    }

    [Fact]
    public void Close_ReviewedWithinAndAfterReReviewWindow_RefusedThenClosed()
    {
        var b = InStatus(PetitionStatus.Reviewed);
        b.Petition.ClockOf(ClockName.ReReviewRequest)!.DueOn.ShouldBe(D(2025, 1, 9));

        b.Apply(new Close(null), Actor.System, Context(D(2025, 1, 9))).Error!.Code.ShouldBe("window-still-open");
        b.Apply(new Close(null), Actor.System, Context(D(2025, 1, 10))).IsApplied.ShouldBeTrue();

        b.Petition.Status.ShouldBe(PetitionStatus.Closed);
    }

    // ---- Request re-review ----

    [Fact]
    public void RequestReReview_OnLastDayOfWindow_AppliedAndStartsReReviewClock()
    {
        var b = InStatus(PetitionStatus.Reviewed);

        var outcome = RequestReReview(b, D(2025, 1, 9));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.HoldingUnitId.ShouldBe(Units.ReReviewBody);
        b.Petition.ReReviewRequestedOn.ShouldBe(D(2025, 1, 9));
    }

    [Fact]
    public void RequestReReview_DayAfterWindow_RefusedAsReReviewWindowLapsed()
    {
        var b = InStatus(PetitionStatus.Reviewed);

        var outcome = RequestReReview(b, D(2025, 1, 10));

        outcome.Error!.Code.ShouldBe("re-review-window-lapsed");
        b.Petition.Status.ShouldBe(PetitionStatus.Reviewed);
    }

    [Fact]
    public void RequestReReview_UnitNotAmongReviewBodies_RefusedAsReviewBodyNotEligible()
    {
        var b = InStatus(PetitionStatus.Reviewed);

        // The review body itself cannot re-review its own opinion; only the level above it is eligible.
        var outcome = RequestReReview(b, D(2024, 12, 16), unit: Units.ReviewBody, eligible: [Units.ReReviewBody]);

        outcome.Error!.Code.ShouldBe("review-body-not-eligible");
    }

    [Fact]
    public void RequestReReview_DatedBeforeReviewOpinionDelivered_RefusedAsDateBeforeStep()
    {
        var b = InStatus(PetitionStatus.Reviewed);

        var outcome = b.Apply(new RequestReReview(D(2024, 12, 5), "不服", Units.ReReviewBody), Actor.Petitioner,
            WithBodies(D(2024, 12, 16), Units.ReReviewBody));

        outcome.Error?.Code.ShouldBe("date-before-step");
        outcome.IsApplied.ShouldBeFalse();
    }

    // ---- Hearing (听证): time does not count against the re-review's 30 days (Art. 36) ----

    [Fact]
    public void RequestReReview_On20241216_ReReviewDueOn20250115()
    {
        var b = InStatus(PetitionStatus.UnderReReview);

        var clock = b.Petition.ClockOf(ClockName.ReReview)!;

        clock.StartedOn.ShouldBe(D(2024, 12, 16));
        clock.DueOn.ShouldBe(D(2025, 1, 15));
    }

    [Fact]
    public void Hearing_Opened_PausesReReviewClockAndStopsItsWarning()
    {
        var b = InStatus(PetitionStatus.UnderReReview);

        var outcome = b.Apply(new Hearing(D(2024, 12, 20), null), b.HolderStaff(Role.Caseworker), Context(D(2024, 12, 20)));

        outcome.IsApplied.ShouldBeTrue();
        outcome.Event!.FromStatus.ShouldBe(PetitionStatus.UnderReReview);
        outcome.Event.ToStatus.ShouldBe(PetitionStatus.UnderReReview);
        var clock = b.Petition.ClockOf(ClockName.ReReview)!;
        clock.State.ShouldBe(ClockState.Paused);
        clock.PausedOn.ShouldBe(D(2024, 12, 20));
        b.Petition.Refresh(Context(D(2025, 1, 20)));
        b.Petition.Warning.ShouldBe(Warning.None);
        b.Petition.NextSweepAt.ShouldBeNull();
    }

    [Fact]
    public void ReReviewDecision_WhileHearingOpen_RefusedAsHearingOpen()
    {
        var b = InStatus(PetitionStatus.UnderReReview).Hearing(D(2024, 12, 20), null);
        var before = b.Snap();

        var outcome = b.Apply(new ReReviewDecision(Decision.NotSupport, "复核意见", D(2024, 12, 23)), b.HolderStaff(), Context(D(2024, 12, 23)));

        outcome.Error!.Code.ShouldBe("hearing-open");
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Hearing_OpenedThenClosed_InclusiveHearingDaysAddedToDueDate()
    {
        // 12-20..12-24 inclusive = 5 days: 30 + 5 days from 12-16 = Mon 2025-01-20.
        var b = InStatus(PetitionStatus.UnderReReview).Hearing(D(2024, 12, 20), null);

        var outcome = b.Apply(new Hearing(D(2024, 12, 20), D(2024, 12, 24)), b.HolderStaff(), Context(D(2024, 12, 24)));

        outcome.IsApplied.ShouldBeTrue();
        outcome.Event!.Data!.ShouldContain("\"pausedDays\":5");
        var clock = b.Petition.ClockOf(ClockName.ReReview)!;
        clock.State.ShouldBe(ClockState.Running);
        clock.PausedOn.ShouldBeNull();
        clock.PausedDays.ShouldBe(5);
        clock.DueOn.ShouldBe(D(2025, 1, 20));
        clock.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 12, 16), 35));
    }

    [Fact]
    public void Hearing_RecordedWithStartAndEnd_InclusiveDaysAddedAndClockKeepsRunning()
    {
        var b = InStatus(PetitionStatus.UnderReReview);

        b.Apply(new Hearing(D(2024, 12, 20), D(2024, 12, 24)), b.HolderStaff(), Context(D(2024, 12, 27))).IsApplied.ShouldBeTrue();

        var clock = b.Petition.ClockOf(ClockName.ReReview)!;
        clock.State.ShouldBe(ClockState.Running);
        clock.PausedDays.ShouldBe(5);
        clock.DueOn.ShouldBe(D(2025, 1, 20));
    }

    [Fact]
    public void Hearing_TwoHearings_PausedDaysAccumulate()
    {
        var b = InStatus(PetitionStatus.UnderReReview)
            .Hearing(D(2024, 12, 18), D(2024, 12, 18))   // 1 day
            .Hearing(D(2024, 12, 20), D(2024, 12, 21));  // 2 days

        var clock = b.Petition.ClockOf(ClockName.ReReview)!;
        clock.PausedDays.ShouldBe(3);
        clock.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 12, 16), 33));
    }

    [Fact]
    public void Hearing_SecondOpenedWhileOneIsOpen_RefusedAsHearingOpen()
    {
        var b = InStatus(PetitionStatus.UnderReReview).Hearing(D(2024, 12, 20), null);

        var outcome = b.Apply(new Hearing(D(2024, 12, 23), null), b.HolderStaff(), Context(D(2024, 12, 23)));

        outcome.Error!.Code.ShouldBe("hearing-open");
        outcome.Error.Field.ShouldBe("endOn");
    }

    [Fact]
    public void Hearing_StartingBeforeReReviewRequested_RefusedAsDateBeforeStep()
    {
        var b = InStatus(PetitionStatus.UnderReReview);

        var outcome = b.Apply(new Hearing(D(2024, 12, 15), null), b.HolderStaff(), Context(D(2024, 12, 20)));

        outcome.Error!.Code.ShouldBe("date-before-step");
    }

    [Theory]
    [InlineData(21, null)]
    [InlineData(19, 21)]
    public void Hearing_DatedAfterToday_RefusedAsDateInFuture(int startDay, int? endDay)
    {
        var b = InStatus(PetitionStatus.UnderReReview);
        DateOnly? end = endDay is { } e ? D(2024, 12, e) : null;

        var outcome = b.Apply(new Hearing(D(2024, 12, startDay), end), b.HolderStaff(), Context(D(2024, 12, 20)));

        outcome.Error!.Code.ShouldBe("date-in-future");
    }

    [Fact]
    public void Hearing_EndBeforeStart_RefusedAsValidation()
    {
        var b = InStatus(PetitionStatus.UnderReReview);

        var outcome = b.Apply(new Hearing(D(2024, 12, 19), D(2024, 12, 18)), b.HolderStaff(), Context(D(2024, 12, 20)));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("endOn");
    }

    [Fact]
    public void Hearing_ClosedWithEndBeforeTheOpenHearingStarted_RefusedAndDueDateUnchanged()
    {
        var b = InStatus(PetitionStatus.UnderReReview).Hearing(D(2024, 12, 20), null);
        var before = b.Snap();

        var outcome = b.Apply(new Hearing(D(2024, 12, 17), D(2024, 12, 18)), b.HolderStaff(), Context(D(2024, 12, 23)));

        outcome.IsApplied.ShouldBeFalse();
        b.ShouldBeUnchangedSince(before);
    }

    // ---- Re-review decision → final (终结, Art. 36 ¶3) ----

    [Fact]
    public void ReReviewDecision_AfterHearingClosed_FinalWithNoClocks()
    {
        var b = InStatus(PetitionStatus.UnderReReview).Hearing(D(2024, 12, 20), null).Hearing(D(2024, 12, 20), D(2024, 12, 24));
        var context = Context(D(2025, 1, 6));

        var outcome = b.Apply(new ReReviewDecision(Decision.NotSupport, "复核意见：维持。", D(2025, 1, 6)), b.HolderStaff(Role.UnitLeader), context);

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.Final);
        b.Petition.Decision.ShouldBe(Decision.NotSupport);
        b.Petition.DecidingUnitId.ShouldBe(Units.ReReviewBody);
        b.Petition.ClosedAt.ShouldBe(context.Now);
        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.NextSweepAt.ShouldBeNull();
    }

    public static TheoryData<PetitionAction> AllActionsButRegister() =>
        new(Enum.GetValues<PetitionAction>().Where(a => a != PetitionAction.Register && PetitionActions.IsStep(a)));

    [Theory]
    [MemberData(nameof(AllActionsButRegister))]
    public void Apply_FinalMatterAnyAction_RefusedAndUnchanged(PetitionAction action)
    {
        var b = InStatus(PetitionStatus.Final);
        var (command, context) = ValidCommand(action, b.Today.AddDays(1));
        var before = b.Snap();

        var byStaff = b.Apply(command, b.HolderStaff(), context);
        var byPetitioner = b.Apply(command, Actor.Petitioner, context);

        // Withdraw passes Apply's final check and is refused by the table (no withdraw from final).
        var expected = action == PetitionAction.Withdraw ? "action-not-allowed" : "matter-final";
        byStaff.Error!.Code.ShouldBe(expected);
        byPetitioner.Error!.Code.ShouldBe(expected);
        b.ShouldBeUnchangedSince(before);
        b.Petition.Offers(action, b.HolderStaff()).ShouldBeFalse();
    }
}
