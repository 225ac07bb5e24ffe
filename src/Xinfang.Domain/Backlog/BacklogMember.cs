using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Backlog;

/// <summary>Where a listed matter stands in its campaign.</summary>
public enum MemberStatus
{
    /// <summary>Listed (列入), or sent back (退回) or relapsed (反复) and listed again: its owner works on it.</summary>
    Listed,
    /// <summary>Resolution reported with evidence (上报化解), awaiting audit (审核).</summary>
    Reported,
    /// <summary>Audited and struck off (销号); a re-check (回头看) follows.</summary>
    StruckOff,
}

/// <summary>What a re-check (回头看) found.</summary>
public enum RecheckResult { Stable, Relapsed }

/// <summary>Who acts on a member, as the web layer established it from the account, its unit and the campaign.</summary>
/// <param name="UserId">The acting account.</param>
/// <param name="IsOwner">The member's owner (责任人).</param>
/// <param name="Supervises">A supervisor (督查员) of the campaign's unit or a unit above it.</param>
/// <param name="Leads">A unit leader (单位负责人) of the campaign's unit or a unit above it.</param>
public sealed record MemberActor(Guid UserId, bool IsOwner, bool Supervises, bool Leads);

/// <summary>One timeline annotation a step leaves on the matter (Petition.Annotate).</summary>
public sealed record MemberAnnotation(PetitionAction Action, string? Note, object? Data);

/// <summary>The annotations of an applied step, or why it was refused (then nothing changed).</summary>
public readonly record struct MemberOutcome(IReadOnlyList<MemberAnnotation>? Annotations, WorkflowError? Error)
{
    public bool IsApplied => Annotations is not null;
    public static implicit operator MemberOutcome(WorkflowError error) => new(null, error);
}

/// <summary>
/// A matter listed in a backlog campaign, and its small state machine (domain.md, "Supervision and
/// accountability"): listed → reported (上报化解) → audited (审核) → struck off (销号), or sent back (退回, with
/// reasons) to listed; a re-check (回头看) after strike-off finds it stable, or relapsed and listed again.
/// Each step returns the annotations to put on the matter's timeline, or an error and no change.
/// </summary>
public sealed class BacklogMember
{
    public const int MaxText = 2000;

    public Guid Id { get; private set; } = Guid.NewGuid();
    public Guid CampaignId { get; private set; }
    public Guid PetitionId { get; private set; }
    public string PetitionNumber { get; private set; } = "";
    public Guid OwnerUserId { get; private set; }
    public List<Guid> ResponsibleUnitIds { get; private set; } = [];
    public MemberStatus Status { get; private set; }
    public DateTimeOffset ListedAt { get; private set; }
    public Guid ListedByUserId { get; private set; }
    public DateTimeOffset? ReportedAt { get; private set; }
    public Guid? ReportedByUserId { get; private set; }
    public string? ReportSummary { get; private set; }
    public string? Evidence { get; private set; }
    public List<Guid> EvidenceAttachmentIds { get; private set; } = [];
    public DateTimeOffset? AuditedAt { get; private set; }
    public Guid? AuditedByUserId { get; private set; }
    /// <summary>The reasons of the last audit (the return's reasons when sent back).</summary>
    public string? AuditReasons { get; private set; }
    public DateTimeOffset? StruckOffAt { get; private set; }
    /// <summary>When the re-check (回头看) falls due: strike-off day + the configured days; null when none is pending.</summary>
    public DateOnly? RecheckDueOn { get; private set; }
    public DateTimeOffset? RecheckedAt { get; private set; }
    public RecheckResult? RecheckResult { get; private set; }
    public string? RecheckNote { get; private set; }
    /// <summary>How often an audit sent it back (退回).</summary>
    public int Returns { get; private set; }
    /// <summary>How often a re-check found it relapsed (反复).</summary>
    public int Relapses { get; private set; }
    public int Version { get; private set; }

    BacklogMember() { }

    public static BacklogMember List(Guid campaignId, Guid petitionId, string number, Guid ownerUserId, IEnumerable<Guid> responsibleUnitIds, Guid listedBy, DateTimeOffset now) => new()
    {
        CampaignId = campaignId, PetitionId = petitionId, PetitionNumber = number, OwnerUserId = ownerUserId,
        ResponsibleUnitIds = responsibleUnitIds.Distinct().ToList(), Status = MemberStatus.Listed, ListedAt = now, ListedByUserId = listedBy,
    };

    /// <summary>Whether a re-check may be recorded on <paramref name="today"/> (China date).</summary>
    public bool RecheckIsDue(DateOnly today) => Status == MemberStatus.StruckOff && RecheckDueOn is { } due && due <= today;

