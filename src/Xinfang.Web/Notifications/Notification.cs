using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Notifications;

/// <summary>
/// One in-app notice (站内提醒): addressed to a unit (everyone working there sees it) or to one user of it.
/// Kinds are stable codes (<see cref="NotificationKinds"/>); the title and body are Chinese and carry no
/// petitioner's personal data, only matter numbers, so a notice may be shown or logged anywhere.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid RecipientUnitId { get; set; }
    /// <summary>Null: for the whole unit.</summary>
    public Guid? RecipientUserId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public Guid? PetitionId { get; set; }
    /// <summary>Where the notice leads in the workbench (a path under /staff).</summary>
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public Guid? ReadByUserId { get; set; }
}

/// <summary>The kinds of notice; each capability adds its own.</summary>
public static class NotificationKinds
{
    public const string ClockWarning = "clockWarning";
    public const string Overdue = "overdue";
    public const string Supervision = "supervision";
    public const string SupervisionOverdue = "supervisionOverdue";
    public const string Ownership = "ownership";
    public const string Backlog = "backlog";
    public const string Cluster = "cluster";
    public const string FollowUp = "followUp";
    public const string UrgentReport = "urgentReport";
}

sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Kind).HasMaxLength(40);
        b.Property(n => n.Title).HasMaxLength(200);
        b.Property(n => n.Body).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(300);
        b.HasIndex(n => new { n.RecipientUnitId, n.ReadAt, n.CreatedAt });
        b.HasIndex(n => new { n.RecipientUserId, n.ReadAt });
        b.HasIndex(n => n.PetitionId);
    }
}
