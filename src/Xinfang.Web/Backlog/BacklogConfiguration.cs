using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Backlog;
using Xinfang.Web.Data;

namespace Xinfang.Web.Backlog;

/// <summary>Backlog settings (section "Backlog").</summary>
public sealed class BacklogOptions
{
    /// <summary>回头看: days after strike-off when the re-check falls due (default 90).</summary>
    public int RecheckDays { get; set; } = 90;
}

sealed class BacklogCampaignConfiguration : IEntityTypeConfiguration<BacklogCampaign>
{
    public void Configure(EntityTypeBuilder<BacklogCampaign> b)
    {
        b.ToTable("backlog_campaigns");
        b.HasKey(c => c.Id);
        b.Property(c => c.Name).HasMaxLength(BacklogCampaign.MaxName);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.Criteria);
        b.HasIndex(c => new { c.UnitId, c.CreatedAt });
        b.HasIndex(c => c.CreatedAt);
    }
}

sealed class BacklogMemberConfiguration : IEntityTypeConfiguration<BacklogMember>
{
    public void Configure(EntityTypeBuilder<BacklogMember> b)
    {
        b.ToTable("backlog_members");
        b.HasKey(m => m.Id);
        b.Property(m => m.PetitionNumber).HasMaxLength(40);
        b.Property(m => m.ResponsibleUnitIds).HasConversion(XinfangDb.JsonList<Guid>(), XinfangDb.JsonListComparer<Guid>()).HasMaxLength(2000);
        b.Property(m => m.EvidenceAttachmentIds).HasConversion(XinfangDb.JsonList<Guid>(), XinfangDb.JsonListComparer<Guid>()).HasMaxLength(2000);
        b.Property(m => m.ReportSummary).HasMaxLength(BacklogMember.MaxText);
        b.Property(m => m.Evidence).HasMaxLength(BacklogMember.MaxText);
        b.Property(m => m.AuditReasons).HasMaxLength(BacklogMember.MaxText);
        b.Property(m => m.RecheckNote).HasMaxLength(BacklogMember.MaxText);
        b.Property(m => m.Version).IsConcurrencyToken();
        // One listing of a matter per campaign; the ledger pages by listing time.
        b.HasIndex(m => new { m.CampaignId, m.PetitionId }).IsUnique();
        b.HasIndex(m => new { m.CampaignId, m.ListedAt });
        b.HasIndex(m => m.PetitionId);
        b.HasIndex(m => m.OwnerUserId);
        // Due re-checks (回头看) cost what is due, not what was ever struck off.
        b.HasIndex(m => new { m.Status, m.RecheckDueOn });
    }
}
