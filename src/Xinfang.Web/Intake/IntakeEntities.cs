using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Intake;

/// <summary>
/// A registration made under an Idempotency-Key: the same key and body return the same petition.
/// The first response (with its query code) is kept for 24 hours so a retried request gets it again; the sweep purges it.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; set; }
    public Guid UserId { get; set; }
    public required string RequestHash { get; set; }
    public Guid PetitionId { get; set; }
    public string? Response { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The last petition number issued for a receiving region and year.</summary>
public sealed class NumberSequence
{
    public required string RegionCode { get; set; }
    public int Year { get; set; }
    public long LastValue { get; set; }
}

/// <summary>A node of the problem taxonomy (涉及领域), 2–3 levels.</summary>
public sealed class Category
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? ParentCode { get; set; }
    public int Level { get; set; }
}

sealed class IntakeConfiguration : IEntityTypeConfiguration<IdempotencyRecord>, IEntityTypeConfiguration<NumberSequence>, IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.HasKey(r => new { r.UserId, r.Key });
        b.Property(r => r.Key).HasMaxLength(200);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.HasIndex(r => r.ExpiresAt);
    }

    public void Configure(EntityTypeBuilder<NumberSequence> b)
    {
        b.ToTable("number_sequences");
        b.HasKey(s => new { s.RegionCode, s.Year });
        b.Property(s => s.RegionCode).HasMaxLength(12);
    }

    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.ToTable("categories");
        b.HasKey(c => c.Code);
        b.Property(c => c.Code).HasMaxLength(32);
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.ParentCode).HasMaxLength(32);
    }
}
