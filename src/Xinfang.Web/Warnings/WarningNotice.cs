using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Web.Warnings;

/// <summary>
/// That the holding unit was told of one colour of one clock (by its due date): the key that keeps the warning
/// sweep from telling it twice — on a rerun, or when two web nodes sweep the same store. A clock extended or
/// started again has a new due date, so it warns again.
/// </summary>
public sealed class WarningNotice
{
    public Guid PetitionId { get; set; }
    public ClockName Clock { get; set; }
    public DateOnly DueOn { get; set; }
    public Warning Colour { get; set; }
    public Guid NotificationId { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

sealed class WarningNoticeConfiguration : IEntityTypeConfiguration<WarningNotice>
{
    public void Configure(EntityTypeBuilder<WarningNotice> b)
    {
        b.ToTable("warning_notices");
        b.HasKey(n => new { n.PetitionId, n.Clock, n.DueOn, n.Colour });
        b.Property(n => n.Clock).HasMaxLength(20);
        b.Property(n => n.Colour).HasMaxLength(10);
    }
}
