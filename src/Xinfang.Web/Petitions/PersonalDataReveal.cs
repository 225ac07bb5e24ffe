using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Petitions;

/// <summary>
/// A staff member unmasked a petitioner's identity number, phone and address on the petition page, giving a
/// reason. Kept so that every look at personal data can be accounted for (个人信息保护法 Art. 51; domain.md).
/// </summary>
public sealed class PersonalDataReveal
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public Guid UserId { get; set; }
    public Guid UnitId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class PersonalDataRevealConfiguration : IEntityTypeConfiguration<PersonalDataReveal>
{
    public void Configure(EntityTypeBuilder<PersonalDataReveal> b)
    {
        b.ToTable("personal_data_reveals");
        b.HasKey(r => r.Id);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.HasIndex(r => new { r.PetitionId, r.At });
    }
}
