using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Routing;

/// <summary>Region × category → responsible unit (cf. FixMyStreet's body × category contacts). A null category matches any.</summary>
public sealed class RoutingRule
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string RegionCode { get; set; }
    public string? CategoryCode { get; set; }
    public Guid UnitId { get; set; }
}

sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> b)
    {
        b.ToTable("routing_rules");
        b.HasKey(r => r.Id);
        b.Property(r => r.RegionCode).HasMaxLength(12);
        b.Property(r => r.CategoryCode).HasMaxLength(32);
        b.HasIndex(r => new { r.RegionCode, r.CategoryCode, r.UnitId }).IsUnique();
    }
}
