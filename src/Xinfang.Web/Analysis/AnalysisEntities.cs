using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Analysis;

/// <summary>
/// A trained text model kept in the store, so that every web node and the CLI use the same one. Rows are only
/// added: the row with the highest <see cref="Version"/> of a <see cref="Kind"/> is the model in use.
/// </summary>
public sealed class TextModel
{
    public const string CategoryKind = "category";

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Kind { get; set; }
    /// <summary>1, 2, 3… per kind; the highest wins.</summary>
    public int Version { get; set; }
    /// <summary>The model as <c>CategoryClassifier.Save</c> writes it (XFCLS).</summary>
    public required byte[] Model { get; set; }
    public DateTimeOffset TrainedAt { get; set; }
    /// <summary>How many labelled texts it was trained on.</summary>
    public int Samples { get; set; }
    /// <summary>How many categories it tells apart.</summary>
    public int Categories { get; set; }
    /// <summary>How many category corrections the store held when the model was trained: more now means it is stale.</summary>
    public int CorrectionsSeen { get; set; }
    /// <summary>Where the examples came from: "store" or "csv".</summary>
    public required string Source { get; set; }
}

/// <summary>
/// A clerk changed a petition's problem category (问题类别). Kept as the record of the correction and as the sign
/// that the category model is stale (more corrections than the latest model's <see cref="TextModel.CorrectionsSeen"/>).
/// </summary>
public sealed class CategoryCorrection
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public string? FromCode { get; set; }
    public required string ToCode { get; set; }
    public Guid UserId { get; set; }
    public Guid UnitId { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class AnalysisConfiguration : IEntityTypeConfiguration<TextModel>, IEntityTypeConfiguration<CategoryCorrection>
{
    public void Configure(EntityTypeBuilder<TextModel> b)
    {
        b.ToTable("text_models");
        b.HasKey(m => m.Id);
        b.Property(m => m.Kind).HasMaxLength(32);
        b.Property(m => m.Source).HasMaxLength(16);
        b.HasIndex(m => new { m.Kind, m.Version }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<CategoryCorrection> b)
    {
        b.ToTable("category_corrections");
        b.HasKey(c => c.Id);
        b.Property(c => c.FromCode).HasMaxLength(32);
        b.Property(c => c.ToCode).HasMaxLength(32);
        b.HasIndex(c => c.At);
        b.HasIndex(c => new { c.PetitionId, c.At });
    }
}
