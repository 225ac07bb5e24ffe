namespace Xinfang.Domain.Organisation;

/// <summary>Kinds of unit (domain.md, "Organisation").</summary>
public enum UnitKind { PetitionBureau, Government, Department, PoliticalLegal, Discipline, Other }

/// <summary>
/// A unit of the organisation tree: national (0) → province (1) → city (2) → county (3) → township (4).
/// <see cref="ParentId"/> is the territorial parent; <see cref="SuperiorId"/> the same system one level up.
/// Either is "the level above" for review (Art. 35–36).
/// </summary>
public sealed class Unit
{
    public const int MaxLevel = 4;

    public Guid Id { get; init; } = Guid.NewGuid();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int Level { get; set; }
    public UnitKind Kind { get; set; }
    /// <summary>GB/T 2260 region code: 6 digits, townships 9.</summary>
    public required string RegionCode { get; set; }
    public Guid? ParentId { get; set; }
    public Guid? SuperiorId { get; set; }
    /// <summary>Materialised territorial path "/rootId/…/thisId/": a unit's subtree is every path that starts with its own.</summary>
    public string Path { get; set; } = "";
    public int Version { get; set; }

    public static string PathOf(Unit? parent, Guid id) => (parent?.Path ?? "/") + id.ToString("N") + "/";

    public bool Contains(Unit other) => other.Path.StartsWith(Path, StringComparison.Ordinal);

    /// <summary>Valid region code: 6 digits, or 9 for a township (GB/T 2260 and its township extension).</summary>
    public static bool IsRegionCode(string? code) =>
        code is { Length: 6 or 9 } && code.All(char.IsAsciiDigit);
}
