using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Who may take a step: the holding unit (or review body), with a fitting role; petitioner and system only where the table says.</summary>
public class AuthorisationTests
{
    [Fact]
    public void Forward_ByStaffOfAnotherUnit_RefusedAsNotHoldingUnitForbidden()
    {
        var b = Registered();
        var before = b.Snap();

        var outcome = b.Apply(new Forward(Units.Stranger, null), Staff(Units.Dept, Role.IntakeClerk), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("not-holding-unit");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Forbidden);
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Reply_ByForwardingBureauAfterAcceptance_RefusedAsNotHoldingUnit()
    {
        var b = Registered().Forward().Accept();

        var outcome = b.Apply(new Reply(Decision.Support, "意见书", b.Today), Staff(Units.Bureau), Context(b.Today));

        outcome.Error!.Code.ShouldBe("not-holding-unit");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Forbidden);
    }

    [Theory]
    [InlineData(Role.Analyst)]
    [InlineData(Role.Supervisor)]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    [InlineData(Role.AuditAdmin)]
    [InlineData(Role.Caseworker)] // forwarding is the intake clerk's or the leader's
    public void Forward_ByHoldingUnitStaffWithoutClerkRole_RefusedAsRoleNotPermitted(Role role)
    {
        var b = Registered();
        var before = b.Snap();

        var outcome = b.Apply(new Forward(Units.Dept, null), Staff(Units.Bureau, role), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("role-not-permitted");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Forbidden);
        b.ShouldBeUnchangedSince(before);
    }

    [Theory]
    [InlineData(Role.IntakeClerk)] // the written opinion is the caseworker's or the leader's
    [InlineData(Role.Analyst)]
    [InlineData(Role.SystemAdmin)]
    public void Reply_ByHoldingUnitStaffWithoutDeciderRole_RefusedAsRoleNotPermitted(Role role)
    {
        var b = Registered().Forward().Accept();

        var outcome = b.Apply(new Reply(Decision.Support, "意见书", b.Today), Staff(Units.Dept, role), Context(b.Today));

        outcome.Error!.Code.ShouldBe("role-not-permitted");
        b.Petition.Status.ShouldBe(PetitionStatus.Accepted);
    }

    [Theory]
    [InlineData(Role.IntakeClerk)]
    [InlineData(Role.UnitLeader)]
    public void Forward_ByHoldingUnitClerkOrLeader_Applied(Role role)
    {
        var b = Registered();

        var outcome = b.Apply(new Forward(Units.Dept, null), Staff(Units.Bureau, role), Context(b.Today.AddDays(1)));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.HoldingUnitId.ShouldBe(Units.Dept);
    }

    static readonly PetitionAction[] PetitionerActions = [PetitionAction.RequestReview, PetitionAction.RequestReReview, PetitionAction.Withdraw];

    [Theory]
    [MemberData(nameof(TransitionTableTests.AllowedPairs), MemberType = typeof(TransitionTableTests))]
    public void Apply_ByPetitioner_AppliedOnlyForReviewRequestsAndWithdraw(PetitionStatus from, PetitionAction action)
    {
        var b = ForPair(from, action);
        var (command, context) = b.ValidCommandFor(action);
        var before = b.Snap();

        var outcome = b.Apply(command, Actor.Petitioner, context);

        if (PetitionerActions.Contains(action))
        {
            outcome.Error.ShouldBeNull();
            outcome.Event!.ActorKind.ShouldBe(ActorKind.Petitioner);
            b.Petition.Status.ShouldBe(Workflow.Find(from, action)!.To);
        }
        else
        {
            outcome.Error!.Code.ShouldBe("role-not-permitted");
            b.ShouldBeUnchangedSince(before);
        }
    }

    [Theory]
    [MemberData(nameof(TransitionTableTests.AllowedPairs), MemberType = typeof(TransitionTableTests))]
    public void Apply_BySystem_AppliedOnlyForCloseOfRepliedOrReviewed(PetitionStatus from, PetitionAction action)
    {
        var b = ForPair(from, action);
        var (command, context) = b.ValidCommandFor(action);
        var before = b.Snap();

        var outcome = b.Apply(command, Actor.System, context);

        if (action == PetitionAction.Close && from is PetitionStatus.Replied or PetitionStatus.Reviewed)
        {
            outcome.Error.ShouldBeNull();
            outcome.Event!.ActorKind.ShouldBe(ActorKind.System);
            b.Petition.Status.ShouldBe(PetitionStatus.Closed);
        }
        else
        {
            outcome.Error!.Code.ShouldBe("role-not-permitted");
            b.ShouldBeUnchangedSince(before);
        }
    }

    [Fact]
    public void Withdraw_ByReceivingBureauAfterForwarding_AppliedAsFirstReceiver()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Withdraw("信访人撤回"), Staff(Units.Bureau, Role.IntakeClerk), Context(b.Today.AddDays(1)));

        outcome.IsApplied.ShouldBeTrue();
        b.Petition.Status.ShouldBe(PetitionStatus.Withdrawn);
        b.Petition.Clocks.ShouldBeEmpty();
    }

    [Fact]
    public void Withdraw_ByUnrelatedUnit_RefusedAsNotHoldingUnit()
    {
        var b = Registered().Forward();

        var outcome = b.Apply(new Withdraw("信访人撤回"), Staff(Units.Stranger), Context(b.Today.AddDays(1)));

        outcome.Error!.Code.ShouldBe("not-holding-unit");
    }

    [Fact]
    public void RequestReview_RecordedByReplyingUnit_AppliedAndMatterGoesToReviewBody()
    {
        var b = InStatus(PetitionStatus.Replied);
        var day = b.Today.AddDays(3);

        var outcome = b.Apply(new RequestReview(day, "不服", Units.ReviewBody), Staff(Units.Dept, Role.IntakeClerk),
            Context(day) with { ReviewBodies = new HashSet<Guid> { Units.ReviewBody } });

        outcome.IsApplied.ShouldBeTrue();
        outcome.Event!.TargetUnitId.ShouldBe(Units.ReviewBody);
        b.Petition.HoldingUnitId.ShouldBe(Units.ReviewBody);
        b.Petition.Status.ShouldBe(PetitionStatus.UnderReview);
    }

    [Fact]
    public void RequestReview_RecordedByUnitThatIsNeitherHolderNorNamedBody_RefusedAsNotHoldingUnit()
    {
        var b = InStatus(PetitionStatus.Replied);
        var day = b.Today.AddDays(3);

        var outcome = b.Apply(new RequestReview(day, "不服", Units.ReviewBody), Staff(Units.Stranger),
            Context(day) with { ReviewBodies = new HashSet<Guid> { Units.ReviewBody } });

        outcome.Error!.Code.ShouldBe("not-holding-unit");
    }

    [Fact]
    public void RequestReview_UnitNamingItselfButNotEligible_RefusedAsReviewBodyNotEligible()
    {
        var b = InStatus(PetitionStatus.Replied);
        var day = b.Today.AddDays(3);

        var outcome = b.Apply(new RequestReview(day, "不服", Units.Stranger), Staff(Units.Stranger),
            Context(day) with { ReviewBodies = new HashSet<Guid> { Units.ReviewBody } });

        outcome.Error!.Code.ShouldBe("review-body-not-eligible");
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Invalid);
        outcome.Error.Field.ShouldBe("unitId");
    }
}
