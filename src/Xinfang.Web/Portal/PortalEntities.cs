using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Portal;

/// <summary>
/// Wrong query codes tried against one petition number. Kept in the store (not in a node's memory) so every
/// web node throttles alike. Unknown numbers are counted the same way, so guessing learns nothing.
/// </summary>
public sealed class QueryAttempt
{
    public required string Number { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>
/// A challenge answered once: its nonce cannot be used for another petition before it expires. It keeps the
/// receipt it produced (protected), so a double-clicked or retried form gets the same receipt, not a second petition.
/// </summary>
public sealed class UsedChallenge
{
    public required string Nonce { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? Receipt { get; set; }
}

sealed class PortalConfiguration : IEntityTypeConfiguration<QueryAttempt>, IEntityTypeConfiguration<UsedChallenge>
{
    public void Configure(EntityTypeBuilder<QueryAttempt> b)
    {
        b.ToTable("query_attempts");
        b.HasKey(a => a.Number);
        b.Property(a => a.Number).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<UsedChallenge> b)
    {
        b.ToTable("used_challenges");
        b.HasKey(c => c.Nonce);
        b.Property(c => c.Nonce).HasMaxLength(64);
        b.Property(c => c.Receipt).HasMaxLength(2000);
        b.HasIndex(c => c.ExpiresAt);
    }
}
