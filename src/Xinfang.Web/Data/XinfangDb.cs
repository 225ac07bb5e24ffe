using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Data;

/// <summary>The one DbContext. Table and column names are snake_case on every provider; enums are stored as strings.</summary>
public sealed class XinfangDb(DbContextOptions<XinfangDb> options)
    : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<Petition> Petitions => Set<Petition>();
    public DbSet<Petitioner> Petitioners => Set<Petitioner>();
    public DbSet<PetitionEvent> PetitionEvents => Set<PetitionEvent>();
    public DbSet<PetitionAccess> PetitionAccess => Set<PetitionAccess>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<NumberSequence> NumberSequences => Set<NumberSequence>();
    public DbSet<CalendarEntry> CalendarEntries => Set<CalendarEntry>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<FollowUp.SatisfactionRating> SatisfactionRatings => Set<FollowUp.SatisfactionRating>();
    public DbSet<Portal.QueryAttempt> QueryAttempts => Set<Portal.QueryAttempt>();
    public DbSet<Portal.UsedChallenge> UsedChallenges => Set<Portal.UsedChallenge>();
    public DbSet<Attachments.Attachment> Attachments => Set<Attachments.Attachment>();
    public DbSet<Petitions.PersonalDataReveal> PersonalDataReveals => Set<Petitions.PersonalDataReveal>();
    public DbSet<Petitions.Recusal> Recusals => Set<Petitions.Recusal>();
    public DbSet<Analysis.TextModel> TextModels => Set<Analysis.TextModel>();
    public DbSet<Analysis.CategoryCorrection> CategoryCorrections => Set<Analysis.CategoryCorrection>();
    public DbSet<PetitionBandKey> PetitionBandKeys => Set<PetitionBandKey>();
    public DbSet<PetitionShingles> PetitionShingles => Set<PetitionShingles>();
    public DbSet<RepeatLinkDecision> RepeatLinkDecisions => Set<RepeatLinkDecision>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();
    public DbSet<Audit.AuditCheckpoint> AuditCheckpoints => Set<Audit.AuditCheckpoint>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Domain.Measures.PetitionFacts> MeasureFacts => Set<Domain.Measures.PetitionFacts>();
    public DbSet<Dashboard.MeasureCount> MeasureCounts => Set<Dashboard.MeasureCount>();

    public bool IsSqlite => Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) == true;

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.ApplyConfigurationsFromAssembly(typeof(XinfangDb).Assembly);
        Cryptography.PersonalDataStorage.Map(b, this);

        foreach (var entity in b.Model.GetEntityTypes())
        {
            entity.SetTableName(SnakeCase(entity.GetTableName()!.Replace("AspNet", "identity_")));
            foreach (var p in entity.GetProperties())
            {
                p.SetColumnName(SnakeCase(p.GetColumnName()));
                var type = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
                if (type.IsEnum && type != typeof(HandlingRoute)) p.SetProviderClrType(typeof(string));
                // SQLite cannot order or compare DateTimeOffset; store UTC ticks there (PostgreSQL keeps timestamptz).
                if (type == typeof(DateTimeOffset))
                    p.SetValueConverter(IsSqlite
                        ? p.ClrType == typeof(DateTimeOffset) ? UtcTicks : NullableUtcTicks
                        : p.ClrType == typeof(DateTimeOffset) ? Utc : NullableUtc); // timestamptz takes UTC only
            }
            foreach (var k in entity.GetKeys()) k.SetName(SnakeCase(k.GetName()!));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(SnakeCase(fk.GetConstraintName()!));
            foreach (var ix in entity.GetIndexes()) ix.SetDatabaseName(SnakeCase(ix.GetDatabaseName()!));
        }
    }

    static readonly ValueConverter<DateTimeOffset, DateTimeOffset> Utc = new(v => v.ToUniversalTime(), v => v);
    static readonly ValueConverter<DateTimeOffset?, DateTimeOffset?> NullableUtc = new(v => v.HasValue ? v.Value.ToUniversalTime() : null, v => v);
    static readonly ValueConverter<DateTimeOffset, long> UtcTicks = new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
    static readonly ValueConverter<DateTimeOffset?, long?> NullableUtcTicks =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);

    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>JSON column for small value lists (clocks); compared by content so changes are detected.</summary>
    internal static ValueConverter<List<T>, string> JsonList<T>() => new(
        v => JsonSerializer.Serialize(v, Json.Options),
        v => JsonSerializer.Deserialize<List<T>>(v, Json.Options) ?? new List<T>());

    internal static ValueComparer<List<T>> JsonListComparer<T>() => new(
        (a, b) => JsonSerializer.Serialize(a, Json.Options) == JsonSerializer.Serialize(b, Json.Options),
        v => JsonSerializer.Serialize(v, Json.Options).GetHashCode(),
        v => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(v, Json.Options), Json.Options)!);
}

/// <summary>A data-protection key, kept in the store so every web node reads the same bearer tokens.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
}
