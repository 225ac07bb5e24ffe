// Dashboard benchmark (issue #7, "Measured"): a province of ~1,000 units with N petitions' measure facts spread over
// the last year, the maintained counts (measure_counts) recounted from them, then the dashboard's API timed as a
// province-level analyst sees it, one client at a time, over real HTTP on loopback.
//
//   bench/dashboard.sh [petitions=1000000] [requests=50]
//   dotnet bench/Xinfang.DashboardBench/bin/Release/net10.0/Xinfang.DashboardBench.dll --petitions 1000000 [--Database:Provider=postgres --ConnectionStrings:Xinfang=…]
//
// The dashboard reads measure_counts only (never petitions), so the bench writes the facts rows the application keeps
// beside each petition (measure_facts, one per petition) with bulk SQL, and recounts with MeasureRebuild.RecountAsync —
// the same Tallies function the live saves use.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web;
using Xinfang.Web.Cli;
using Xinfang.Web.Dashboard;
using Xinfang.Web.Data;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
var count = Arg("--petitions", 1_000_000);
var requests = Arg("--requests", 50);
var hostArgs = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':') || (i > 0 && args[i - 1].Contains(':') && !a.StartsWith("--"))).ToList();
var sqliteFile = Path.Combine(Path.GetTempPath(), $"xinfang-dashboard-{Guid.NewGuid():N}.db");
if (!hostArgs.Any(a => a.StartsWith("--ConnectionStrings:Xinfang", StringComparison.Ordinal))) hostArgs.Add($"--ConnectionStrings:Xinfang=Data Source={sqliteFile}");
var Port = Arg("--port", 5188).ToString(CultureInfo.InvariantCulture);
hostArgs.AddRange([$"--urls=http://127.0.0.1:{Port}", "--Bootstrap:AdminPassword=Admin-Pass-2026", "--Sweep:Enabled=false",
    "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Error"]);

