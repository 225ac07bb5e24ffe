using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Intake;
using Xinfang.Web.Search;

namespace Xinfang.Web.Cryptography;

/// <summary>The petitioners columns that hold keys, not personal data (EF shadow properties: the domain never sees them).</summary>
public static class PersonalDataColumns
{
    /// <summary>The data key every encrypted column of the row was written under (null: a clear row from before 0008).</summary>
    public const string KeyId = "KeyId";
    /// <summary>The blind-index key the row's *_key columns were computed with.</summary>
    public const string BlindKeyId = "BlindKeyId";
    public const string IdNumberKey = "IdNumberKey";
    public const string PhoneKey = "PhoneKey";
    public const string NameKey = "NameKey";

    /// <summary>The labels bound into each envelope (the column it belongs to).</summary>
    public const string IdNumber = "petitioners.id_number", Phone = "petitioners.phone", Address = "petitioners.address",
        Name = "petitioners.name", IdempotencyResponse = "idempotency_records.response";
}

/// <summary>
/// How the store keeps personal data encrypted without the use cases noticing: value converters on the
/// petitioner's identity number, phone, address (and name when configured) and on the stored registration
/// response (which repeats them), so that every read, include and projection decrypts; a save interceptor that
/// fills the key columns (<see cref="PersonalDataColumns"/>) of every petitioner written.
/// The converters hold this host's <see cref="PersonalDataCipher"/>, and EF caches a model per context type: so
/// the model cache key includes the cipher, and each host (the tests run many in one process) builds its own model.
/// </summary>
public static class PersonalDataStorage
{
    static readonly PersonalDataKeyColumns KeyColumns = new();

    public static DbContextOptionsBuilder UsePersonalData(this DbContextOptionsBuilder o, PersonalDataCipher cipher)
    {
        ((IDbContextOptionsBuilderInfrastructure)o).AddOrUpdateExtension(new PersonalDataOptionsExtension(cipher));
        o.ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKey>();
        return o.AddInterceptors(KeyColumns);
    }

    /// <summary>The cipher of the host that made <paramref name="db"/>.</summary>
    public static PersonalDataCipher CipherOf(DbContext db) => Find(db)
        ?? throw new InvalidOperationException("This DbContext was configured without UsePersonalData: personal data cannot be read or written.");

    static PersonalDataCipher? Find(DbContext db) => db.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>()?.Cipher;

    /// <summary>Adds the converters (from XinfangDb.OnModelCreating, after the entity configurations).</summary>
    public static void Map(ModelBuilder b, DbContext db)
    {
        var cipher = CipherOf(db);
        var p = b.Entity<Petitioner>();
        p.Property(x => x.IdNumber).HasConversion(Encrypted(cipher, PersonalDataColumns.IdNumber));
        p.Property(x => x.Phone).HasConversion(Encrypted(cipher, PersonalDataColumns.Phone));
        p.Property(x => x.Address).HasConversion(Encrypted(cipher, PersonalDataColumns.Address));
        p.Property(x => x.Name).HasConversion(new ValueConverter<string, string>(
            v => cipher.ProtectName(v, PersonalDataColumns.Name), v => cipher.UnprotectName(v, PersonalDataColumns.Name)));
        // The registering response is replayed for a repeated Idempotency-Key and holds the same personal data.
        b.Entity<IdempotencyRecord>().Property(r => r.Response).HasConversion(Encrypted(cipher, PersonalDataColumns.IdempotencyResponse));
    }

    // EF never passes null to a converter: null stays null (no personal data, nothing to hide).
    static ValueConverter<string?, string?> Encrypted(PersonalDataCipher cipher, string column) =>
        new(v => cipher.Protect(v!, column), v => cipher.Unprotect(v!, column));

    /// <summary>Petitioners whose <paramref name="field"/> has one of the blind indexes <paramref name="keys"/> (see <see cref="PersonalDataKey.Of"/>).</summary>
    public static IQueryable<Petitioner> WithKey(this IQueryable<Petitioner> q, PersonalField field, IReadOnlyCollection<string> keys)
    {
        var k = keys.ToArray();
        return field switch
        {
            PersonalField.IdNumber => q.Where(p => k.Contains(EF.Property<string>(p, PersonalDataColumns.IdNumberKey))),
            PersonalField.Phone => q.Where(p => k.Contains(EF.Property<string>(p, PersonalDataColumns.PhoneKey))),
            _ => q.Where(p => k.Contains(EF.Property<string>(p, PersonalDataColumns.NameKey))),
        };
    }

    /// <summary>The key columns of a petitioner about to be written.</summary>
    sealed class PersonalDataKeyColumns : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Fill(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            Fill(eventData.Context);
            return ValueTask.FromResult(result);
        }

        static void Fill(DbContext? db)
        {
            if (db is null) return;
            var written = db.ChangeTracker.Entries<Petitioner>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
            if (written.Count == 0) return;
            var cipher = CipherOf(db);
            var keys = cipher.Keys;
            foreach (var e in written)
            {
                var p = e.Entity;
                // A row is written under one data key as a whole: key_id then says truly what a rotation must redo.
                if (e.State == EntityState.Modified)
                    foreach (var name in new[] { nameof(Petitioner.Name), nameof(Petitioner.IdNumber), nameof(Petitioner.Phone), nameof(Petitioner.Address) })
                        e.Property(name).IsModified = true;
                e.Property(PersonalDataColumns.KeyId).CurrentValue = keys.ActiveData.Id;
                e.Property(PersonalDataColumns.BlindKeyId).CurrentValue = keys.ActiveBlindIndex.Id;
                e.Property(PersonalDataColumns.IdNumberKey).CurrentValue = KeyOf(cipher, PersonalField.IdNumber, p.IdNumber);
                e.Property(PersonalDataColumns.PhoneKey).CurrentValue = KeyOf(cipher, PersonalField.Phone, p.Phone);
                e.Property(PersonalDataColumns.NameKey).CurrentValue = KeyOf(cipher, PersonalField.Name, p.Name);
            }
        }
    }

    /// <summary>The blind index a write stores for a value (null for none).</summary>
    public static string? KeyOf(PersonalDataCipher cipher, PersonalField field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : cipher.ActiveBlindIndex(PersonalDataKey.FieldName(field), PersonalDataKey.Normalise(field, value));

    sealed class PersonalDataModelCacheKey : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), Find(context), designTime);
    }

    sealed class PersonalDataOptionsExtension(PersonalDataCipher cipher) : IDbContextOptionsExtension
    {
        public PersonalDataCipher Cipher => cipher;
        DbContextOptionsExtensionInfo? _info;
        public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);
        public void ApplyServices(IServiceCollection services) { }
        public void Validate(IDbContextOptions options) { }

        /// <summary>Every host shares EF's internal services: the cipher changes the model (its cache key), not the services.</summary>
        sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
        {
            public override bool IsDatabaseProvider => false;
            public override string LogFragment => "PersonalData ";
            public override int GetServiceProviderHashCode() => 0;
            public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;
            public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) { }
        }
    }
}
