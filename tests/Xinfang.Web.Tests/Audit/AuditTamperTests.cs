using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Cli;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Audit;

/// <summary>
/// Tampering with the stored chain, as someone with direct database access would (the append-only triggers
/// switched off first), is found by verification, which names the first broken link; a retention purge cuts
/// only the expired head and leaves a chain that still verifies. Each test has a store of its own.
/// </summary>
public abstract class AuditTamperTests(Provider provider) : IAsyncLifetime
{
    readonly List<XinfangFactory> _stores = [];

    XinfangFactory NewStore()
    {
        XinfangFactory store = provider == Provider.Sqlite ? new SqliteFactory() : new PostgresFactory();
        _stores.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The factory's own disposal drops its database and removes its file.
        foreach (var store in _stores) await ((IAsyncLifetime)store).DisposeAsync();
    }

    /// <summary>A fresh store with <paramref name="count"/> audit rows (failed sign-ins under unknown names).</summary>
    async Task<XinfangFactory> StoreWithRowsAsync(int count)
    {
        var store = NewStore();
        await store.InitializeAsync();
        using var http = store.CreateClient();
        for (var i = 0; i < count; i++)
            await http.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { userName = $"nobody-{i}", password = "Wrong-Pass-0000" }));
        return store;
    }

    /// <summary>Runs raw SQL with the append-only triggers out of the way, as an attacker with the database's keys could.</summary>
    static async Task TamperAsync(XinfangDb db, string sql)
    {
        if (db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_purge_only;");
            await db.Database.ExecuteSqlRawAsync(sql);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER");
            await db.Database.ExecuteSqlRawAsync(sql);
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries ENABLE TRIGGER USER");
        }
    }

    static string[] HostArgs(XinfangFactory store) =>
        [$"--Database:Provider={(store.Provider == Provider.Sqlite ? "sqlite" : "postgres")}", $"--ConnectionStrings:Xinfang={store.ConnectionString}"];

    [Fact]
    public async Task Verifying_untouched_chain_with_verb_prints_intact_and_exits_zero()
    {
        var store = await StoreWithRowsAsync(3);
        var run = (await XinfangBinary.RunAsync(Path.GetTempPath(), ["audit", "verify", .. HostArgs(store)])).ExpectExit(0);
        run.Stdout.ShouldContain("已校验 3 条", customMessage: run.ToString());
        run.Stdout.ShouldContain("完整 (intact)");
    }

    [Fact]
    public async Task Altering_a_row_makes_verify_name_exactly_that_row()
    {
        var store = await StoreWithRowsAsync(5);
        await using (var scope = store.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            await TamperAsync(db, "UPDATE audit_entries SET actor_user_name = 'someone-else' WHERE sequence = 3");
            var result = await VerifyAuditTrail.RunAsync(db, default);
            result.Intact.ShouldBeFalse();
            result.Break!.Sequence.ShouldBe(3);
            result.Break.Kind.ShouldBe(AuditBreakKind.Altered);
            result.Checked.ShouldBe(2);
        }
        var run = (await XinfangBinary.RunAsync(Path.GetTempPath(), ["audit", "verify", .. HostArgs(store)])).ExpectExit(1);
        run.Stderr.ShouldContain("第 3 条", customMessage: run.ToString());
        run.Stderr.ShouldContain("altered");
    }

    [Fact]
    public async Task Rehashing_an_altered_row_is_found_at_the_next_row_by_its_previous_hash()
    {
        var store = await StoreWithRowsAsync(4);
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var row = await db.AuditEntries.AsNoTracking().FirstAsync(e => e.Sequence == 2);
        row.ActorUserName = "forged";
        var forged = AuditChain.HashOf(row);
        await TamperAsync(db, $"UPDATE audit_entries SET actor_user_name = 'forged', hash = '{forged}' WHERE sequence = 2");
        var result = await VerifyAuditTrail.RunAsync(db, default);
        result.Break!.Sequence.ShouldBe(3);
        result.Break.Kind.ShouldBe(AuditBreakKind.WrongPreviousHash);
    }

    [Fact]
    public async Task Deleting_a_middle_row_is_reported_as_missing_at_its_sequence()
    {
        var store = await StoreWithRowsAsync(5);
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        await TamperAsync(db, "DELETE FROM audit_entries WHERE sequence = 4");
        var result = await VerifyAuditTrail.RunAsync(db, default);
        result.Break!.Sequence.ShouldBe(4);
        result.Break.Kind.ShouldBe(AuditBreakKind.Missing);
        result.Break.Description.ShouldContain("第 4 条缺失");
    }

    [Fact]
    public async Task Purging_past_retention_cuts_only_the_expired_head_and_chain_still_verifies()
    {
        var store = NewStore();
        await store.InitializeAsync();
        await using var scope = store.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var longAgo = new FixedClock(DateTimeOffset.UtcNow.AddDays(-400));
        for (var i = 0; i < 3; i++)
            await new AuditTrail(db, null, longAgo).AppendAsync(new AuditRecord(AuditActions.SignInFailed, AuditActor.Unknown($"old-{i}")));
        var recent = new AuditTrail(db);
        await recent.AppendAsync(new AuditRecord(AuditActions.SignInFailed, AuditActor.Unknown("recent")));
        // Older than 180 days but without a checkpoint, the database still refuses.
        (await Should.ThrowAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries WHERE sequence = 1")))
            .Message.ShouldContain("append-only");

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:RetentionDays"] = "30" }).Build();
        var purge = new PurgeAuditTrail(db, config);
        purge.RetentionDays.ShouldBe(PurgeAuditTrail.MinimumDays); // never less than the legal minimum
        var outcome = await purge.RunAsync(default);
        outcome.Purged.ShouldBe(3);
        outcome.CheckpointSequence.ShouldBe(3);

        (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync())
            .ShouldBe([AuditActions.SignInFailed, AuditActions.AuditPurged]);
        var result = await VerifyAuditTrail.RunAsync(db, default);
        result.Intact.ShouldBeTrue(result.Summary);
        result.FromCheckpoint.ShouldBe(3);
        result.Checked.ShouldBe(2);
        (await purge.RunAsync(default)).Purged.ShouldBe(0);
        await recent.AppendAsync(new AuditRecord(AuditActions.SignInFailed, AuditActor.Unknown("after")));
        (await VerifyAuditTrail.RunAsync(db, default)).LastSequence.ShouldBe(6);
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class AuditTamperTests_Sqlite() : AuditTamperTests(Provider.Sqlite);
public sealed class AuditTamperTests_Postgres() : AuditTamperTests(Provider.Postgres);
