using Shouldly;
using Xinfang.Domain.Petitions;
using static Xinfang.Domain.Tests.Petitions.PetitionBuilder;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Supervision annotations (督办, 包案, 积案…) on the timeline: no status or clock change, but an ordered, versioned event.</summary>
public class AnnotationTests
{
    [Fact]
    public void Annotate_AcceptedMatter_AppendsNextEventWithStatusAndClocksUnchanged()
    {
        var b = Registered().Forward().Accept();
        var p = b.Petition;
        var (status, version, sequence, clocks) = (p.Status, p.Version, p.LastEventSequence, p.Clocks.Select(c => (c.Name, c.DueOn)).ToList());

        var e = p.Annotate(PetitionAction.Supervise, Staff(Units.Bureau), At(b.Today), "请按期办结", new { form = "letter" }, Units.Dept);

        e.Sequence.ShouldBe(sequence + 1);
        e.FromStatus.ShouldBe(status);
        e.ToStatus.ShouldBe(status);
        e.TargetUnitId.ShouldBe(Units.Dept);
        e.Data!.ShouldContain("letter");
        p.Status.ShouldBe(status);
        p.Version.ShouldBe(version + 1);
        p.Clocks.Select(c => (c.Name, c.DueOn)).ShouldBe(clocks);
    }

    [Fact]
    public void Annotate_WorkflowStepAction_Refused()
    {
        var p = Registered().Petition;
        Should.Throw<ArgumentException>(() => p.Annotate(PetitionAction.Reply, Staff(Units.Bureau), At(DefaultReceivedOn)));
    }

    [Fact]
    public void MarkUrgent_Twice_FlagsOnceAndMovesVersionOnce()
    {
        var p = Registered().Petition;
        var version = p.Version;
        p.MarkUrgent();
        p.MarkUrgent();
        p.Urgent.ShouldBeTrue();
        p.Version.ShouldBe(version + 1);
    }
}
