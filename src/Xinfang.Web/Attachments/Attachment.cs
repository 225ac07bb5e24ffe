using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Attachments;

public enum AttachmentSource { Portal, Staff }

/// <summary>
/// A file attached to a petition. The bytes live outside the web root under Attachments:Root, named by id —
/// no part of the path comes from the uploader. The type is what the content is, not what the name says.
/// </summary>
public sealed class Attachment
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    /// <summary>The uploader's file name, cleaned, for display and download only.</summary>
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public AttachmentSource Source { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.ToTable("attachments");
        b.HasKey(a => a.Id);
        b.HasIndex(a => a.PetitionId);
        b.Property(a => a.FileName).HasMaxLength(200);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.Sha256).HasMaxLength(64);
    }
}
