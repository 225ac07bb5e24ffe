using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Ownership;

/// <summary>Where an ownership stands: owned and being worked, released without an outcome, or closed with one.</summary>
public enum OwnershipStatus { Active, Released, Closed }

/// <summary>
/// In what capacity a leader owns a matter (双包案, Art. 18): the territory's leader (a leader of a government unit,
/// 属地) or the department's (a leader of a functional unit, 行业部门).
/// </summary>
public enum LeaderCapacity { Territory, Department }

/// <summary>
/// 领导包案 (Art. 18): a named leader — or two, the territory's and the department's — owns a hard matter,
/// with a plan (一案一策), progress notes, and an outcome recorded as 三到位一处理. One active ownership per
/// matter at a time; re-assigning changes its leaders and keeps its plan; releasing or closing ends it.
/// Every change also goes on the matter's timeline as an annotation (PetitionAction.Ownership*).
/// </summary>
public sealed class Ownership
{
    /// <summary>Time-ordered, so the ledger breaks ties of equal assignment instants by id, newest first.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PetitionId { get; set; }
    public OwnershipStatus Status { get; set; } = OwnershipStatus.Active;
    public string? Note { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public Guid AssignedByUserId { get; set; }
    public Guid AssignedByUnitId { get; set; }

    /// <summary>一案一策: what the plan sets out to do; its steps are <see cref="OwnershipStep"/> rows.</summary>
    public string? PlanSummary { get; set; }
    public DateTimeOffset? PlanUpdatedAt { get; set; }

    /// <summary>When it was released or closed, by whom, and (for a release) why.</summary>
    public DateTimeOffset? EndedAt { get; set; }
    public Guid? EndedByUserId { get; set; }
    public string? EndNote { get; set; }

    // 三到位一处理: each part achieved or not, with what was done.
    public bool? Resolved { get; set; }
    public string? ResolvedNote { get; set; }
    public bool? Counselled { get; set; }
    public string? CounselledNote { get; set; }
    public bool? Relieved { get; set; }
    public string? RelievedNote { get; set; }
    public bool? HandledByLaw { get; set; }
    public string? HandledByLawNote { get; set; }
    public string? OutcomeSummary { get; set; }

    /// <summary>Moves with every change: the ETag of GET /ownerships/{id}, checked by If-Match on every write.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>A leader's part in an ownership: who, in which unit and capacity, from when, and until when (re-assignment or end).</summary>
public sealed class OwnershipLeader
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OwnershipId { get; set; }
    public Guid UserId { get; set; }
    public Guid UnitId { get; set; }
    public LeaderCapacity Capacity { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>One step of the plan (一案一策): what, by when, by which unit, and when it was done.</summary>
public sealed class OwnershipStep
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OwnershipId { get; set; }
    public int Position { get; set; }
    public required string Title { get; set; }
    public DateOnly DueOn { get; set; }
    public Guid? ResponsibleUnitId { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public Guid? DoneByUserId { get; set; }
    public string? DoneNote { get; set; }
}

/// <summary>A progress note (包案进展): what happened and when, as the owning leader reports it.</summary>
public sealed class OwnershipProgress
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OwnershipId { get; set; }
    /// <summary>When it happened (a meeting yesterday), as reported.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>When it was written down.</summary>
    public DateTimeOffset RecordedAt { get; set; }
    public Guid ByUserId { get; set; }
    public required string Text { get; set; }
}

sealed class OwnershipConfiguration : IEntityTypeConfiguration<Ownership>
{
    public void Configure(EntityTypeBuilder<Ownership> b)
    {
        b.ToTable("ownerships");
        b.HasKey(o => o.Id);
        b.Property(o => o.Status).HasMaxLength(20);
        b.Property(o => o.Note).HasMaxLength(OwnershipLimits.Note);
        b.Property(o => o.PlanSummary).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.EndNote).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.ResolvedNote).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.CounselledNote).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.RelievedNote).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.HandledByLawNote).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.OutcomeSummary).HasMaxLength(OwnershipLimits.Text);
        b.Property(o => o.Version).IsConcurrencyToken();
        b.HasIndex(o => o.PetitionId);
        // The ledger: newest first.
        b.HasIndex(o => new { o.AssignedAt, o.Id });
    }
}

sealed class OwnershipLeaderConfiguration : IEntityTypeConfiguration<OwnershipLeader>
{
    public void Configure(EntityTypeBuilder<OwnershipLeader> b)
    {
        b.ToTable("ownership_leaders");
        b.HasKey(l => l.Id);
        b.Property(l => l.Capacity).HasMaxLength(20);
        b.HasIndex(l => l.OwnershipId);
        // A leader's own page (我的包案): what they own now.
        b.HasIndex(l => new { l.UserId, l.ReleasedAt });
    }
}

sealed class OwnershipStepConfiguration : IEntityTypeConfiguration<OwnershipStep>
{
    public void Configure(EntityTypeBuilder<OwnershipStep> b)
    {
        b.ToTable("ownership_steps");
        b.HasKey(s => s.Id);
        b.Property(s => s.Title).HasMaxLength(OwnershipLimits.StepTitle);
        b.Property(s => s.DoneNote).HasMaxLength(OwnershipLimits.Note);
        b.HasIndex(s => new { s.OwnershipId, s.Position });
    }
}

sealed class OwnershipProgressConfiguration : IEntityTypeConfiguration<OwnershipProgress>
{
    public void Configure(EntityTypeBuilder<OwnershipProgress> b)
    {
        b.ToTable("ownership_progress");
        b.HasKey(p => p.Id);
        b.Property(p => p.Text).HasMaxLength(OwnershipLimits.Text);
        b.HasIndex(p => new { p.OwnershipId, p.At });
    }
}

/// <summary>Field lengths, shared by validation and the columns.</summary>
public static class OwnershipLimits
{
    public const int Note = 500;
    public const int Text = 2000;
    public const int StepTitle = 200;
    public const int MaxSteps = 50;
}
