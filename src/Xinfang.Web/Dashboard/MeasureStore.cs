using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Measures;

namespace Xinfang.Web.Dashboard;

/// <summary>
/// One row of the maintained aggregate (table measure_counts): how many facts of a kind a scope (a unit and its whole
/// subtree) had on a day, in total or for one breakdown value. The dashboard sums a few hundred of these rows instead
/// of scanning the petitions of a province.
/// </summary>
public sealed class MeasureCount
{
    public Guid ScopeUnitId { get; set; }
    public string Dim { get; set; } = "";
    public string Fact { get; set; } = "";
    public DateOnly Day { get; set; }
    public string Value { get; set; } = "";
    public long N { get; set; }
    /// <summary>Sum of handling days (fact "replied"); 0 for the others.</summary>
    public long Days { get; set; }
}

sealed class MeasureConfiguration : IEntityTypeConfiguration<MeasureCount>, IEntityTypeConfiguration<PetitionFacts>
{
    public void Configure(EntityTypeBuilder<MeasureCount> b)
    {
        b.ToTable("measure_counts");
        // Scope and breakdown first: every dashboard query is one scope, one breakdown, a few facts and a day range.
        b.HasKey(c => new { c.ScopeUnitId, c.Dim, c.Fact, c.Day, c.Value });
        b.Property(c => c.Dim).HasMaxLength(16);
        b.Property(c => c.Fact).HasMaxLength(32);
        b.Property(c => c.Value).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<PetitionFacts> b)
    {
        b.ToTable("measure_facts");
        b.HasKey(f => f.PetitionId);
        b.Property(f => f.Category).HasMaxLength(8);
        b.Property(f => f.RegionCode).HasMaxLength(9);
        // Drill-down lists: received in a period at the units of a subtree; deadlines of a period.
        b.HasIndex(f => new { f.ReceivingUnitId, f.ReceivedOn });
        b.HasIndex(f => new { f.ResponsibleUnitId, f.HandleDueOn });
    }
}
