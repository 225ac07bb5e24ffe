using System.Text.Json.Nodes;
using Xinfang.Web.Cli;

namespace Xinfang.Web.Tests.Cli;

/// <summary>The verbs of the one binary (Cli/Verbs.cs), run as a child process on a fresh SQLite file.</summary>
public sealed class VerbTests
{
    /// <summary>Seeding ~300 petitions through the real workflow took up to 112 s on a loaded 2-core machine.</summary>
    static readonly TimeSpan SeedTimeout = TimeSpan.FromSeconds(300);

    [Fact]
    public async Task Migrate_when_store_is_new_creates_the_file_with_every_table_and_then_has_nothing_pending()
    {
        using var store = new TempStore();
        var first = (await XinfangBinary.RunAsync(store.Folder, ["migrate", store.ConnectionArgument])).ExpectExit(0);
        first.Stdout.ShouldContain("Applied: 0001_initial", customMessage: first.ToString());
        File.Exists(store.DatabaseFile).ShouldBeTrue();
        var tables = store.Query("SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0));
        foreach (var t in new[] { "schema_migrations", "units", "petitions", "petitioners", "petition_events", "petition_access", "identity_users", "calendar_entries", "routing_rules" })
            tables.ShouldContain(t);
        store.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'petition_events'").ShouldBe(2);
        // migrate does not bootstrap: the store has its schema but nobody in it.
        store.Scalar("SELECT COUNT(*) FROM identity_users").ShouldBe(0);

        var second = (await XinfangBinary.RunAsync(store.Folder, ["migrate", store.ConnectionArgument])).ExpectExit(0);
        second.Stdout.ShouldContain("no pending migrations", customMessage: second.ToString());
        second.Stdout.ShouldNotContain("Applied:");
        store.Scalar("SELECT COUNT(*) FROM schema_migrations").ShouldBe((long)Xinfang.Web.Data.Migrator.Scripts(sqlite: true).Count);
    }

    [Fact]
    public async Task Seed_demo_when_store_is_new_creates_units_at_four_levels_users_and_petitions_in_many_statuses()
    {
        using var store = new TempStore();
        var run = (await XinfangBinary.RunAsync(store.Folder, ["seed", "--demo", store.ConnectionArgument, "--Bootstrap:AdminPassword=Admin-Pass-2026"], SeedTimeout)).ExpectExit(0);
        run.Stdout.ShouldContain("Demo accounts", customMessage: run.ToString());
        run.Stdout.ShouldContain(DemoSeed.Password);
        foreach (var (user, _, _, _) in DemoSeed.Users) run.Stdout.ShouldContain(user);

        var levels = store.Query("SELECT DISTINCT level FROM units", r => r.GetInt32(0));
        levels.ShouldContain(1);
        levels.ShouldContain(2);
        levels.ShouldContain(3);
        levels.ShouldContain(4);
        store.Scalar("SELECT COUNT(*) FROM identity_users").ShouldBeGreaterThanOrEqualTo(11);
        store.Scalar("SELECT COUNT(*) FROM identity_users WHERE user_name = 'admin'").ShouldBe(1);
        var petitions = store.Scalar("SELECT COUNT(*) FROM petitions");
        petitions.ShouldBeGreaterThanOrEqualTo(250);
        var statuses = store.Query("SELECT status, COUNT(*) FROM petitions GROUP BY status", r => r.GetString(0));
        statuses.Count.ShouldBeGreaterThanOrEqualTo(10, string.Join(", ", statuses));
        // Every petition has its timeline, numbered from 1 without gaps.
        store.Scalar("SELECT COUNT(*) FROM petitions p WHERE p.last_event_sequence <> (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = p.id)").ShouldBe(0);
        store.Scalar("SELECT COUNT(*) FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM petition_events e WHERE e.petition_id = p.id AND e.sequence = 1)").ShouldBe(0);

        // Seeding again changes nothing.
        var again = (await XinfangBinary.RunAsync(store.Folder, ["seed", "--demo", store.ConnectionArgument, "--Bootstrap:AdminPassword=Admin-Pass-2026"], SeedTimeout)).ExpectExit(0);
        again.Stdout.ShouldContain("already present", customMessage: again.ToString());
        store.Scalar("SELECT COUNT(*) FROM petitions").ShouldBe(petitions);
    }

    [Fact]
    public async Task Calendar_import_when_file_is_a_holiday_cn_notice_imports_its_days()
    {
        using var store = new TempStore();
        var file = Path.Combine(store.Folder, "2031.json");
        var notice = new JsonObject
        {
            ["$schema"] = "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
            ["$id"] = "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2031.json",
            ["year"] = 2031,
            ["papers"] = new JsonArray("http://www.gov.cn/zhengce/content/2030-11/01/content_0000000.htm"),
            ["days"] = new JsonArray(
                Day("元旦", "2031-01-01", true),
                Day("春节", "2031-01-22", true),
                Day("春节", "2031-01-23", true),
                Day("春节", "2031-01-26", false)),
        };
        await File.WriteAllTextAsync(file, notice.ToJsonString());

        var run = (await XinfangBinary.RunAsync(store.Folder, ["calendar", "import", file, store.ConnectionArgument])).ExpectExit(0);
        run.Stdout.ShouldContain("imported 4 days", customMessage: run.ToString());
        store.Scalar("SELECT COUNT(*) FROM calendar_entries WHERE year = 2031").ShouldBe(4);
        store.Scalar("SELECT COUNT(*) FROM calendar_entries WHERE year = 2031 AND is_off_day = 0").ShouldBe(1);

        // Importing the same year again replaces it rather than adding to it.
        (await XinfangBinary.RunAsync(store.Folder, ["calendar", "import", file, store.ConnectionArgument])).ExpectExit(0);
        store.Scalar("SELECT COUNT(*) FROM calendar_entries WHERE year = 2031").ShouldBe(4);

        static JsonObject Day(string name, string date, bool off) => new() { ["name"] = name, ["date"] = date, ["isOffDay"] = off };
    }

    [Fact]
    public async Task Calendar_import_when_file_is_not_a_notice_exits_non_zero_with_a_message()
    {
        using var store = new TempStore();
        var bad = Path.Combine(store.Folder, "bad.json");
        await File.WriteAllTextAsync(bad, "{ \"year\": 2031, \"days\": [ { \"name\": \"元旦\", \"date\": \"2031-13-45\", \"isOffDay\": true } ] }");
        var run = await XinfangBinary.RunAsync(store.Folder, ["calendar", "import", bad, store.ConnectionArgument]);
        run.ExitCode.ShouldNotBe(0, run.ToString());
        run.Stderr.ShouldContain("无法解析", customMessage: run.ToString());
        store.Scalar("SELECT COUNT(*) FROM calendar_entries").ShouldBe(0);

        var garbage = Path.Combine(store.Folder, "garbage.json");
        await File.WriteAllTextAsync(garbage, "this is not json");
        var run2 = await XinfangBinary.RunAsync(store.Folder, ["calendar", "import", garbage, store.ConnectionArgument]);
        run2.ExitCode.ShouldNotBe(0, run2.ToString());
        run2.Stderr.ShouldNotBeNullOrWhiteSpace(run2.ToString());

        var missing = await XinfangBinary.RunAsync(store.Folder, ["calendar", "import", Path.Combine(store.Folder, "missing.json"), store.ConnectionArgument]);
        missing.ExitCode.ShouldNotBe(0, missing.ToString());
        missing.Stderr.ShouldContain("missing.json", customMessage: missing.ToString());
    }

    [Fact]
    public async Task Running_binary_when_verb_is_unknown_exits_64_with_usage()
    {
        using var store = new TempStore();
        var run = await XinfangBinary.RunAsync(store.Folder, ["frobnicate", store.ConnectionArgument]);
        run.ExitCode.ShouldBe(64, run.ToString());
        run.Stderr.ShouldContain("Unknown verb 'frobnicate'", customMessage: run.ToString());
        run.Stderr.ShouldContain("migrate");
        File.Exists(store.DatabaseFile).ShouldBeFalse();
    }
}
