using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Backlog;

/// <summary>
/// The backlog member's state machine (domain.md, "Supervision and accountability"): every step from every state,
/// who may take it, what it leaves on the timeline, and that a refused step changes nothing.
/// </summary>
public class BacklogMemberTests
{
    static readonly DateTimeOffset Monday = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));
    static readonly Guid Owner = Guid.NewGuid(), Supervisor = Guid.NewGuid(), OtherSupervisor = Guid.NewGuid(), Leader = Guid.NewGuid();

    static MemberActor AsOwner => new(Owner, IsOwner: true, Supervises: false, Leads: false);
    static MemberActor AsSupervisor => new(Supervisor, IsOwner: false, Supervises: true, Leads: false);
    static MemberActor AsOtherSupervisor => new(OtherSupervisor, IsOwner: false, Supervises: true, Leads: false);
    static MemberActor AsLeader => new(Leader, IsOwner: false, Supervises: false, Leads: true);
    static MemberActor AsStranger => new(Guid.NewGuid(), false, false, false);

    static BacklogMember Listed() => BacklogMember.List(Guid.NewGuid(), Guid.NewGuid(), "320583-2026-000001", Owner, [Guid.NewGuid()], Supervisor, Monday);

    static BacklogMember Reported()
    {
        var m = Listed();
        m.Report(AsOwner, "已协调开发商复工", "复工通知书及信访人签字确认", [], Monday.AddDays(10)).IsApplied.ShouldBeTrue();
        return m;
    }

    static BacklogMember StruckOff()
    {
        var m = Reported();
        m.Audit(AsSupervisor, true, "材料齐全", Monday.AddDays(12), 90).IsApplied.ShouldBeTrue();
        return m;
    }

    public enum Step { Report, AuditApprove, AuditReturn, RecheckStable, RecheckRelapsed }

    static MemberOutcome Take(BacklogMember m, Step step, DateTimeOffset at) => step switch
    {
        Step.Report => m.Report(AsOwner, "化解情况", "证明材料", [], at),
        Step.AuditApprove => m.Audit(AsOtherSupervisor, true, null, at, 90),
        Step.AuditReturn => m.Audit(AsOtherSupervisor, false, "材料不全", at, 90),
        Step.RecheckStable => m.Recheck(AsSupervisor, RecheckResult.Stable, null, at),
        _ => m.Recheck(AsSupervisor, RecheckResult.Relapsed, "信访人再次来访", at),
    };

    static BacklogMember In(MemberStatus status) => status switch
    {
        MemberStatus.Listed => Listed(),
        MemberStatus.Reported => Reported(),
        _ => StruckOff(),
    };

    /// <summary>The table: from each state, which steps apply and where they lead.</summary>
    static readonly Dictionary<(MemberStatus, Step), MemberStatus> Allowed = new()
    {
        [(MemberStatus.Listed, Step.Report)] = MemberStatus.Reported,
        [(MemberStatus.Reported, Step.AuditApprove)] = MemberStatus.StruckOff,
        [(MemberStatus.Reported, Step.AuditReturn)] = MemberStatus.Listed,
        [(MemberStatus.StruckOff, Step.RecheckStable)] = MemberStatus.StruckOff,
        [(MemberStatus.StruckOff, Step.RecheckRelapsed)] = MemberStatus.Listed,
    };

    public static TheoryData<MemberStatus, Step> AllPairs()
    {
        var data = new TheoryData<MemberStatus, Step>();
        foreach (var s in Enum.GetValues<MemberStatus>())
            foreach (var step in Enum.GetValues<Step>()) data.Add(s, step);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Step_FromEachState_AppliesExactlyPerTableAndOtherwiseChangesNothing(MemberStatus from, Step step)
    {
        var m = In(from);
        var version = m.Version;
        var due = Monday.AddDays(12 + 90); // the re-check's day, so only the state decides
        var outcome = Take(m, step, due);
        if (Allowed.TryGetValue((from, step), out var to))
        {
            outcome.IsApplied.ShouldBeTrue(outcome.Error?.Title);
            m.Status.ShouldBe(to);
            m.Version.ShouldBe(version + 1);
        }
        else
        {
            outcome.IsApplied.ShouldBeFalse();
            outcome.Error!.Kind.ShouldBe(WorkflowErrorKind.Conflict);
            m.Status.ShouldBe(from);
            m.Version.ShouldBe(version);
        }
    }

    [Fact]
    public void Report_ByOwner_RecordsSummaryEvidenceAndAttachmentsAndOneReportAnnotation()
    {
        var m = Listed();
        var file = Guid.NewGuid();
        var outcome = m.Report(AsOwner, " 已化解 ", " 协议书 ", [file, file], Monday);
        outcome.Annotations!.Select(a => a.Action).ShouldBe([PetitionAction.BacklogReport]);
        outcome.Annotations![0].Note.ShouldBe("已化解");
        m.ReportSummary.ShouldBe("已化解");
        m.Evidence.ShouldBe("协议书");
        m.EvidenceAttachmentIds.ShouldBe([file]);
        m.ReportedByUserId.ShouldBe(Owner);
    }

    [Theory]
    [InlineData(null, "证明", "summary")]
    [InlineData("化解", "  ", "evidence")]
    public void Report_WithoutSummaryOrEvidenceText_IsInvalidForThatField(string? summary, string? evidence, string field)
    {
        var m = Listed();
        var outcome = m.Report(AsOwner, summary, evidence, [Guid.NewGuid()], Monday);
        outcome.Error!.Kind.ShouldBe(WorkflowErrorKind.Invalid);
        outcome.Error.Field.ShouldBe(field);
        m.Status.ShouldBe(MemberStatus.Listed);
    }

    [Fact]
    public void Report_ByLeaderOrSupervisorOfCampaign_IsAllowedButByAnyoneElseForbidden()
    {
        Listed().Report(AsLeader, "化解", "证明", [], Monday).IsApplied.ShouldBeTrue();
        Listed().Report(AsSupervisor, "化解", "证明", [], Monday).IsApplied.ShouldBeTrue();
        var m = Listed();
        m.Report(AsStranger, "化解", "证明", [], Monday).Error.ShouldBe(BacklogErrors.NotOwner);
        m.Version.ShouldBe(0);
    }

    [Fact]
    public void Audit_Approved_StrikesOffSchedulesRecheckAfterConfiguredDaysAndLeavesAuditAndStrikeOff()
    {
        var m = Reported();
        var outcome = m.Audit(AsSupervisor, true, null, new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(8)), 90);
        outcome.Annotations!.Select(a => a.Action).ShouldBe([PetitionAction.BacklogAudit, PetitionAction.BacklogStrikeOff]);
        m.Status.ShouldBe(MemberStatus.StruckOff);
        m.RecheckDueOn.ShouldBe(new DateOnly(2026, 6, 29)); // China date of strike-off + 90
        m.AuditedByUserId.ShouldBe(Supervisor);
    }

    [Fact]
    public void Audit_SentBackWithReasons_ListsAgainCountsTheReturnAndLeavesAuditAndReturn()
    {
        var m = Reported();
        var outcome = m.Audit(AsSupervisor, false, "缺少信访人签字", Monday, 90);
        outcome.Annotations!.Select(a => a.Action).ShouldBe([PetitionAction.BacklogAudit, PetitionAction.BacklogReturn]);
        outcome.Annotations![1].Note.ShouldBe("缺少信访人签字");
        m.Status.ShouldBe(MemberStatus.Listed);
        m.Returns.ShouldBe(1);
        m.RecheckDueOn.ShouldBeNull();
        m.Report(AsOwner, "补充材料", "签字确认书", [], Monday).IsApplied.ShouldBeTrue(); // and it can be reported again
    }

    [Fact]
    public void Audit_SentBackWithoutReasons_IsInvalidAndChangesNothing()
    {
        var m = Reported();
        var outcome = m.Audit(AsSupervisor, false, " ", Monday, 90);
        outcome.Error.ShouldBe(BacklogErrors.ReasonsRequired);
        m.Status.ShouldBe(MemberStatus.Reported);
        m.Audit(AsSupervisor, null, "x", Monday, 90).Error!.Field.ShouldBe("approve");
    }

    [Fact]
    public void Audit_ByNonSupervisorOrByTheReporter_IsForbidden()
    {
        var m = Reported();
        m.Audit(AsLeader, true, null, Monday, 90).Error.ShouldBe(BacklogErrors.NotAuditor);
        m.Audit(AsOwner, true, null, Monday, 90).Error.ShouldBe(BacklogErrors.NotAuditor);
        var own = Listed();
        own.Report(AsSupervisor, "化解", "证明", [], Monday);
        own.Audit(AsSupervisor, true, null, Monday, 90).Error.ShouldBe(BacklogErrors.OwnReport);
        own.Status.ShouldBe(MemberStatus.Reported);
    }

    [Fact]
    public void Recheck_TheDayBeforeItIsDue_IsRefusedAndOnItsDayIsRecorded()
    {
        var m = StruckOff(); // struck off on Monday + 12 days → due 90 days later
        var dueOn = m.RecheckDueOn!.Value;
        var eve = new DateTimeOffset(dueOn.AddDays(-1).ToDateTime(new TimeOnly(23, 59)), TimeSpan.FromHours(8));
        m.RecheckIsDue(dueOn.AddDays(-1)).ShouldBeFalse();
        m.Recheck(AsSupervisor, RecheckResult.Stable, null, eve).Error.ShouldBe(BacklogErrors.RecheckNotDue);
        var morning = new DateTimeOffset(dueOn.ToDateTime(new TimeOnly(0, 1)), TimeSpan.FromHours(8));
        var outcome = m.Recheck(AsSupervisor, RecheckResult.Stable, null, morning);
        outcome.Annotations!.Select(a => a.Action).ShouldBe([PetitionAction.BacklogRecheck]);
        m.Status.ShouldBe(MemberStatus.StruckOff);
        m.RecheckResult.ShouldBe(RecheckResult.Stable);
        m.Recheck(AsSupervisor, RecheckResult.Stable, null, morning.AddDays(1)).Error.ShouldBe(BacklogErrors.AlreadyRechecked);
    }

    [Fact]
    public void Recheck_Relapsed_ReopensCountsTheRelapseAndAfterANewStrikeOffSchedulesAnotherRecheck()
    {
        var m = StruckOff();
        var due = m.RecheckDueOn!.Value;
        var at = new DateTimeOffset(due.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        m.Recheck(AsSupervisor, RecheckResult.Relapsed, " ", at).Error.ShouldBe(BacklogErrors.NoteRequired);
        m.Recheck(AsLeader, RecheckResult.Relapsed, "信访人再次到县信访局反映", at).IsApplied.ShouldBeTrue();
        m.Status.ShouldBe(MemberStatus.Listed);
        m.Relapses.ShouldBe(1);
        m.RecheckDueOn.ShouldBeNull();

        m.Report(AsOwner, "再次化解", "新协议", [], at.AddDays(5)).IsApplied.ShouldBeTrue();
        m.Audit(AsOtherSupervisor, true, null, at.AddDays(6), 30).IsApplied.ShouldBeTrue();
        m.RecheckDueOn.ShouldBe(due.AddDays(36));
        m.RecheckedAt.ShouldBeNull();
        m.Relapses.ShouldBe(1);
    }

    [Fact]
    public void Recheck_ByOwnerAlone_IsForbidden()
    {
        var m = StruckOff();
        var at = new DateTimeOffset(m.RecheckDueOn!.Value.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
        m.Recheck(AsOwner, RecheckResult.Stable, null, at).Error.ShouldBe(BacklogErrors.NotRechecker);
    }

    [Theory]
    [InlineData(0, 5, 0.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(9, 10, 0.9)]
    [InlineData(0, 0, null)]
    public void ResolutionRate_IsStruckOffOverListedAndNoneWhileNothingIsListed(int struckOff, int listed, double? rate)
    {
        var actual = new BacklogProgress(listed, 0, struckOff, 0, 0, 0).ResolutionRate;
        if (rate is null) actual.ShouldBeNull();
        else actual!.Value.ShouldBe(rate.Value, 1e-9);
    }

    [Fact]
    public void Campaign_WithoutCriteriaOrWithEndBeforeStart_IsRefusedWithFieldErrors()
    {
        var (none, errors) = BacklogCampaign.Create(" ", Guid.NewGuid(), new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 1), new CampaignCriteria(), Guid.NewGuid(), Monday);
        none.ShouldBeNull();
        errors.Select(e => e.Field).ShouldBe(["name", "endsOn", "criteria"], ignoreOrder: true);
        BacklogCampaign.Create("x", Guid.NewGuid(), new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), new CampaignCriteria(MinRepeats: 0), Guid.NewGuid(), Monday)
            .Errors.Select(e => e.Field).ShouldBe(["criteria.minRepeats"]);
        var (campaign, ok) = BacklogCampaign.Create(" 2026年积案化解 ", Guid.NewGuid(), new DateOnly(2026, 3, 1), new DateOnly(2026, 6, 30), new CampaignCriteria(PetitioningAfterFinal: true), Guid.NewGuid(), Monday);
        ok.ShouldBeEmpty();
        campaign!.Name.ShouldBe("2026年积案化解");
        campaign.CanList(new DateOnly(2026, 6, 30)).ShouldBeNull();
        campaign.CanList(new DateOnly(2026, 7, 1)).ShouldBe(BacklogErrors.CampaignEnded);
    }
}
