using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Data;

/// <summary>
/// The hand-written migrations (Data/Migrations/{Sqlite,Postgres}) against the EF model: applied once on start,
/// never again, and the schema they create is the one the model maps — every table, column, nullability and
/// index — so that every entity can be read; the timeline is append-only in the database itself.
/// </summary>
public abstract class MigrationTests(XinfangFactory factory)
{
    [Fact]
    public async Task Starting_host_when_store_is_empty_applies_every_migration_once()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var expected = Migrator.Scripts(db.IsSqlite).Select(s => s.Id).ToList();
        expected.ShouldNotBeEmpty();
        expected.ShouldContain("0001_initial");
        var recorded = await StringsAsync(db, "SELECT id FROM schema_migrations ORDER BY id");
        recorded.ShouldBe(expected);
    }

    [Fact]
    public async Task Migrating_again_when_everything_is_applied_applies_nothing()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var applied = await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync();
        applied.ShouldBeEmpty();
        var again = await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync();
        again.ShouldBeEmpty();
        (await StringsAsync(db, "SELECT id FROM schema_migrations")).Count.ShouldBe(Migrator.Scripts(db.IsSqlite).Count);
    }

    [Fact]
    public async Task Comparing_schema_with_model_when_migrated_finds_every_mapped_table_column_and_index()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var problems = new List<string>();
        var entityTypes = db.Model.GetEntityTypes().ToList();
        entityTypes.Count.ShouldBeGreaterThanOrEqualTo(12);
        foreach (var entity in entityTypes)
        {
            var mappings = entity.GetTableMappings().ToList();
            if (mappings.Count == 0)
            {
                problems.Add($"{entity.DisplayName()}: mapped to no table");
                continue;
            }
            foreach (var mapping in mappings)
            {
                var table = mapping.Table.Name;
                var columns = await ColumnsAsync(db, table);
                if (columns.Count == 0)
                {
                    problems.Add($"{entity.DisplayName()}: table {table} does not exist");
                    continue;
                }
                foreach (var cm in mapping.ColumnMappings)
                {
                    var column = cm.Column;
                    if (!columns.TryGetValue(column.Name, out var nullable))
                        problems.Add($"{entity.DisplayName()}.{cm.Property.Name}: column {table}.{column.Name} is missing");
                    else if (column.IsNullable && !nullable)
                        problems.Add($"{entity.DisplayName()}.{cm.Property.Name}: column {table}.{column.Name} is NOT NULL in the store but nullable in the model");
                }
            }
        }
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            // The other way round: a store column the model does not know would break inserts if NOT NULL.
            var columns = await ColumnsAsync(db, table.Name);
            foreach (var (name, nullable) in columns)
                if (table.FindColumn(name) is null && !nullable)
                    problems.Add($"{table.Name}.{name}: NOT NULL column in the store that the model does not map");
            var indexes = await IndexesAsync(db, table.Name);
            foreach (var index in table.Indexes)
                if (!indexes.Contains(index.Name))
                    problems.Add($"{table.Name}: index {index.Name} ({string.Join(", ", index.Columns.Select(c => c.Name))}) is missing");
        }
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Fact]
    public async Task Reading_every_entity_set_when_migrated_succeeds()
    {
        var w = await World.OfAsync(factory); // some rows in most tables
        await w.RegisterAsync();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var read = typeof(MigrationTests).GetMethod(nameof(TakeOneAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        var failures = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !e.HasSharedClrType))
        {
            try
            {
                await (Task<int>)read.MakeGenericMethod(entity.ClrType).Invoke(null, [db])!;
            }
            catch (Exception e)
            {
                failures.Add($"{entity.DisplayName()}: {e.GetType().Name}: {e.Message}");
            }
        }
        failures.ShouldBeEmpty(string.Join("\n", failures));
        (await db.Petitions.AsNoTracking().Include(p => p.Petitioners).Take(1).ToListAsync()).ShouldHaveSingleItem().Petitioners.ShouldNotBeEmpty();
        (await db.PetitionEvents.AsNoTracking().Take(1).ToListAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Updating_or_deleting_timeline_events_with_raw_sql_fails_because_table_is_append_only()
    {
        var w = await World.OfAsync(factory);
        var id = Guid.Parse((await w.RegisterAsync())["id"]!.ToString());
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var before = await db.PetitionEvents.AsNoTracking().CountAsync();
        before.ShouldBeGreaterThan(0);

        var update = await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("UPDATE petition_events SET note = 'tampered'"));
        update.Message.ShouldContain("append-only");
        var delete = await Should.ThrowAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM petition_events"));
        delete.Message.ShouldContain("append-only");

        (await db.PetitionEvents.AsNoTracking().CountAsync()).ShouldBe(before);
        (await db.PetitionEvents.AsNoTracking().CountAsync(e => e.Note == "tampered")).ShouldBe(0);
        (await db.PetitionEvents.AsNoTracking().Where(e => e.PetitionId == id).Select(e => e.Sequence).ToListAsync()).ShouldBe([1]);
        // Appending stays allowed: that is how every workflow step is recorded.
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(System.Net.HttpStatusCode.OK);
        (await db.PetitionEvents.AsNoTracking().Where(e => e.PetitionId == id).Select(e => e.Sequence).OrderBy(s => s).ToListAsync()).ShouldBe([1, 2]);
    }

    static async Task<int> TakeOneAsync<T>(XinfangDb db) where T : class => (await db.Set<T>().AsNoTracking().Take(1).ToListAsync()).Count;

    /// <summary>Column name → nullable, as the store reports it (empty when the table does not exist).</summary>
    static async Task<Dictionary<string, bool>> ColumnsAsync(XinfangDb db, string table)
    {
        var sql = db.IsSqlite
            ? "SELECT name, CASE WHEN \"notnull\" = 0 AND pk = 0 THEN 1 ELSE 0 END FROM pragma_table_info(@t)"
            : "SELECT column_name, CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t";
        var rows = await QueryAsync(db, sql, table, r => (Name: r.GetString(0), Nullable: Convert.ToInt64(r.GetValue(1)) == 1));
        return rows.ToDictionary(r => r.Name, r => r.Nullable);
    }

    static async Task<HashSet<string>> IndexesAsync(XinfangDb db, string table)
    {
        var sql = db.IsSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @t"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @t";
        return (await QueryAsync(db, sql, table, r => r.GetString(0))).ToHashSet();
    }

    static async Task<List<string>> StringsAsync(XinfangDb db, string sql) => await QueryAsync(db, sql, null, r => r.GetString(0));

    static async Task<List<T>> QueryAsync<T>(XinfangDb db, string sql, string? table, Func<DbDataReader, T> read)
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            if (table is not null)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@t";
                p.Value = table;
                cmd.Parameters.Add(p);
            }
            var list = new List<T>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) list.Add(read(reader));
            return list;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class MigrationTests_Sqlite(SqliteFactory f) : MigrationTests(f), IClassFixture<SqliteFactory>;
public sealed class MigrationTests_Postgres(PostgresFactory f) : MigrationTests(f), IClassFixture<PostgresFactory>;
