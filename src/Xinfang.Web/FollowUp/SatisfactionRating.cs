using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Petitions;

namespace Xinfang.Web.FollowUp;

public enum RatingChannel { Portal, Phone, Sms, Visit }

/// <summary>A satisfaction rating of one answer (stage) of a matter; unique per matter and stage.</summary>
public sealed class SatisfactionRating
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public RatingStage Stage { get; set; }
    public SatisfactionLevel Level { get; set; }
    public string? Comment { get; set; }
    public RatingChannel Channel { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>The staff member who recorded a rating given by phone or visit; null when the petitioner rated online.</summary>
    public Guid? RecordedByUserId { get; set; }
}

sealed class SatisfactionRatingConfiguration : IEntityTypeConfiguration<SatisfactionRating>
{
    public void Configure(EntityTypeBuilder<SatisfactionRating> b)
    {
        b.ToTable("satisfaction_ratings");
        b.HasKey(r => r.Id);
        b.HasIndex(r => new { r.PetitionId, r.Stage }).IsUnique();
        b.Property(r => r.Comment).HasMaxLength(1000);
    }
}
