using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Cryptography;
using Xinfang.Web.Data;

namespace Xinfang.Web.Petitions;

sealed class PetitionConfiguration : IEntityTypeConfiguration<Petition>
{
    public void Configure(EntityTypeBuilder<Petition> b)
    {
        b.ToTable("petitions");
        b.HasKey(p => p.Id);
        b.Property(p => p.Number).HasMaxLength(40);
        b.HasIndex(p => p.Number).IsUnique();
        b.Property(p => p.QueryCodeHash).HasMaxLength(64);
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.CategoryCode).HasMaxLength(32);
        b.Property(p => p.Title).HasMaxLength(200);
        b.Property(p => p.Content).HasMaxLength(20000);
        b.Property(p => p.AccusedPersonName).HasMaxLength(100);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.Clocks).HasConversion(XinfangDb.JsonList<Clock>(), XinfangDb.JsonListComparer<Clock>()).HasMaxLength(4000);
        b.Property(p => p.SuspendedClocks).HasConversion(XinfangDb.JsonList<Clock>(), XinfangDb.JsonListComparer<Clock>()).HasMaxLength(4000);
        b.Property(p => p.ResponsibleUnitIds).HasConversion(XinfangDb.JsonList<Guid>(), XinfangDb.JsonListComparer<Guid>()).HasMaxLength(2000);
        b.HasMany(p => p.Petitioners).WithOne().HasForeignKey(x => x.PetitionId).OnDelete(DeleteBehavior.Cascade);
        // The sweep reads only what is due: an index on the next instant a matter needs looking at.
        b.HasIndex(p => p.NextSweepAt);
        b.HasIndex(p => p.HoldingUnitId);
        b.HasIndex(p => p.RepeatOfId);
        b.HasIndex(p => new { p.Status, p.Warning });
        b.HasIndex(p => new { p.Warning, p.DueOn, p.Number }); // the overdue list, most overdue first (Warnings/ListOverdue)
        // Work queues: what a unit holds in a status, earliest due first.
        b.HasIndex(p => new { p.HoldingUnitId, p.Status, p.DueOn });
    }
}

sealed class PetitionerConfiguration : IEntityTypeConfiguration<Petitioner>
{
    public void Configure(EntityTypeBuilder<Petitioner> b)
    {
        b.ToTable("petitioners");
        b.HasKey(p => p.Id);
        // Stored encrypted (Cryptography/PersonalDataStorage): the lengths are those of the envelopes, not of the values.
        b.Property(p => p.Name).HasMaxLength(600);
        b.Property(p => p.IdNumber).HasMaxLength(200);
        b.Property(p => p.Phone).HasMaxLength(200);
        b.Property(p => p.Address).HasMaxLength(1400);
        b.Property<string?>(PersonalDataColumns.KeyId).HasMaxLength(20);
        b.Property<string?>(PersonalDataColumns.BlindKeyId).HasMaxLength(20);
        b.Property<string?>(PersonalDataColumns.IdNumberKey).HasMaxLength(32);
        b.Property<string?>(PersonalDataColumns.PhoneKey).HasMaxLength(32);
        b.Property<string?>(PersonalDataColumns.NameKey).HasMaxLength(32);
        // Exact look-ups (repeat petitions of the same petitioner, search) go through the keyed blind indexes.
        b.HasIndex(PersonalDataColumns.IdNumberKey);
        b.HasIndex(PersonalDataColumns.PhoneKey);
        b.HasIndex(PersonalDataColumns.NameKey);
        // Rotation and the upgrade find the rows still under an old key (or none) by index.
        b.HasIndex(PersonalDataColumns.KeyId);
        b.HasIndex(PersonalDataColumns.BlindKeyId);
    }
}

sealed class PetitionEventConfiguration : IEntityTypeConfiguration<PetitionEvent>
{
    public void Configure(EntityTypeBuilder<PetitionEvent> b)
    {
        b.ToTable("petition_events");
        b.HasKey(e => e.Id);
        b.HasIndex(e => new { e.PetitionId, e.Sequence }).IsUnique();
        b.Property(e => e.Note).HasMaxLength(20000);
    }
}

/// <summary>
/// Who may read a petition: one row per unit related to it (receiving, forwarded or assigned to, review bodies)
/// and per ancestor of such a unit, so "my subtree's petitions" is an exact, indexed look-up by unit.
/// </summary>
public sealed class PetitionAccess
{
    public Guid UnitId { get; set; }
    public Guid PetitionId { get; set; }
    /// <summary>Copied from the petition so a unit's list is one ordered index range (keyset pagination).</summary>
    public DateTimeOffset RegisteredAt { get; set; }
    public string Number { get; set; } = "";
}

sealed class PetitionAccessConfiguration : IEntityTypeConfiguration<PetitionAccess>
{
    public void Configure(EntityTypeBuilder<PetitionAccess> b)
    {
        b.ToTable("petition_access");
        b.HasKey(a => new { a.UnitId, a.PetitionId });
        b.Property(a => a.Number).HasMaxLength(40);
        b.HasIndex(a => new { a.UnitId, a.RegisteredAt, a.Number });
        b.HasIndex(a => a.PetitionId);
    }
}
