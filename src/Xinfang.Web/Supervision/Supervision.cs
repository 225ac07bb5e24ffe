using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Deadlines;
using Xinfang.Web.Data;

namespace Xinfang.Web.Supervision;

/// <summary>The forms of 督办 (Art. 40; ordered correction within a time limit, Art. 39).</summary>
public enum SupervisionForm { Phone, Letter, Flagged, Interview, Circular, OrderedCorrection }

/// <summary>
/// The triggers of 督办 (Art. 40; the 2005 Regulations' Art. 36 lists them): not finished in time without good
/// reason; result not reported; wrong procedure; shirking, perfunctory handling or delay; opinion not carried out.
/// </summary>
public enum SupervisionReason { NotFinishedInTime, ResultNotReported, WrongProcedure, ShirkingOrDelay, OpinionNotCarriedOut }

/// <summary>
/// Where a 督办 stands. Open: the addressee owes its written feedback. Answered: the feedback is in, the issuer
/// decides. Closed: the issuer accepted it. Overdue: the due date passed without feedback and there is no bureau
/// above the issuer to report to. Escalated: the due date passed without feedback and the petition bureau above
/// the issuer was told (see <see cref="SupervisionSweep"/>). Feedback is still taken when overdue or escalated.
/// </summary>
public enum SupervisionStatus { Open, Answered, Closed, Overdue, Escalated }

/// <summary>
/// One 督办: a unit (the issuer) requires another in its territory (the addressee) to act on a matter and answer in
/// writing by a date (2005 Regulations: within 30 days; configurable <c>Supervision:FeedbackDays</c>). The facts go
/// on the matter's timeline as annotations (Supervise, SupervisionFeedback, SupervisionEscalate); this row keeps
/// where the 督办 stands, for the ledger (督办台账).
/// </summary>
public sealed class Supervision
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    /// <summary>Copied from the matter: the ledger shows it without a join.</summary>
    public string Number { get; set; } = "";
    public SupervisionForm Form { get; set; }
    public List<SupervisionReason> Reasons { get; set; } = [];
    public Guid IssuerUnitId { get; set; }
    public Guid IssuedByUserId { get; set; }
    public Guid AddresseeUnitId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateOnly IssuedOn { get; set; }
    /// <summary>The ledger's order, newest last: the issue instant's ticks and the id, as one comparable text (keyset pages).</summary>
    public string SortKey { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public SupervisionStatus Status { get; set; }
    /// <summary>The proposal it was issued from, if any.</summary>
    public Guid? ProposalId { get; set; }
    public DateTimeOffset? FeedbackAt { get; set; }
    public DateOnly? FeedbackOn { get; set; }
    public string? FeedbackText { get; set; }
    public string? FeedbackMeasures { get; set; }
    public Guid? FeedbackByUserId { get; set; }
    /// <summary>How many times the issuer sent the feedback back for more.</summary>
    public int Returns { get; set; }
    public string? ReturnReason { get; set; }
    /// <summary>The feedback was (or still is) late: stays true once the due date passed without it.</summary>
    public bool Late { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public Guid? EscalatedToUnitId { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public Guid? ClosedByUserId { get; set; }
    public string? CloseNote { get; set; }
    /// <summary>Optimistic concurrency: two answers, or an answer and the sweep, never both win.</summary>
    public int Version { get; set; }

    public static string SortKeyOf(DateTimeOffset issuedAt, Guid id) => $"{issuedAt.UtcTicks:D19}|{id:N}";

    public bool AwaitsFeedback => Status is SupervisionStatus.Open or SupervisionStatus.Overdue or SupervisionStatus.Escalated;
}

/// <summary>Where a proposal (督办建议) stands.</summary>
public enum ProposalStatus { Open, Issued, Dismissed }

/// <summary>
/// 督办建议: raised by the sweep when a matter's clock is overdue (red) and nothing supervises it yet. The supervisors
/// of the petition bureaus whose territory holds the matter see it, and either issue a 督办 from it or dismiss it
/// with a reason. One per matter, clock and due date (a unique index): raised once even with two hosts sweeping.
/// </summary>
public sealed class SupervisionProposal
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public string Number { get; set; } = "";
    /// <summary>The unit holding the matter when the proposal was raised.</summary>
    public Guid HoldingUnitId { get; set; }
    public ClockName ClockName { get; set; }
    public DateOnly ClockDueOn { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public ProposalStatus Status { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DismissReason { get; set; }
    public Guid? SupervisionId { get; set; }
    public int Version { get; set; }
}

sealed class SupervisionConfiguration : IEntityTypeConfiguration<Supervision>
{
    public void Configure(EntityTypeBuilder<Supervision> b)
    {
        b.ToTable("supervisions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Number).HasMaxLength(40);
        b.Property(s => s.Reasons).HasConversion(XinfangDb.JsonList<SupervisionReason>(), XinfangDb.JsonListComparer<SupervisionReason>()).HasMaxLength(400);
        b.Property(s => s.Note).HasMaxLength(2000);
        b.Property(s => s.FeedbackText).HasMaxLength(4000);
        b.Property(s => s.FeedbackMeasures).HasMaxLength(2000);
        b.Property(s => s.ReturnReason).HasMaxLength(1000);
        b.Property(s => s.CloseNote).HasMaxLength(1000);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => s.PetitionId);
        // The ledger, newest first (keyset), and the sweep's look for late feedback.
        b.Property(s => s.SortKey).HasMaxLength(60);
        b.HasIndex(s => s.SortKey).IsUnique();
        b.HasIndex(s => new { s.Status, s.DueOn });
        b.HasIndex(s => s.IssuerUnitId);
        b.HasIndex(s => s.AddresseeUnitId);
    }
}

sealed class SupervisionProposalConfiguration : IEntityTypeConfiguration<SupervisionProposal>
{
    public void Configure(EntityTypeBuilder<SupervisionProposal> b)
    {
        b.ToTable("supervision_proposals");
        b.HasKey(p => p.Id);
        b.Property(p => p.Number).HasMaxLength(40);
        b.Property(p => p.DismissReason).HasMaxLength(1000);
        b.Property(p => p.Version).IsConcurrencyToken();
        // Idempotent under two sweeping hosts: one proposal per matter, clock and due date.
        b.HasIndex(p => new { p.PetitionId, p.ClockName, p.ClockDueOn }).IsUnique();
        b.HasIndex(p => new { p.Status, p.RaisedAt });
    }
}
