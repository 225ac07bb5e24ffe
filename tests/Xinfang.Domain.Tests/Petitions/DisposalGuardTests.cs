using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;
using ObjectCommand = Xinfang.Domain.Petitions.Object;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Forward, assign, object, accept, decline: the guards of disposal (Art. 19, 22, 23, 30, 36).</summary>
public class DisposalGuardTests
{
    // ---- Objection window: 5 working days from receipt of the forwarded matter (Art. 23 ¶3) ----

    static PetitionBuilder ForwardedOn20240927() => Registered(D(2024, 9, 26)).Forward(on: D(2024, 9, 27));

    [Fact]
    public void Forward_On20240927_ObjectionWindowEndsOn20241010()
    {
        // Fri 09-27; Sun 09-29 is a make-up working day (调休上班) → 1; Mon 09-30 → 2; 10-01..10-07 National Day;
        // 10-08 → 3, 10-09 → 4, 10-10 → 5.
        var b = ForwardedOn20240927();

        var objection = b.Petition.ClockOf(ClockName.Objection)!;

        objection.DueOn.ShouldBe(D(2024, 10, 10));
        objection.DueOn.ShouldBe(Calculator.AddWorkingDays(D(2024, 9, 27), 5));
    }

    [Theory]
    [InlineData(9)]  // the brief guessed 10-09 would be late; the Sunday make-up day 09-29 counts, so it is in time
    [InlineData(10)] // last day of the window
    public void Object_ForwardedOn20240927_ObjectedByOctober10_Applied(int october)
    {
        var b = ForwardedOn20240927();

        var outcome = b.Apply(new ObjectCommand("不属于本单位职权范围"), b.HolderStaff(Role.Caseworker), Context(D(2024, 10, october)));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.Registered);
    }

    [Fact]
    public void Object_ForwardedOn20240927_ObjectedOn20241011_RefusedAsObjectionWindowLapsed()
    {
        var b = ForwardedOn20240927();
        var before = b.Snap();

        var outcome = b.Apply(new ObjectCommand("不属于本单位职权范围"), b.HolderStaff(Role.Caseworker), Context(D(2024, 10, 11)));

        outcome.Error!.Code.ShouldBe("objection-window-lapsed");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Object_ForwardedMatter_ReturnsToForwardingBureauAndDisposeClockResumesWithDaysAway()
    {
        // Received Mon 11-04: dispose due 11-19. Forwarded 11-05 (paused), objection 11-07: 2 days away → due 11-21.
        var b = Registered(D(2024, 11, 4)).Forward(on: D(2024, 11, 5));
        b.Petition.ClockOf(ClockName.Dispose).ShouldBeNull(); // not the recipient's clock: it stands still, out of the list
        b.Petition.SuspendedClocks.ShouldHaveSingleItem().DueOn.ShouldBe(D(2024, 11, 19));

        var outcome = b.Apply(new ObjectCommand("不属于本单位职权范围"), Staff(Units.Dept, Role.Caseworker), Context(D(2024, 11, 7)));

        outcome.IsApplied.ShouldBeTrue();
        outcome.Event!.FromStatus.ShouldBe(PetitionStatus.Forwarded);
        outcome.Event.ToStatus.ShouldBe(PetitionStatus.Registered);
        b.Petition.Status.ShouldBe(PetitionStatus.Registered);
        b.Petition.HoldingUnitId.ShouldBe(Units.Bureau);
        var dispose = b.Petition.Clocks.ShouldHaveSingleItem();
        dispose.Name.ShouldBe(ClockName.Dispose);
        dispose.State.ShouldBe(ClockState.Running);
        dispose.PausedOn.ShouldBeNull();
        dispose.PausedDays.ShouldBe(2);
        dispose.DueOn.ShouldBe(D(2024, 11, 21));
        dispose.DueOn.ShouldBe(Calculator.AddCalendarDays(D(2024, 11, 4), 15 + 2));
    }

    [Fact]
    public void Object_AssignedMatter_ReportClockDroppedAndBureauMayForwardAgain()
    {
        var b = Registered(D(2024, 11, 4)).Assign(on: D(2024, 11, 5)).Object(on: D(2024, 11, 6));

        b.Petition.Clocks.Select(c => c.Name).ShouldBe([ClockName.Dispose]);
        b.Forward(Units.Stranger, on: D(2024, 11, 7));
        b.Petition.HoldingUnitId.ShouldBe(Units.Stranger);
        b.Petition.Status.ShouldBe(PetitionStatus.Forwarded);
    }

    [Fact]
    public void Object_WithoutReason_RefusedAsValidation()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new ObjectCommand(" "), b.HolderStaff(), Context(b.Today));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("reason");
    }

    [Fact]
    public void Object_MatterForwardedByNonBureauUnit_SendersNotifyClockResumesWithDaysAway()
    {
        // Received directly by a government unit Mon 11-04: notify due 11-19. Forwarded 11-05, objected 11-07 → due 11-21.
        var b = Registered(D(2024, 11, 4), byBureau: false).Forward(on: D(2024, 11, 5));

        b.Object(on: D(2024, 11, 7));

        b.Petition.HoldingUnitId.ShouldBe(Units.Government);
        var notify = b.Petition.Clocks.ShouldHaveSingleItem();
        notify.Name.ShouldBe(ClockName.Notify);
        notify.State.ShouldBe(ClockState.Running);
        notify.PausedDays.ShouldBe(2);
        notify.DueOn.ShouldBe(D(2024, 11, 21));
    }

    // ---- Forward / assign targets ----

    [Fact]
    public void Forward_AccusationToTheAccusedUnit_RefusedAsAccusationToAccused()
    {
        var b = Registered(type: PetitionType.Accusation, accusedUnitId: Units.Accused);
        var before = b.Snap();

        var outcome = b.Apply(new Forward(Units.Accused, null), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("accusation-to-accused");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Invalid);
        outcome.Error.Field.ShouldBe("unitId");
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Assign_AccusationToTheAccusedUnit_RefusedAsAccusationToAccused()
    {
        var b = Registered(type: PetitionType.Accusation, accusedUnitId: Units.Accused);

        var outcome = b.Apply(new Assign(Units.Accused, null, null), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("accusation-to-accused");
    }

    [Fact]
    public void Forward_AccusationToAnotherUnit_Applied()
    {
        var b = Registered(type: PetitionType.Accusation, accusedUnitId: Units.Accused);

        var outcome = b.Apply(new Forward(Units.Dept, null), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.AccusedUnitId.ShouldBe(Units.Accused);
    }

    [Fact]
    public void Register_ClaimWithAccusedUnit_AccusedUnitNotKeptSoForwardThereIsAllowed()
    {
        var b = Registered(type: PetitionType.Claim, accusedUnitId: Units.Accused);
        b.Petition.AccusedUnitId.ShouldBeNull();

        b.Apply(new Forward(Units.Accused, null), b.HolderStaff(), Context(b.Today.AddDays(1))).IsApplied.ShouldBeTrue();
    }

    [Fact]
    public void Forward_ToOwnUnit_RefusedAsSameUnit()
    {
        var b = Registered();

        var outcome = b.Apply(new Forward(Units.Bureau, null), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("same-unit");
        outcome.Error.Field.ShouldBe("unitId");
    }

    [Fact]
    public void Assign_ToOwnUnit_RefusedAsSameUnit()
    {
        var b = Registered();

        var outcome = b.Apply(new Assign(Units.Bureau, null, null), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("same-unit");
    }

    [Fact]
    public void Forward_TargetUnitDoesNotExist_RefusedAsUnknownUnit()
    {
        var b = Registered();

        var outcome = b.Apply(new Forward(Units.Stranger, null), b.HolderStaff(), Context(b.Today.AddDays(1)) with { TargetUnitExists = false });

        outcome.Error!.Code.ShouldBe("unknown-unit");
    }

    [Fact]
    public void Assign_ReportDueToday_RefusedAsValidation()
    {
        var b = Registered();
        var day = b.Today.AddDays(1);

        var outcome = b.Apply(new Assign(Units.Dept, day, null), b.HolderStaff(), Context(day));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("reportDueOn");
    }

    // ---- Accept: repeats (Art. 19 ¶3, Art. 36 ¶3) and routes ----

    [Fact]
    public void Accept_RepeatOfFinalMatter_RefusedAsRepeatOfFinal()
    {
        var b = Registered().Forward();
        var before = b.Snap();

        var outcome = b.Apply(new Accept(HandlingRoute.PetitionProcedure), b.HolderStaff(),
            Context(b.Today.AddDays(1)) with { RepeatOf = new LinkedMatter(Guid.NewGuid(), PetitionStatus.Final, null) });

        outcome.Error!.Code.ShouldBe("repeat-of-final");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
    }

    [Theory]
    [InlineData(PetitionStatus.Accepted)]
    [InlineData(PetitionStatus.Replied)]
    [InlineData(PetitionStatus.UnderReview)]
    [InlineData(PetitionStatus.Reviewed)]
    [InlineData(PetitionStatus.UnderReReview)]
    public void Accept_RepeatOfMatterInHandlingByAnotherUnit_RefusedAsRepeatInHandling(PetitionStatus linkedStatus)
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Accept(HandlingRoute.PetitionProcedure), b.HolderStaff(),
            Context(b.Today.AddDays(1)) with { RepeatOf = new LinkedMatter(Guid.NewGuid(), linkedStatus, Units.Stranger) });

        outcome.Error!.Code.ShouldBe("repeat-in-handling");
        b.Petition.Status.ShouldBe(PetitionStatus.Forwarded);
    }

    [Fact]
    public void Accept_RepeatOfMatterInHandlingBySameUnit_Applied()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Accept(HandlingRoute.PetitionProcedure), b.HolderStaff(),
            Context(b.Today.AddDays(1)) with { RepeatOf = new LinkedMatter(Guid.NewGuid(), PetitionStatus.Accepted, Units.Dept) });

        outcome.IsApplied.ShouldBeTrue();
    }

    [Theory]
    [InlineData(PetitionStatus.Closed)]
    [InlineData(PetitionStatus.Declined)]
    [InlineData(PetitionStatus.Withdrawn)]
    [InlineData(PetitionStatus.Registered)]
    public void Accept_RepeatOfMatterNeitherFinalNorInHandling_Applied(PetitionStatus linkedStatus)
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Accept(HandlingRoute.PetitionProcedure), b.HolderStaff(),
            Context(b.Today.AddDays(1)) with { RepeatOf = new LinkedMatter(Guid.NewGuid(), linkedStatus, Units.Stranger) });

        outcome.IsApplied.ShouldBeTrue();
    }

    [Fact]
    public void Register_RepeatOfAnotherMatter_LinkedAndFlaggedNotFirstTime()
    {
        var linked = new LinkedMatter(Guid.NewGuid(), PetitionStatus.Final, null);

        var b = Registered(repeatOf: linked);

        b.Petition.RepeatOfId.ShouldBe(linked.Id);
        b.Petition.Repeat.ShouldBeTrue();
        b.Petition.FirstTime.ShouldBeFalse();
        b.Events.ShouldHaveSingleItem().Sequence.ShouldBe(1);
        b.Petition.Version.ShouldBe(1);
    }

    [Fact]
    public void Accept_UndefinedRoute_RefusedAsValidation()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Accept((HandlingRoute)7), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("route");
    }

    [Fact]
    public void Accept_ByForwardedUnit_RecordsRouteResponsibleUnitAndAcceptanceTime()
    {
        var b = Registered().Forward();
        var context = Context(b.Today.AddDays(1));

        b.Apply(new Accept(HandlingRoute.PetitionProcedure), b.HolderStaff(), context).IsApplied.ShouldBeTrue();

        b.Petition.Route.ShouldBe(HandlingRoute.PetitionProcedure);
        b.Petition.ResponsibleUnitId.ShouldBe(Units.Dept);
        b.Petition.ResponsibleUnitIds.ShouldBe([Units.Dept]);
        b.Petition.AcceptedAt.ShouldBe(context.Now);
        b.Petition.DisposingUnitId.ShouldBe(Units.Bureau);
    }

    [Fact]
    public void Decline_WithoutReason_RefusedAsValidation()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Decline("", Redirect.Litigation), b.HolderStaff(), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("validation");
        outcome.Error.Field.ShouldBe("reason");
    }

    [Fact]
    public void Decline_WithRedirect_DeclinedWithNoClocksAndClosedAt()
    {
        var b = Registered().Forward();
        var context = Context(b.Today.AddDays(1));

        b.Apply(new Decline("属于诉讼事项", Redirect.Litigation), b.HolderStaff(), context).IsApplied.ShouldBeTrue();

        b.Petition.Status.ShouldBe(PetitionStatus.Declined);
        b.Petition.Redirect.ShouldBe(Redirect.Litigation);
        b.Petition.Clocks.ShouldBeEmpty();
        b.Petition.ClosedAt.ShouldBe(context.Now);
    }
}
