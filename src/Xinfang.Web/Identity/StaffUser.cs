using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Identity;

/// <summary>A staff account. It belongs to exactly one unit and sees that unit's jurisdiction.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public Guid UnitId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the password was last set; the sign-in page asks for a new one once it is older than Auth:PasswordMaxAgeDays.</summary>
    public DateTimeOffset? PasswordChangedAt { get; set; }
}

sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.HasIndex(u => u.UnitId);
    }
}