var app = XinfangApp.Build(hostArgs.ToArray());
await app.StartAsync();
var provider = app.Configuration["Database:Provider"] ?? "sqlite";
Console.WriteLine($"# Dashboard benchmark — {provider}, {count:N0} petitions, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
using var scope = app.Services.CreateScope();
var sp = scope.ServiceProvider;
var db = sp.GetRequiredService<XinfangDb>();
await DemoSeed.RunAsync(sp, default, petitions: 0);

// A province: 13 cities × 8 counties × (bureau, 4 departments, 3 townships), beside the demo's units.
var province = await db.Units.FirstAsync(u => u.Code == "js-gov");
var provinceBureau = await db.Units.FirstAsync(u => u.Code == "js-xfj");
var receiving = new List<Unit> { provinceBureau };
var departments = new Dictionary<Guid, List<Unit>>();
Unit Add(string code, string name, int level, UnitKind kind, string region, Unit parent)
{
    var u = new Unit { Code = code, Name = name, Level = level, Kind = kind, RegionCode = region, ParentId = parent.Id };
    u.Path = Unit.PathOf(parent, u.Id);
    db.Units.Add(u);
    return u;
}
for (var c = 1; c <= 13; c++)
{
    var cityRegion = $"32{c:D2}00";
    var city = Add($"b-c{c}", $"第{c}市人民政府", 2, UnitKind.Government, cityRegion, province);
    receiving.Add(Add($"b-c{c}-xfj", $"第{c}市信访局", 2, UnitKind.PetitionBureau, cityRegion, city));
    for (var k = 1; k <= 8; k++)
    {
        var region = $"32{c:D2}{k:D2}";
        var county = Add($"b-c{c}k{k}", $"第{c}市第{k}县人民政府", 3, UnitKind.Government, region, city);
        var bureau = Add($"b-c{c}k{k}-xfj", $"第{c}市第{k}县信访局", 3, UnitKind.PetitionBureau, region, county);
        departments[bureau.Id] = Enumerable.Range(1, 4).Select(d => Add($"b-c{c}k{k}-d{d}", $"第{c}市第{k}县第{d}局", 3, UnitKind.Department, region, county)).ToList();
        receiving.Add(bureau);
        for (var t = 1; t <= 3; t++)
        {
            var town = Add($"b-c{c}k{k}-t{t}", $"第{c}市第{k}县第{t}镇", 4, UnitKind.Government, region + $"{t:D3}", county);
            departments[town.Id] = departments[bureau.Id];
            receiving.Add(town);
        }
    }
}
await db.SaveChangesAsync();
var unitCount = await db.Units.CountAsync();

// 1. measure_facts: N petitions over the last 365 days, mostly received at county level, as the policy wants.
var seed = Stopwatch.StartNew();
var today = ChinaTime.DateOf(DateTimeOffset.UtcNow);
var random = new Random(17);
var counties = receiving.Where(u => u.Level == 3).ToList();
var towns = receiving.Where(u => u.Level == 4).ToList();
var cities = receiving.Where(u => u.Level == 2).ToList();
var conn = db.Database.GetDbConnection();
await db.Database.OpenConnectionAsync();
var columns = new[] { "petition_id", "receiving_unit_id", "received_on", "category", "channel", "region_code", "repeat", "disposal_due_on", "disposed_on",
    "withdrawn", "responsible_unit_id", "handle_due_on", "replied_on", "closed_on", "review_requested", "repeated_within90", "rating" };
var batchSize = db.IsSqlite ? 50_000 : 100_000;
for (var done = 0; done < count;)
{
    var n = Math.Min(batchSize, count - done);
    var rows = new List<object?[]>(n);
    for (var i = 0; i < n; i++, done++)
    {
        var roll = random.NextDouble();
        var unit = roll < 0.05 ? provinceBureau : roll < 0.15 ? cities[random.Next(cities.Count)] : roll < 0.80 ? counties[random.Next(counties.Count)] : towns[random.Next(towns.Count)];
        var received = today.AddDays(-random.Next(0, 365));
        var due = received.AddDays(15);
        DateOnly? disposed = due < today ? (random.NextDouble() < 0.93 ? received.AddDays(random.Next(0, 18)) : null)
            : random.NextDouble() < 0.5 ? received.AddDays(random.Next(0, Math.Max(1, today.DayNumber - received.DayNumber))) : null;
        if (disposed > today) disposed = today;
        Guid? responsible = null; DateOnly? handleDue = null, replied = null, closed = null; string? rating = null;
        var review = false;
        if (disposed is { } d && random.NextDouble() < 0.6 && departments.TryGetValue(unit.Id, out var depts))
        {
            responsible = depts[random.Next(depts.Count)].Id;
            handleDue = d.AddDays(60);
            var answer = d.AddDays(random.Next(10, 75));
            if (answer <= today)
            {
                replied = answer;
                if (random.NextDouble() < 0.7) rating = random.NextDouble() < 0.85 ? (random.NextDouble() < 0.6 ? "Satisfied" : "BasicallySatisfied") : "Dissatisfied";
                review = random.NextDouble() < 0.08;
                if (!review && answer.AddDays(31) <= today) closed = answer.AddDays(31);
            }
        }
        rows.Add([Guid.NewGuid(), unit.Id, received, (1 + random.Next(19)).ToString("D2", CultureInfo.InvariantCulture),
            random.NextDouble() < 0.45 ? "Online" : ((Channel)(1 + random.Next(4))).ToString(), unit.RegionCode[..6], random.NextDouble() < 0.12, due, disposed,
            false, responsible, handleDue, replied, closed, review, random.NextDouble() < 0.05, rating]);
    }
    await WriteAsync(conn, db.IsSqlite, rows);
    if (done % 200_000 == 0 || done == count) Console.Error.WriteLine($"  facts: {done:N0} in {seed.Elapsed.TotalSeconds:N0} s");
}
await db.Database.CloseConnectionAsync();
Console.WriteLine($"wrote {count:N0} measure_facts rows in {seed.Elapsed.TotalSeconds:N1} s ({unitCount:N0} units)");
var recount = Stopwatch.StartNew();
await MeasureRebuild.RecountAsync(db, default);
await db.Database.ExecuteSqlRawAsync("ANALYZE");
var countRows = await db.MeasureCounts.CountAsync();
var provinceRows = await db.MeasureCounts.CountAsync(c => c.ScopeUnitId == province.Id);
Console.WriteLine($"recounted measure_counts in {recount.Elapsed.TotalSeconds:N1} s: {countRows:N0} rows, {provinceRows:N0} of them the province's");
Console.WriteLine();

// 2. The dashboard's API as a province-level analyst.
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
// A province-level analyst, made as the demo seed makes its accounts (an administrator's API sign-in needs a second factor).
var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Xinfang.Web.Identity.StaffUser>>();
var analyst = new Xinfang.Web.Identity.StaffUser { UserName = "province-analyst", DisplayName = "省分析员", UnitId = province.Id, CreatedAt = DateTimeOffset.UtcNow, PasswordChangedAt = DateTimeOffset.UtcNow, LockoutEnabled = true };
if (!(await users.CreateAsync(analyst, "Bench-Pass-2026")).Succeeded) throw new InvalidOperationException("analyst not created");
await users.AddToRoleAsync(analyst, "analyst");
var login = await (await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "province-analyst", password = "Bench-Pass-2026" })).Content.ReadFromJsonAsync<JsonObject>();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!["accessToken"]!.ToString());

