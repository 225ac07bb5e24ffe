using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>
/// Every status × action pair (Register excepted: it creates a petition, it is not applied to one). Each pair
/// the table allows must work end to end with a valid command by a permitted actor; every other pair must be
/// refused without touching the petition.
/// </summary>
public class TransitionTableTests
{
    static IEnumerable<(PetitionStatus Status, PetitionAction Action)> AllPairs() =>
        from status in Enum.GetValues<PetitionStatus>()
        from action in Enum.GetValues<PetitionAction>()
        where action != PetitionAction.Register && PetitionActions.IsStep(action)
        select (status, action);

    public static TheoryData<PetitionStatus, PetitionAction> AllowedPairs()
    {
        var data = new TheoryData<PetitionStatus, PetitionAction>();
        foreach (var (s, a) in AllPairs().Where(p => Workflow.Find(p.Status, p.Action) is not null)) data.Add(s, a);
        return data;
    }

    public static TheoryData<PetitionStatus, PetitionAction> ForbiddenPairs()
    {
        var data = new TheoryData<PetitionStatus, PetitionAction>();
        foreach (var (s, a) in AllPairs().Where(p => Workflow.Find(p.Status, p.Action) is null)) data.Add(s, a);
        return data;
    }

    [Fact]
    public void Pairs_AllStatusesAndActions_SplitIntoAllowedTableRowsAndForbiddenRest()
    {
        var statuses = Enum.GetValues<PetitionStatus>().Length;
        var actions = Enum.GetValues<PetitionAction>().Count(PetitionActions.IsStep) - 1;
        AllowedPairs().Count().ShouldBe(Workflow.Table.Count);
        (AllowedPairs().Count() + ForbiddenPairs().Count()).ShouldBe(statuses * actions);
        Workflow.Table.ShouldNotContain(t => t.Action == PetitionAction.Register);
        // Terminal means no further steps — except that a closed matter reopens for a review request made in time (Art. 35–36).
        Workflow.Table.Where(t => Workflow.Terminal.Contains(t.From)).Select(t => (t.From, t.Action))
            .ShouldBe([(PetitionStatus.Closed, PetitionAction.RequestReview), (PetitionStatus.Closed, PetitionAction.RequestReReview)], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Apply_AllowedPairWithValidCommandByPermittedActor_EndsInTargetStatusWithOneNextEvent(PetitionStatus from, PetitionAction action)
    {
        var transition = Workflow.Find(from, action)!;
        // Close straight from accepted is for the diverted routes 1–5 only (route 6 needs a written opinion).
        var b = PetitionBuilder.ForPair(from, action);
        b.Petition.Status.ShouldBe(from);
        var (command, context) = b.ValidCommandFor(action);
        var unit = transition.Who == Who.ReviewBody
            ? ((command as RequestReview)?.UnitId ?? ((RequestReReview)command).UnitId)
            : b.Petition.HoldingUnitId;
        var actor = PetitionBuilder.Staff(unit, [.. transition.Roles]);
        var before = b.Snap();

        var outcome = b.Petition.Apply(command, actor, context);

        outcome.Error.ShouldBeNull();
        outcome.IsApplied.ShouldBeTrue();
        var e = outcome.Event!;
        b.Petition.Status.ShouldBe(transition.To);
        e.Sequence.ShouldBe(before.LastEventSequence + 1);
        b.Petition.LastEventSequence.ShouldBe(e.Sequence);
        e.PetitionId.ShouldBe(b.Petition.Id);
        e.Action.ShouldBe(action);
        e.FromStatus.ShouldBe(from);
        e.ToStatus.ShouldBe(transition.To);
        e.At.ShouldBe(context.Now);
        e.ActorKind.ShouldBe(ActorKind.Staff);
        e.ActorUnitId.ShouldBe(unit);
        b.Petition.Version.ShouldBe(before.Version + 1);
    }

    [Theory]
    [MemberData(nameof(ForbiddenPairs))]
    public void Apply_PairNotInTable_RefusedAsNotAllowedOrFinalAndPetitionUnchanged(PetitionStatus from, PetitionAction action)
    {
        var b = PetitionBuilder.InStatus(from);
        var (command, context) = PetitionBuilder.ValidCommand(action, b.Today.AddDays(1));
        var before = b.Snap();

        var outcome = b.Petition.Apply(command, b.HolderStaff(), context);

        outcome.IsApplied.ShouldBeFalse();
        outcome.Event.ShouldBeNull();
        // A final matter refuses everything as final (Art. 36 ¶3); withdraw, which Apply lets through to the
        // table, is refused there because the table has no withdraw from final.
        var expected = from == PetitionStatus.Final && action != PetitionAction.Withdraw ? "matter-final" : "action-not-allowed";
        outcome.Error!.Code.ShouldBe(expected);
        outcome.Error.Kind.ShouldBe(WorkflowErrorKind.Conflict);
        b.ShouldBeUnchangedSince(before);
    }

    [Fact]
    public void Withdraw_EveryOpenStatus_IsInTableAndNoTerminalStatusHasIt()
    {
        foreach (var status in Enum.GetValues<PetitionStatus>())
            (Workflow.Find(status, PetitionAction.Withdraw) is not null).ShouldBe(Workflow.IsOpen(status), status.ToString());
    }

    [Fact]
    public void ActionsFrom_Replied_ListsRequestReviewCloseAndWithdraw()
    {
        Workflow.ActionsFrom(PetitionStatus.Replied).ShouldBe(
            [PetitionAction.RequestReview, PetitionAction.Close, PetitionAction.Withdraw], ignoreOrder: true);
    }
}
