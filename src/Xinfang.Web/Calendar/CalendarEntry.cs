using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xinfang.Web.Calendar;

/// <summary>
/// A day of an imported holiday notice. A year present here replaces the built-in calendar file of that
/// year, so an administrator can load the next State Council notice without a release.
/// </summary>
public sealed class CalendarEntry
{
    public int Year { get; set; }
    public DateOnly Date { get; set; }
    public bool IsOffDay { get; set; }
    public string Name { get; set; } = "";
}

sealed class CalendarEntryConfiguration : IEntityTypeConfiguration<CalendarEntry>
{
    public void Configure(EntityTypeBuilder<CalendarEntry> b)
    {
        b.ToTable("calendar_entries");
        b.HasKey(e => new { e.Year, e.Date });
        b.Property(e => e.Name).HasMaxLength(50);
    }
}