var yearAgo = today.AddDays(-364).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
var calls = new (string What, string Url)[]
{
    ("measures, this month (default)", "/api/v1/measures"),
    ("measures, last 365 days", $"/api/v1/measures?from={yearAgo}"),
    ("trend by month, 12 months (default)", "/api/v1/measures/trend?by=month"),
    ("trend by week, 12 weeks (default)", "/api/v1/measures/trend?by=week"),
    ("breakdown by category, this month", "/api/v1/measures/breakdown?by=category"),
    ("breakdown by region, this month", "/api/v1/measures/breakdown?by=region"),
    ("breakdown by unit, this month", "/api/v1/measures/breakdown?by=unit"),
    ("breakdown by region, last 365 days", $"/api/v1/measures/breakdown?by=region&from={yearAgo}"),
    ("alerts (this week vs 8 weeks)", "/api/v1/measures/alerts"),
};
Console.WriteLine("| GET (province scope, 1 client) | n | p50 ms | p95 ms | max ms |");
Console.WriteLine("|---|---|---|---|---|");
var whole = new double[requests];
foreach (var (what, url) in calls)
{
    for (var i = 0; i < 3; i++) (await http.GetAsync(url)).EnsureSuccessStatusCode(); // warm
    var samples = new double[requests];
    for (var i = 0; i < requests; i++)
    {
        var sw = Stopwatch.StartNew();
        (await http.GetAsync(url)).EnsureSuccessStatusCode();
        samples[i] = sw.Elapsed.TotalMilliseconds;
    }
    Array.Sort(samples);
    Console.WriteLine($"| {what} | {requests} | {samples[requests / 2]:N1} | {samples[(int)(requests * 0.95)]:N1} | {samples[^1]:N1} |");
}
// The dashboard page's own reads: measures, one trend, four breakdowns and the alerts, one after the other.
var pageSet = new[] { "/api/v1/measures", "/api/v1/measures/trend?by=month", "/api/v1/measures/breakdown?by=category", "/api/v1/measures/breakdown?by=channel",
    "/api/v1/measures/breakdown?by=region", "/api/v1/measures/breakdown?by=unit", "/api/v1/measures/alerts" };
for (var i = 0; i < requests; i++)
{
    var sw = Stopwatch.StartNew();
    foreach (var url in pageSet) (await http.GetAsync(url)).EnsureSuccessStatusCode();
    whole[i] = sw.Elapsed.TotalMilliseconds;
}
Array.Sort(whole);
Console.WriteLine($"| **whole dashboard** (the 7 reads of /staff/dashboard in sequence) | {requests} | {whole[requests / 2]:N1} | {whole[(int)(requests * 0.95)]:N1} | {whole[^1]:N1} |");
var sample = await http.GetFromJsonAsync<JsonObject>("/api/v1/measures?from=" + yearAgo);
Console.WriteLine();
Console.WriteLine($"province, last 365 days: received {sample!["figures"]!["received"]}, 及时受理率 {sample["figures"]!["timelyAcceptance"]!["value"]}, 按期办结率 {sample["figures"]!["onTimeCompletion"]!["value"]}");
await app.StopAsync();
if (File.Exists(sqliteFile)) foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" }) File.Delete(f);

static async Task WriteAsync(DbConnection conn, bool sqlite, List<object?[]> rows)
{
    var names = new[] { "petition_id", "receiving_unit_id", "received_on", "category", "channel", "region_code", "repeat", "disposal_due_on", "disposed_on",
        "withdrawn", "responsible_unit_id", "handle_due_on", "replied_on", "closed_on", "review_requested", "repeated_within90", "rating" };
    var quoted = string.Join(", ", names);
    if (!sqlite)
    {
        await using var copy = await ((NpgsqlConnection)conn).BeginBinaryImportAsync($"COPY measure_facts ({quoted}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            foreach (var v in row)
                switch (v)
                {
                    case null: await copy.WriteNullAsync(); break;
                    case Guid g: await copy.WriteAsync(g, NpgsqlTypes.NpgsqlDbType.Uuid); break;
                    case DateOnly d: await copy.WriteAsync(d, NpgsqlTypes.NpgsqlDbType.Date); break;
                    case string s: await copy.WriteAsync(s, NpgsqlTypes.NpgsqlDbType.Text); break;
                    case bool b: await copy.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean); break;
                    default: throw new NotSupportedException(v.GetType().Name);
                }
        }
        await copy.CompleteAsync();
        return;
    }
    await using var tx = await conn.BeginTransactionAsync();
    await using var cmd = conn.CreateCommand();
    cmd.Transaction = tx;
    cmd.CommandText = $"INSERT INTO measure_facts ({quoted}) VALUES ({string.Join(", ", names.Select((_, i) => "@p" + i))})";
    var parameters = names.Select((_, i) => { var p = cmd.CreateParameter(); p.ParameterName = "@p" + i; cmd.Parameters.Add(p); return p; }).ToList();
    cmd.Prepare();
    foreach (var row in rows)
    {
        for (var i = 0; i < row.Length; i++)
            parameters[i].Value = row[i] switch
            {
                null => DBNull.Value,
                Guid g => g.ToString().ToUpperInvariant(),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool b => b ? 1 : 0,
                var v => v,
            };
        await cmd.ExecuteNonQueryAsync();
    }
    await tx.CommitAsync();
}
