using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Organisation;

namespace Xinfang.Web.Organisation;

sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> b)
    {
        b.ToTable("units");
        b.HasKey(u => u.Id);
        b.Property(u => u.Code).HasMaxLength(64);
        b.HasIndex(u => u.Code).IsUnique();
        b.Property(u => u.Name).HasMaxLength(200);
        b.Property(u => u.RegionCode).HasMaxLength(12);
        b.Property(u => u.Path).HasMaxLength(400);
        b.HasIndex(u => u.Path);
        b.HasIndex(u => u.ParentId);
        b.Property(u => u.Version).IsConcurrencyToken();
    }
}
