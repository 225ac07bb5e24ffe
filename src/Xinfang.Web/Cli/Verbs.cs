using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Cli;

/// <summary>
/// The verbs of the one binary. Anything after the verb that is not its own option goes to the host's
/// configuration (e.g. --urls, --Database:Provider=postgres).
/// </summary>
public static class Verbs
{
    public const string Usage = """
        xinfang [serve] [--demo] [host options]   run the web application (default); --demo seeds demo data into an empty store
        xinfang migrate                           apply database migrations and exit
        xinfang seed --demo                       create the demo province, users and petitions
        xinfang schema                            print the DDL the model expects (to write the next migration)
        xinfang calendar import FILE              import a year's State Council holiday notice (holiday-cn JSON shape)
        xinfang text classify|duplicates|clusters|evaluate   the text engine over CSV files (xinfang text, for its options)
        xinfang text train [--csv FILE]           train the category model from confirmed petitions (or a labelled CSV) into the store
        xinfang text reindex [host options]       rebuild the near-duplicate index (petition_band_keys) of the store
        xinfang measures rebuild [host options]   recount the dashboard's measures (measure_facts, measure_counts) from the petitions
        xinfang keys status                       the personal-data keys: algorithm, active keys, rows per key
        xinfang keys rotate [--blind-index]       new data key (and blind-index key), re-encrypt every row, retire the old key
        xinfang backup FILE [host options]        write one archive: the database (online, safe while serving), attachments, manifest
        xinfang restore FILE [host options]       check the archive, then replace the store and attachments with it (stop the servers first)
        xinfang audit verify|purge [host options] check the audit chain (exit 1 at the first broken link), or purge past retention
        Configuration: appsettings.json, environment Xinfang__Section__Key, or --Section:Key=value.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (verb)
        {
            case "serve":
                return await ServeAsync(rest);
            case "migrate":
                return await WithServices(rest, async sp =>
                {
                    var applied = await sp.GetRequiredService<Migrator>().MigrateAsync();
                    Console.WriteLine(applied.Count == 0 ? "数据库已是最新 (no pending migrations)." : "Applied: " + string.Join(", ", applied));
                    return 0;
                });
            case "seed" when rest.Contains("--demo"):
                return await WithServices(rest.Where(a => a != "--demo").ToArray(), async sp =>
                {
                    await sp.GetRequiredService<Migrator>().MigrateAsync();
                    await sp.GetRequiredService<Bootstrap>().RunAsync(default);
                    var result = await DemoSeed.RunAsync(sp, default);
                    Console.WriteLine(result);
                    return 0;
                });
            case "calendar" when rest.Length >= 2 && rest[0] == "import":
                return await WithServices(rest[2..], async sp =>
                {
                    if (!File.Exists(rest[1])) { Console.Error.WriteLine($"文件不存在: {rest[1]}"); return 2; }
                    await sp.GetRequiredService<Migrator>().MigrateAsync();
                    var (_, days, error) = await ImportCalendarYear.ImportAsync(sp.GetRequiredService<XinfangDb>(), sp.GetRequiredService<CalendarStore>(), await File.ReadAllTextAsync(rest[1]), null, default, sp.GetRequiredService<Petitions.PetitionWorkflow>().Context);
                    if (error is not null) { Console.Error.WriteLine(error); return 2; }
                    Console.WriteLine($"已导入 {days} 天 (imported {days} days).");
                    return 0;
                });
            case "schema":
                // The DDL the current model expects, for writing the next migration by hand and for review.
                return await WithServices(rest, sp =>
                {
                    Console.WriteLine(sp.GetRequiredService<XinfangDb>().Database.GenerateCreateScript());
                    return Task.FromResult(0);
                });
            case "measures" when rest.Length > 0 && rest[0] == "rebuild":
                return await WithServices(rest[1..], async sp =>
                {
                    await sp.GetRequiredService<Migrator>().MigrateAsync();
                    var (backfilled, counted) = await Dashboard.MeasureRebuild.RunAsync(sp.GetRequiredService<XinfangDb>(), sp.GetRequiredService<CalendarStore>(), default);
                    Console.WriteLine($"已补记 {backfilled} 件、重新统计 {counted} 件信访事项 (backfilled {backfilled}, counted {counted}).");
                    return 0;
                });
            case "text" when rest.Length > 0 && rest[0] == "reindex":
                return await WithServices(rest[1..], async sp =>
                {
                    await sp.GetRequiredService<Migrator>().MigrateAsync();
                    var bar = new ConsoleProgressBar("重建查重索引 (reindex)");
                    var count = await sp.GetRequiredService<Intake.ReindexBandKeys>().RunAsync(bar, default);
                    bar.Finish();
                    Console.WriteLine($"已为 {count} 件信访事项重建查重索引 (indexed {count} petitions).");
                    return 0;
                });
            case "text" when TextVerbs.UsesStore(rest):
                return await WithServices(TextVerbs.HostArgs(rest), sp => TextVerbs.TrainAsync(sp, rest));
            case "text":
                return TextVerbs.Run(rest);
            case "keys" when KeyVerbs.Handles(rest):
                return await WithServices(KeyVerbs.HostArgs(rest), sp => KeyVerbs.RunAsync(sp, rest));
            case "backup" when rest.Length >= 1 && !rest[0].StartsWith('-'):
                return await WithServices(rest[1..], sp => Operations.OperationsVerbs.BackupAsync(sp, rest[0]));
            case "restore" when rest.Length >= 1 && !rest[0].StartsWith('-'):
                return await WithServices(rest[1..], sp => Operations.OperationsVerbs.RestoreAsync(sp, rest[0]));
            case "audit": return await WithServices(rest.Skip(1).ToArray(), sp => Audit.AuditVerbs.RunAsync(sp, rest));
            case "help" or "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default:
                Console.Error.WriteLine($"Unknown verb '{verb}'.\n{Usage}");
                return 64;
        }
    }

    static async Task<int> ServeAsync(string[] args)
    {
        var demo = args.Contains("--demo");
        // The demo's administrator signs in with the published password alone; given first, so the command line can still override it.
        var app = XinfangApp.Build((demo ? ["--Auth:RequireTwoFactorForAdmins=false"] : Array.Empty<string>()).Concat(args.Where(a => a != "--demo")).ToArray());
        if (demo)
        {
            using var scope = app.Services.CreateScope();
            var sp = scope.ServiceProvider;
            await sp.GetRequiredService<Migrator>().MigrateAsync();
            await sp.GetRequiredService<Bootstrap>().RunAsync(default);
            if (!await sp.GetRequiredService<XinfangDb>().Petitions.AnyAsync()) Console.WriteLine(await DemoSeed.RunAsync(sp, default));
            else Console.WriteLine(DemoSeed.Accounts);
        }
        app.Lifetime.ApplicationStarted.Register(() =>
            Console.WriteLine("Xinfang is running at: " + string.Join(", ", app.Urls) + "  (OpenAPI: /openapi/v1.json)"));
        await app.RunAsync();
        return 0;
    }

    static async Task<int> WithServices(string[] args, Func<IServiceProvider, Task<int>> run)
    {
        var app = XinfangApp.Build(args);
        using var scope = app.Services.CreateScope();
        return await run(scope.ServiceProvider);
    }
}
