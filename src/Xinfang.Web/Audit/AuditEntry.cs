using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Audit;

/// <summary>
/// One row of the tamper-evident audit trail (等保2.0 三级 安全审计; 个人信息保护法 Art. 51): who did what to
/// which target, when and from where. Rows form one hash chain: <see cref="Hash"/> is SM3 (GB/T 32905) over the
/// row's canonical encoding, which includes <see cref="PreviousHash"/>; the database refuses UPDATE and DELETE.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Position in the one chain: 1, 2, 3… without gaps.</summary>
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>staff, petitioner, system or anonymous (a sign-in attempt under an unknown user name).</summary>
    public required string ActorKind { get; set; }
    public Guid? ActorUserId { get; set; }
    public string? ActorUserName { get; set; }
    public Guid? ActorUnitId { get; set; }
    public string? ClientAddress { get; set; }
    /// <summary>A stable code such as <c>signIn.failed</c> or <c>petition.forward</c> (<see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }
    public string? TargetKind { get; set; }
    public string? TargetId { get; set; }
    /// <summary>A small JSON object; references only (a petition's number, never an ID number or phone).</summary>
    public string? Detail { get; set; }
    /// <summary><c>sm3</c>, or <c>sha256</c> where libcrypto offers no SM3.</summary>
    public required string Algorithm { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>
/// Where a retention purge cut the head of the chain: the last removed row's sequence and hash. Verification
/// starts here, so a purged trail still verifies; checkpoints are themselves append-only.
/// </summary>
public sealed class AuditCheckpoint
{
    public long Sequence { get; set; }
    public required string Hash { get; set; }
    /// <summary>The time of the last removed row.</summary>
    public DateTimeOffset At { get; set; }
    public DateTimeOffset PurgedAt { get; set; }
    public long PurgedCount { get; set; }
}

sealed class AuditConfiguration : IEntityTypeConfiguration<AuditEntry>, IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(e => e.Sequence);
        b.Property(e => e.Sequence).ValueGeneratedNever();
        b.Property(e => e.ActorKind).HasMaxLength(20);
        b.Property(e => e.ActorUserName).HasMaxLength(256);
        b.Property(e => e.ClientAddress).HasMaxLength(64);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.TargetKind).HasMaxLength(32);
        b.Property(e => e.TargetId).HasMaxLength(64);
        b.Property(e => e.Detail).HasMaxLength(4000);
        b.Property(e => e.Algorithm).HasMaxLength(10);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.ActorUserId, e.Sequence });
        b.HasIndex(e => new { e.TargetId, e.Sequence });
    }

    public void Configure(EntityTypeBuilder<AuditCheckpoint> b)
    {
        b.ToTable("audit_checkpoints");
        b.HasKey(c => c.Sequence);
        b.Property(c => c.Sequence).ValueGeneratedNever();
        b.Property(c => c.Hash).HasMaxLength(64);
    }
}
