using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Intake;

/// <summary>
/// One near-duplicate band key of a petition's text (Xinfang.Text NearDuplicates.KeysOf): 24 rows a petition, written
/// in the registration transaction; petitions sharing a key are candidates for the same matter.
/// </summary>
public sealed class PetitionBandKey
{
    public long BandKey { get; set; }
    public Guid PetitionId { get; set; }
}

/// <summary>
/// A petition's near-duplicate summary — shingle set and the names it mentions
/// (<see cref="Xinfang.Text.Duplicates.DuplicateSummary.ToBytes"/>) — written with its band keys: candidates are
/// re-ranked from these bytes instead of re-reading and re-hashing their texts.
/// </summary>
public sealed class PetitionShingles
{
    public Guid PetitionId { get; set; }
    public required byte[] Shingles { get; set; }
}

public enum RepeatLinkVerdict { Confirm, Reject }

/// <summary>
/// A clerk's decision on a proposed repeat link: confirmed (the petition is linked to the candidate) or rejected (the
/// candidate is no longer proposed). Append-only; the latest decision on a pair counts.
/// </summary>
public sealed class RepeatLinkDecision
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public Guid CandidateId { get; set; }
    public RepeatLinkVerdict Decision { get; set; }
    public Guid UserId { get; set; }
    public Guid UnitId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The similarity score shown when the decision was taken (0–1).</summary>
    public double Similarity { get; set; }
}

sealed class SimilarConfiguration : IEntityTypeConfiguration<PetitionBandKey>, IEntityTypeConfiguration<PetitionShingles>, IEntityTypeConfiguration<RepeatLinkDecision>
{
    public void Configure(EntityTypeBuilder<PetitionShingles> b)
    {
        b.ToTable("petition_shingles");
        b.HasKey(s => s.PetitionId);
    }

    public void Configure(EntityTypeBuilder<PetitionBandKey> b)
    {
        b.ToTable("petition_band_keys");
        // The key leads with band_key: the look-up index. petition_id for rebuilding a petition's rows.
        b.HasKey(k => new { k.BandKey, k.PetitionId });
        b.HasIndex(k => k.PetitionId);
    }

    public void Configure(EntityTypeBuilder<RepeatLinkDecision> b)
    {
        b.ToTable("repeat_link_decisions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Decision).HasMaxLength(10);
        b.HasIndex(d => new { d.PetitionId, d.At });
    }
}
