namespace Xinfang.Domain.Petitions;

/// <summary>A person (or organisation) who petitions; several may share one petition (Art. 20).</summary>
public sealed class Petitioner
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid PetitionId { get; set; }
    public required string Name { get; init; }
    public string? IdNumber { get; init; }
    public string? Phone { get; init; }
    public string? Address { get; init; }
    /// <summary>One of at most 5 representatives of a group visit (Art. 20).</summary>
    public bool IsRepresentative { get; init; }
    public int Position { get; init; }
}
