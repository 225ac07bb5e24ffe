using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Web.Data;

namespace Xinfang.Web.ClusterResolution;

/// <summary>
/// How a case cluster (类案) is resolved together at policy level (domain.md, "Supervision": homogeneous cases are
/// "grouped and resolved together at policy level by a lead unit"): the lead unit (牵头单位), the common policy
/// measure, and the members it covers. Clusters are computed on request (CaseClusters), so the members are kept
/// as a snapshot taken when the measure was set: the lead unit and later readers track exactly those matters,
/// whatever a new clustering of the period would group today.
/// </summary>
public sealed class CaseClusterResolution
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>The cluster's key (CaseClusters.KeyOf: region, period, first member).</summary>
    public string ClusterKey { get; set; } = "";
    public Guid LeadUnitId { get; set; }
    /// <summary>The common policy answer or measure (政策性措施).</summary>
    public string Measure { get; set; } = "";
    /// <summary>The cluster's characteristic terms when the measure was set, so the page has a name without recomputing.</summary>
    public string Terms { get; set; } = "";
    public List<Guid> MemberIds { get; set; } = [];
    public DateTimeOffset DesignatedAt { get; set; }
    public Guid DesignatedByUserId { get; set; }
    public Guid DesignatedByUnitId { get; set; }
    /// <summary>Optimistic concurrency: two leaders changing the measure at once do not overwrite each other unseen.</summary>
    public int Version { get; set; }

    public const int MaxKey = 80;
    public const int MaxMeasure = 5000;
    public const int MaxMembers = 2000;
}

sealed class CaseClusterResolutionConfiguration : IEntityTypeConfiguration<CaseClusterResolution>
{
    public void Configure(EntityTypeBuilder<CaseClusterResolution> b)
    {
        b.ToTable("case_cluster_resolutions");
        b.HasKey(r => r.Id);
        b.Property(r => r.ClusterKey).HasMaxLength(CaseClusterResolution.MaxKey);
        b.HasIndex(r => r.ClusterKey).IsUnique();
        b.Property(r => r.Measure).HasMaxLength(CaseClusterResolution.MaxMeasure);
        b.Property(r => r.Terms).HasMaxLength(200);
        b.Property(r => r.MemberIds).HasConversion(XinfangDb.JsonList<Guid>(), XinfangDb.JsonListComparer<Guid>());
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => r.LeadUnitId);
    }
}