    /// <summary>上报化解: the owner reports the resolution with evidence (a text, and attachments of the matter by id).</summary>
    public MemberOutcome Report(MemberActor actor, string? summary, string? evidence, IReadOnlyList<Guid> attachmentIds, DateTimeOffset now)
    {
        if (!actor.IsOwner && !actor.Supervises && !actor.Leads) return BacklogErrors.NotOwner;
        if (Status != MemberStatus.Listed) return BacklogErrors.NotListed;
        summary = summary?.Trim();
        evidence = evidence?.Trim();
        if (string.IsNullOrEmpty(summary)) return BacklogErrors.SummaryRequired;
        if (string.IsNullOrEmpty(evidence)) return BacklogErrors.EvidenceRequired;
        if (summary.Length > MaxText || evidence.Length > MaxText) return BacklogErrors.TooLong;
        Status = MemberStatus.Reported;
        ReportedAt = now;
        ReportedByUserId = actor.UserId;
        ReportSummary = summary;
        Evidence = evidence;
        EvidenceAttachmentIds = attachmentIds.Distinct().ToList();
        Version++;
        return Applied(new MemberAnnotation(PetitionAction.BacklogReport, summary, new { memberId = Id, evidence, attachmentIds = EvidenceAttachmentIds }));
    }

    /// <summary>
    /// 审核 by a supervisor, not the one who reported: approved, it is struck off (销号) and its re-check is scheduled
    /// <paramref name="recheckDays"/> later; refused, it is sent back (退回) with reasons and listed again.
    /// </summary>
    public MemberOutcome Audit(MemberActor actor, bool? approve, string? reasons, DateTimeOffset now, int recheckDays)
    {
        if (!actor.Supervises) return BacklogErrors.NotAuditor;
        if (Status != MemberStatus.Reported) return BacklogErrors.NotReported;
        if (ReportedByUserId == actor.UserId) return BacklogErrors.OwnReport;
        if (approve is null) return WorkflowError.Required("approve", "请选择审核结论（通过销号或退回）");
        reasons = reasons?.Trim();
        if (reasons?.Length > MaxText) return BacklogErrors.TooLong;
        if (approve == false && string.IsNullOrEmpty(reasons)) return BacklogErrors.ReasonsRequired;
        AuditedAt = now;
        AuditedByUserId = actor.UserId;
        AuditReasons = string.IsNullOrEmpty(reasons) ? null : reasons;
        Version++;
        var audit = new MemberAnnotation(PetitionAction.BacklogAudit, AuditReasons, new { memberId = Id, approve });
        if (approve == true)
        {
            Status = MemberStatus.StruckOff;
            StruckOffAt = now;
            RecheckDueOn = ChinaTime.DateOf(now).AddDays(recheckDays);
            RecheckedAt = null;
            RecheckResult = null;
            RecheckNote = null;
            return Applied(audit, new MemberAnnotation(PetitionAction.BacklogStrikeOff, null, new { memberId = Id, recheckDueOn = RecheckDueOn }));
        }
        Status = MemberStatus.Listed;
        Returns++;
        return Applied(audit, new MemberAnnotation(PetitionAction.BacklogReturn, AuditReasons, new { memberId = Id, returns = Returns }));
    }

    /// <summary>
    /// 回头看 on or after its due day: stable, it stays struck off for good; relapsed, it is listed again (and
    /// counted as relapsed) for its owner to work on. Before its day it is refused.
    /// </summary>
    public MemberOutcome Recheck(MemberActor actor, RecheckResult? result, string? note, DateTimeOffset now)
    {
        if (!actor.Supervises && !actor.Leads) return BacklogErrors.NotRechecker;
        if (Status != MemberStatus.StruckOff) return BacklogErrors.NotStruckOff;
        if (RecheckedAt is not null) return BacklogErrors.AlreadyRechecked;
        if (!RecheckIsDue(ChinaTime.DateOf(now))) return BacklogErrors.RecheckNotDue;
        if (result is null) return WorkflowError.Required("result", "请选择回头看结论（稳定或反复）");
        note = note?.Trim();
        if (note?.Length > MaxText) return BacklogErrors.TooLong;
        if (result == Backlog.RecheckResult.Relapsed && string.IsNullOrEmpty(note)) return BacklogErrors.NoteRequired;
        RecheckedAt = now;
        RecheckResult = result;
        RecheckNote = string.IsNullOrEmpty(note) ? null : note;
        Version++;
        var data = new { memberId = Id, result, dueOn = RecheckDueOn };
        if (result == Backlog.RecheckResult.Relapsed)
        {
            Status = MemberStatus.Listed;
            Relapses++;
            RecheckDueOn = null;
        }
        return Applied(new MemberAnnotation(PetitionAction.BacklogRecheck, RecheckNote, data));
    }

    static MemberOutcome Applied(params MemberAnnotation[] annotations) => new(annotations, null);
}
