using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Petitions;

namespace Xinfang.Web.FollowUp;

/// <summary>How a follow-up reached (or tried to reach) the petitioner.</summary>
public enum FollowUpChannel { Phone, Visit, Sms }

/// <summary>
/// A follow-up (回访) after an answer (reply, review or re-review opinion): how the petitioner was contacted, what
/// came of it, and the satisfaction they stated, if any (domain.md, "Supervision": "Follow-up after the reply, and
/// the petitioner's satisfaction rating"). A matter's answer is due for follow-up until one is recorded for its stage.
/// </summary>
public sealed class PetitionFollowUp
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    /// <summary>The answer followed up (the latest one when recorded).</summary>
    public RatingStage Stage { get; set; }
    public FollowUpChannel Channel { get; set; }
    public string Result { get; set; } = "";
    public bool ReachedPetitioner { get; set; }
    /// <summary>The satisfaction the petitioner stated (also recorded as their rating of the stage); null when none.</summary>
    public SatisfactionLevel? Satisfaction { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid RecordedByUserId { get; set; }
    public Guid UnitId { get; set; }

    public const int MaxResult = 2000;

    public static RatingChannel RatingChannelOf(FollowUpChannel c) => c switch
    {
        FollowUpChannel.Phone => RatingChannel.Phone,
        FollowUpChannel.Visit => RatingChannel.Visit,
        _ => RatingChannel.Sms,
    };
}

sealed class PetitionFollowUpConfiguration : IEntityTypeConfiguration<PetitionFollowUp>
{
    public void Configure(EntityTypeBuilder<PetitionFollowUp> b)
    {
        b.ToTable("follow_ups");
        b.HasKey(f => f.Id);
        b.Property(f => f.Result).HasMaxLength(PetitionFollowUp.MaxResult);
        b.HasIndex(f => new { f.PetitionId, f.Stage });
    }
}
