using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.UrgentReports;

/// <summary>
/// Art. 25: a major or urgent matter is reported at once to the petition bureau one level up, which acknowledges it
/// (签收). One report per matter (the flag, once set, stays); the timeline carries the same facts as annotations.
/// </summary>
public sealed class UrgentReport
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    /// <summary>The receiving or holding unit that reported it.</summary>
    public Guid FromUnitId { get; set; }
    /// <summary>The petition bureau one level up (the root when there is none).</summary>
    public Guid ToUnitId { get; set; }
    public required string Reason { get; set; }
    /// <summary>Flagged when the matter was registered (else later, on the petition page or over the API).</summary>
    public bool AtRegistration { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public Guid? ReportedByUserId { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedByUserId { get; set; }
}

sealed class UrgentReportConfiguration : IEntityTypeConfiguration<UrgentReport>
{
    public void Configure(EntityTypeBuilder<UrgentReport> b)
    {
        b.ToTable("urgent_reports");
        b.HasKey(r => r.Id);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.HasIndex(r => r.PetitionId).IsUnique();
        b.HasIndex(r => new { r.ToUnitId, r.AcknowledgedAt, r.ReportedAt });
    }
}
