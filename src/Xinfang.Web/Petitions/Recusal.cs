using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Web.Data;

namespace Xinfang.Web.Petitions;

/// <summary>
/// 回避 (Art. 28 ¶3): a staff member with a direct interest in a matter takes no step on it. Declared by the member,
/// or recorded for them by a leader or supervisor of their unit. Append-only (the store refuses updates and
/// deletes): a recusal is part of the matter's record, like its events.
/// </summary>
public sealed class Recusal
{
    /// <summary>The action name a recusal has on the timeline (api.md's events).</summary>
    public const string Action = "recusal";

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    /// <summary>Who stands recused.</summary>
    public Guid UserId { get; set; }
    /// <summary>Their unit when the recusal was recorded.</summary>
    public Guid UnitId { get; set; }
    /// <summary>Who recorded it: the user themselves, or their leader or supervisor.</summary>
    public Guid RecordedByUserId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The matter's last event sequence when recorded: where the recusal stands in the timeline.</summary>
    public int AfterSequence { get; set; }
}

sealed class RecusalConfiguration : IEntityTypeConfiguration<Recusal>
{
    public void Configure(EntityTypeBuilder<Recusal> b)
    {
        b.ToTable("recusals");
        b.HasKey(r => r.Id);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.HasIndex(r => new { r.PetitionId, r.UserId });
        b.HasIndex(r => r.UserId);
    }
}

/// <summary>Who stands recused from what: the guard of every step, and what the views offer.</summary>
public static class Recusals
{
    public static Task<bool> IsRecusedAsync(XinfangDb db, Guid petitionId, Guid userId, CancellationToken ct) =>
        db.Recusals.AnyAsync(r => r.PetitionId == petitionId && r.UserId == userId, ct);

    /// <summary>Of <paramref name="petitionIds"/> (one page), those <paramref name="userId"/> stands recused from.</summary>
    public static async Task<HashSet<Guid>> AmongAsync(XinfangDb db, Guid userId, IReadOnlyCollection<Guid> petitionIds, CancellationToken ct) =>
        petitionIds.Count == 0 ? [] : (await db.Recusals.Where(r => r.UserId == userId && petitionIds.Contains(r.PetitionId))
            .Select(r => r.PetitionId).Distinct().ToListAsync(ct)).ToHashSet();
}
