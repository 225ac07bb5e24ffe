using System.Text.Json;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Handling after acceptance: extension (Art. 34), written opinion (Art. 32), closing diverted routes (Art. 31).</summary>
public class HandlingGuardTests
{
    // Accepted Thu 2024-11-07: handle due 2025-01-06 (Mon), no holiday near it.
    static PetitionBuilder AcceptedOn20241107(HandlingRoute route = HandlingRoute.PetitionProcedure) =>
        Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5)).Accept(route, on: D(2024, 11, 7));

    static Outcome Extend(PetitionBuilder b, int days, DateOnly? on = null) =>
        b.Apply(new Extend(days, "案情复杂", "王局长"), b.HolderStaff(Role.UnitLeader), Context(on ?? D(2024, 12, 20)));

    [Fact]
    public void Extend_TenDays_HandleDueDateMovesByTenDays()
    {
        var b = AcceptedOn20241107();
        var handle = b.Petition.ClockOf(ClockName.Handle)!;
        handle.DueOn.ShouldBe(D(2025, 1, 6));

        var outcome = Extend(b, 10);

        outcome.IsApplied.ShouldBeTrue();
        outcome.Event!.FromStatus.ShouldBe(PetitionStatus.Accepted);
        outcome.Event.ToStatus.ShouldBe(PetitionStatus.Accepted);
        var extended = b.Petition.ClockOf(ClockName.Handle)!;
        extended.DueOn.ShouldBe(D(2025, 1, 16));
        extended.DueOn.ShouldBe(handle.DueOn.AddDays(10));
        extended.ExtendedDays.ShouldBe(10);
        b.Petition.ExtensionUsed.ShouldBeTrue();
        JsonDocument.Parse(outcome.Event.Data!).RootElement.GetProperty("dueOn").GetString().ShouldBe("2025-01-16");
    }

    [Fact]
    public void Extend_ThirtyDays_AllowedAndDueIsNinetyDaysFromAcceptance()
    {
        var b = AcceptedOn20241107();

        Extend(b, 30).IsApplied.ShouldBeTrue();

        // 2024-11-07 + 90 = 2025-02-05 (Wed, the first working day after the Spring Festival break ends 02-04).
        b.Petition.ClockOf(ClockName.Handle)!.DueOn.ShouldBe(D(2025, 2, 5));
        b.Petition.ClockOf(ClockName.Handle)!.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 11, 7), 90));
    }

    [Fact]
    public void Extend_Twice_SecondRefusedAsExtensionAlreadyUsed()
    {
        var b = AcceptedOn20241107();
        Extend(b, 5).IsApplied.ShouldBeTrue();
        var before = b.Snap();

        var outcome = Extend(b, 5, D(2024, 12, 21));

        outcome.Error!.Code.ShouldBe("extension-already-used");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
        // 60 + 5 days from 11-07 is Sat 2025-01-11, rolled to Mon 01-13; the refused second extension added nothing.
        b.Petition.ClockOf(ClockName.Handle)!.DueOn.ShouldBe(D(2025, 1, 13));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(60)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Extend_DaysOutsideOneToThirty_RefusedAsExtensionTooLong(int days)
    {
        var b = AcceptedOn20241107();
        var before = b.Snap();

        var outcome = Extend(b, days);

        outcome.Error!.Code.ShouldBe("extension-too-long");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Invalid);
        outcome.Error.Field.ShouldBe("days");
        b.ShouldBeUnchangedSince(before);
        b.Petition.ExtensionUsed.ShouldBeFalse();
    }

    [Theory]
    [InlineData(HandlingRoute.Litigation)]
    [InlineData(HandlingRoute.Arbitration)]
    [InlineData(HandlingRoute.PartyAppeal)]
    [InlineData(HandlingRoute.Administrative)]
    [InlineData(HandlingRoute.DutyToAct)]
    public void Extend_DivertedRoute_RefusedAsExtensionNotApplicable(HandlingRoute route)
    {
        var b = AcceptedOn20241107(route);

        var outcome = Extend(b, 10);

        outcome.Error!.Code.ShouldBe("extension-not-applicable");
    }

    [Fact]
    public void Extend_WithoutApprover_RefusedAsValidation()
    {
        var b = AcceptedOn20241107();

        var outcome = b.Apply(new Extend(10, "案情复杂", " "), b.HolderStaff(), Context(D(2024, 12, 20)));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("approvedBy");
    }

    // ---- Reply (written opinion, Art. 32) ----

    [Theory]
    [InlineData(HandlingRoute.Litigation)]
    [InlineData(HandlingRoute.Arbitration)]
    [InlineData(HandlingRoute.PartyAppeal)]
    [InlineData(HandlingRoute.Administrative)]
    [InlineData(HandlingRoute.DutyToAct)]
    public void Reply_DivertedRoute_RefusedAsReplyNotApplicable(HandlingRoute route)
    {
        var b = AcceptedOn20241107(route);

        var outcome = b.Apply(new Reply(Decision.Support, "意见书", D(2024, 11, 20)), b.HolderStaff(), Context(D(2024, 11, 20)));

        outcome.Error!.Code.ShouldBe("reply-not-applicable");
        b.Petition.Status.ShouldBe(PetitionStatus.Accepted);
    }

    [Fact]
    public void Reply_DeliveredBeforeAcceptance_RefusedAsDateBeforeStep()
    {
        var b = AcceptedOn20241107();
        var before = b.Snap();

        var outcome = b.Apply(new Reply(Decision.Support, "意见书", D(2024, 11, 6)), b.HolderStaff(), Context(D(2024, 11, 20)));

        outcome.Error!.Code.ShouldBe("date-before-step");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Invalid);
        outcome.Error.Field.ShouldBe("deliveredOn");
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Reply_DeliveredOnAcceptanceDay_Applied()
    {
        var b = AcceptedOn20241107();

        b.Apply(new Reply(Decision.Explain, "意见书", D(2024, 11, 7)), b.HolderStaff(), Context(D(2024, 11, 7), 16)).IsApplied.ShouldBeTrue();

        b.Petition.RepliedOn.ShouldBe(D(2024, 11, 7));
        b.Petition.Decision.ShouldBe(Decision.Explain);
        b.Petition.DecidingUnitId.ShouldBe(Units.Dept);
    }

    [Fact]
    public void Reply_DeliveredTomorrow_RefusedAsDateInFuture()
    {
        var b = AcceptedOn20241107();

        var outcome = b.Apply(new Reply(Decision.Support, "意见书", D(2024, 11, 21)), b.HolderStaff(), Context(D(2024, 11, 20)));

        outcome.Error!.Code.ShouldBe("date-in-future");
        outcome.Error.Field.ShouldBe("deliveredOn");
    }

    [Fact]
    public void Reply_DeliveredOnChinaDateThatIsStillYesterdayInUtc_NotInFuture()
    {
        var b = AcceptedOn20241107();
        // 2024-11-20T16:30Z is 2024-11-21 00:30 in China: "today" is the 21st.
        var context = new WorkflowContext(new DateTimeOffset(2024, 11, 20, 16, 30, 0, TimeSpan.Zero), Calculator, ClockLengths.Regulation);

        b.Apply(new Reply(Decision.Support, "意见书", D(2024, 11, 21)), b.HolderStaff(), context).IsApplied.ShouldBeTrue();
    }

    [Fact]
    public void Reply_DeliveredTomorrowInChinaJustBeforeMidnight_RefusedAsDateInFuture()
    {
        var b = AcceptedOn20241107();
        // 2024-11-20T15:30Z is 2024-11-20 23:30 in China.
        var context = new WorkflowContext(new DateTimeOffset(2024, 11, 20, 15, 30, 0, TimeSpan.Zero), Calculator, ClockLengths.Regulation);

        b.Apply(new Reply(Decision.Support, "意见书", D(2024, 11, 21)), b.HolderStaff(), context).Error!.Code.ShouldBe("date-in-future");
    }

    [Fact]
    public void Reply_WithoutText_RefusedAsValidation()
    {
        var b = AcceptedOn20241107();

        var outcome = b.Apply(new Reply(Decision.Support, "  ", D(2024, 11, 20)), b.HolderStaff(), Context(D(2024, 11, 20)));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("text");
    }

    // ---- Close from accepted: diverted routes only ----

    [Theory]
    [InlineData(HandlingRoute.Litigation)]
    [InlineData(HandlingRoute.Arbitration)]
    [InlineData(HandlingRoute.PartyAppeal)]
    [InlineData(HandlingRoute.Administrative)]
    [InlineData(HandlingRoute.DutyToAct)]
    public void Close_AcceptedOnDivertedRoute_Closed(HandlingRoute route)
    {
        var b = AcceptedOn20241107(route);
        var context = Context(D(2024, 11, 8));

        var outcome = b.Apply(new Close("已告知通过法定途径办理"), b.HolderStaff(Role.Caseworker), context);

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.Closed);
        b.Petition.ClosedAt.ShouldBe(context.Now);
        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.NextSweepAt.ShouldBeNull();
    }

    [Fact]
    public void Close_AcceptedOnPetitionProcedure_RefusedAsCloseNeedsReply()
    {
        var b = AcceptedOn20241107();
        var before = b.Snap();

        var outcome = b.Apply(new Close(null), b.HolderStaff(), Context(D(2024, 11, 8)));

        outcome.Error!.Code.ShouldBe("close-needs-reply");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
    }
}
