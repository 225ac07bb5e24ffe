// Xinfang benchmark: a real server on loopback over a real store, seeded with N petitions in one county's
// jurisdiction; measures registration, reads, keyset pages deep in the list, and the deadline sweep with
// nothing due versus K due (its cost must follow what is due, not what is open).
//
//   dotnet run -c Release --project bench/Xinfang.Bench -- --petitions 100000 --due 1000
//   ... -- --petitions 1000000 --bulk      (seed by copying two domain-made petitions with bulk SQL: see BulkSeed.cs)
//   ... -- --petitions 100000 --Database:Provider=postgres --ConnectionStrings:Xinfang="Host=…;Database=bench;…"
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web;
using Xinfang.Web.Calendar;
using Xinfang.Web.Cli;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).DefaultIfEmpty(fallback).First();
var count = Arg("--petitions", 100_000);
var dueCount = Arg("--due", 1_000);
var requests = Arg("--requests", 300);
var wrkSeconds = Arg("--wrk", 0);
var bulk = args.Contains("--bulk");
var hostArgs = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':') || (i > 0 && args[i - 1].Contains(':') && !a.StartsWith("--"))).ToList();
var sqliteFile = Path.Combine(Path.GetTempPath(), $"xinfang-bench-{Guid.NewGuid():N}.db");
if (!hostArgs.Any(a => a.StartsWith("--ConnectionStrings:Xinfang", StringComparison.Ordinal))) hostArgs.Add($"--ConnectionStrings:Xinfang=Data Source={sqliteFile}");
const string Port = "5187";
hostArgs.AddRange([$"--urls=http://127.0.0.1:{Port}", "--Bootstrap:AdminPassword=Admin-Pass-2026", "--Sweep:Enabled=false",
    "--Portal:RequestsPerMinute=1000000000", // the load generator is one address

    "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Error"]);

var app = XinfangApp.Build(hostArgs.ToArray());
await app.StartAsync();
var provider = app.Configuration["Database:Provider"] ?? "sqlite";
Console.WriteLine($"# Xinfang benchmark — {provider}, {count:N0} petitions, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
using var scope = app.Services.CreateScope();
var sp = scope.ServiceProvider;
var db = sp.GetRequiredService<XinfangDb>();
await DemoSeed.RunAsync(sp, default, petitions: 0);
var county = await db.Units.FirstAsync(u => u.Code == "ks-xfj");
var housing = await db.Units.FirstAsync(u => u.Code == "ks-zjj");

// 1. Seed through the domain (the same Register/Apply as the API), in batches.
var seed = Stopwatch.StartNew();
var time = sp.GetRequiredService<TimeProvider>();
var deadlines = sp.GetRequiredService<CalendarStore>().Deadlines;
var lengths = sp.GetRequiredService<IOptions<WorkflowOptions>>().Value.Lengths;
var clerk = new Actor(ActorKind.Staff, Guid.NewGuid(), county.Id, new HashSet<Role> { Role.IntakeClerk });
var random = new Random(7);
var path = Jurisdiction.PathOf(county).ToList();
var housingPath = Jurisdiction.PathOf(housing).ToList();
var domainCount = bulk ? Math.Min(count, 2) : count;
var templates = new List<Guid>();
for (var done = 0; done < domainCount;)
{
    var batch = Math.Min(2_000, domainCount - done);
    for (var i = 0; i < batch; i++, done++)
    {
        var now = time.GetUtcNow().AddDays(-random.Next(0, 40)).AddMinutes(-done);
        var context = new WorkflowContext(now, deadlines, lengths);
        var number = PetitionNumber.Format("999999", 2026, done + 1);
        var r = new Registration(Channel.Letter, now, [new Petitioner { Name = "测试" + done, IdNumber = DemoSeed.SyntheticId(random), Phone = "139" + random.Next(10_000_000, 99_999_999), Address = "昆山市玉山镇" }],
            false, 1, $"第{done}号测试事项：小区逾期交房", "诉求：按期交房。事实：逾期一年。理由：合同约定。", "320583", "0102", PetitionType.Claim, null, null);
        var (p, e) = Petition.Register(r, number, QueryCodes.Hash(number, "BENCH"), county.Id, true, clerk, context);
        db.Petitions.Add(p);
        db.PetitionEvents.Add(e);
        if (templates.Count < 2) templates.Add(p.Id);
        var units = path;
        if (done % 2 == 0)
        {
            var step = p.Apply(new Forward(housing.Id, null), clerk, context);
            db.PetitionEvents.Add(step.Event!);
            units = path.Union(housingPath).ToList();
        }
        foreach (var u in units) db.PetitionAccess.Add(new PetitionAccess { UnitId = u, PetitionId = p.Id, RegisteredAt = p.RegisteredAt, Number = p.Number });
    }
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
}
if (bulk && count > domainCount)
    await BulkSeed.RunAsync(db, templates, count - domainCount, done =>
    {
        if (done % 100_000 < 50_000 && done >= 100_000 || done == count - domainCount) Console.Error.WriteLine($"  bulk: {done:N0} in {seed.Elapsed.TotalSeconds:N0} s");
    });
if (!db.IsSqlite) await db.Database.ExecuteSqlRawAsync("ANALYZE");
Console.WriteLine($"seeded {count:N0} petitions in {seed.Elapsed.TotalSeconds:N1} s ({count / seed.Elapsed.TotalSeconds:N0}/s, {(bulk ? "bulk SQL copies of two domain-made petitions" : "through the domain and EF")})");
Console.WriteLine();

using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
var login = await (await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "clerk", password = DemoSeed.Password })).Content.ReadFromJsonAsync<JsonObject>();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!["accessToken"]!.ToString());

// Ledger export (台账, bench/ledger.sh): the whole jurisdiction as XLSX and CSV, streamed. The first byte must come
// long before the last, and the managed heap must not grow with the rows (sampled every 20 ms while reading).
if (args.Contains("--ledger"))
{
    using var exporter = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
    exporter.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
    Console.WriteLine("| ledger export (1 client, loopback) | rows | MiB | first byte s | total s | rows/s | managed heap before → peak MiB |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var ext in new[] { "xlsx", "csv" })
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peakHeap = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested) { peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false)); await Task.Delay(20); }
        });
        var clock = Stopwatch.StartNew();
        using var response = await exporter.GetAsync($"/api/v1/ledgers/petitions.{ext}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long bytes = 0, lines = 0;
        double? firstByte = null;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            firstByte ??= clock.Elapsed.TotalSeconds;
            bytes += read;
            if (ext == "csv") lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        clock.Stop();
        sampling.Cancel();
        await sampler;
        var rows = ext == "csv" ? lines - 1 : count;
        Console.WriteLine($"| {ext} | {rows:N0} | {bytes / 1048576.0:N1} | {firstByte:N2} | {clock.Elapsed.TotalSeconds:N1} | {rows / clock.Elapsed.TotalSeconds:N0} | {before / 1048576.0:N0} → {peakHeap / 1048576.0:N0} |");
    }
    var self = Process.GetCurrentProcess();
    Console.WriteLine();
    Console.WriteLine($"peak working set of the process (server, store and client) {self.PeakWorkingSet64 / 1048576:N0} MiB");
    await app.StopAsync();
    return;
}

async Task<double[]> Time(int n, int concurrency, Func<int, Task> call)
{
    var samples = new double[n];
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < n)
        {
            var sw = Stopwatch.StartNew();
            await call(i);
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }
    }));
    Array.Sort(samples);
    return samples;
}
string Row(string what, double[] s, TimeSpan? wall = null) =>
    $"| {what} | {s.Length} | {s[s.Length / 2]:N1} | {s[(int)(s.Length * 0.95)]:N1} | {s[^1]:N1} |" + (wall is { } w ? $" {s.Length / w.TotalSeconds:N0}/s |" : " |");

Console.WriteLine("| operation (HTTP on loopback) | n | p50 ms | p95 ms | max ms | throughput |");
Console.WriteLine("|---|---|---|---|---|---|");
var body = (int i) => new { channel = "visit", petitioners = new[] { new { name = "基准" + i, idNumber = DemoSeed.SyntheticId(new Random(i)), phone = "13800000000", address = "昆山市" } }, title = "基准测试登记" + i, content = "诉求：测试。事实：测试。理由：测试。", regionCode = "320583", type = "claim" };
var wall = Stopwatch.StartNew();
var register = await Time(requests, 4, async i => (await http.PostAsJsonAsync("/api/v1/petitions", body(i))).EnsureSuccessStatusCode());
Console.WriteLine(Row("register a petition (4 concurrent clients)", register, wall.Elapsed));
var first = await http.GetFromJsonAsync<JsonObject>("/api/v1/petitions?limit=1");
var id = first!["items"]![0]!["id"]!.ToString();
wall.Restart();
Console.WriteLine(Row("get one petition", await Time(requests, 4, async _ => (await http.GetAsync($"/api/v1/petitions/{id}")).EnsureSuccessStatusCode()), wall.Elapsed));
wall.Restart();
Console.WriteLine(Row("list, first page of 50", await Time(Math.Min(requests, 200), 4, async _ => (await http.GetAsync("/api/v1/petitions?limit=50")).EnsureSuccessStatusCode()), wall.Elapsed));
// Walk 200 pages deep, then time that page.
string? cursor = null;
for (var page = 0; page < 200 && (page == 0 || cursor is not null); page++)
    cursor = (await http.GetFromJsonAsync<JsonObject>("/api/v1/petitions?limit=50" + (cursor is null ? "" : "&cursor=" + cursor)))!["nextCursor"]?.ToString();
wall.Restart();
Console.WriteLine(Row("list, page 200 of 50 (keyset cursor)", await Time(Math.Min(requests, 200), 4, async _ => (await http.GetAsync("/api/v1/petitions?limit=50&cursor=" + cursor)).EnsureSuccessStatusCode()), wall.Elapsed));
wall.Restart();
Console.WriteLine(Row("list, status=forwarded filter", await Time(Math.Min(requests, 200), 4, async _ => (await http.GetAsync("/api/v1/petitions?limit=50&status=forwarded")).EnsureSuccessStatusCode()), wall.Elapsed));
Console.WriteLine();

// 1b. Search (GET /api/v1/petitions/search) as the county bureau's clerk, whose jurisdiction holds every seeded
// petition: one client at a time (latency, not throughput), each request with its own value where one varies.
var searchRequests = Arg("--search-requests", 200);
var numbers = await db.Petitions.OrderBy(p => p.Id).Select(p => p.Number).Take(searchRequests).ToListAsync();
var phones = await db.Petitioners.Where(p => p.Phone != null).OrderBy(p => p.Id).Select(p => p.Phone!).Take(searchRequests).ToListAsync();
var idNumbers = await db.Petitioners.Where(p => p.IdNumber != null).OrderBy(p => p.Id).Select(p => p.IdNumber!).Take(searchRequests).ToListAsync();
async Task<string?> Walk(string query, int pages)
{
    string? next = null;
    for (var page = 0; page < pages && (page == 0 || next is not null); page++)
        next = (await http.GetFromJsonAsync<JsonObject>("/api/v1/petitions/search?limit=50&" + query + (next is null ? "" : "&cursor=" + Uri.EscapeDataString(next))))!["nextCursor"]?.ToString();
    return next;
}
var deepText = await Walk("text=" + Uri.EscapeDataString(ChineseText.Frequent), 20);
var deepFilter = await Walk("status=forwarded&channel=letter", 200);
var searches = new (string What, Func<int, string> Query)[]
{
    ("number, exact", i => "number=" + numbers[i % numbers.Count]),
    ("petitioner phone, exact", i => "phone=" + phones[i % phones.Count]),
    ("petitioner identity number, exact", i => "idNumber=" + idNumbers[i % idNumbers.Count]),
    ("petitioner name, exact (a common name: ~1 in 500)", i => "name=" + Uri.EscapeDataString(ChineseText.Surnames[i % 20] + "伟")),
    ("text, 4 characters, ~1 in 200 (a place name)", i => "text=" + Uri.EscapeDataString(ChineseText.Places[i % ChineseText.Places.Length])),
    ($"text, 4 characters, ~1 in 15 ({ChineseText.Frequent})", _ => "text=" + Uri.EscapeDataString(ChineseText.Frequent)),
    ($"text, 2 characters ({ChineseText.Short}; window of {Xinfang.Web.Search.SearchPetitions.ShortTextWindow:N0})", _ => "text=" + Uri.EscapeDataString(ChineseText.Short)),
    ("text (place name) + status=forwarded", i => "status=forwarded&text=" + Uri.EscapeDataString(ChineseText.Places[i % ChineseText.Places.Length])),
    ("text + status + channel + received dates", i => "status=forwarded&channel=letter&receivedFrom=2026-01-01&receivedTo=2026-12-31&text=" + Uri.EscapeDataString(ChineseText.Places[i % ChineseText.Places.Length])),
    ("text (~1 in 15), page 21 (keyset cursor)", _ => "text=" + Uri.EscapeDataString(ChineseText.Frequent) + (deepText is null ? "" : "&cursor=" + Uri.EscapeDataString(deepText))),
    ("status=forwarded&channel=letter, page 201 (keyset cursor)", _ => "status=forwarded&channel=letter" + (deepFilter is null ? "" : "&cursor=" + Uri.EscapeDataString(deepFilter))),
};
Console.WriteLine("| search, 50 a page, 1 client | n | p50 ms | p95 ms | p99 ms | max ms | items on page |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (what, query) in searches)
{
    var found = 0;
    await http.GetAsync("/api/v1/petitions/search?limit=50&" + query(0)); // warm
    var samples = await Time(searchRequests, 1, async i =>
    {
        var page = await http.GetFromJsonAsync<JsonObject>("/api/v1/petitions/search?limit=50&" + query(i));
        if (i == 0) found = page!["items"]!.AsArray().Count;
    });
    Console.WriteLine($"| {what} | {samples.Length} | {samples[samples.Length / 2]:N1} | {samples[(int)(samples.Length * 0.95)]:N1} | {samples[Math.Min(samples.Length - 1, (int)(samples.Length * 0.99))]:N1} | {samples[^1]:N1} | {found} |");
}
Console.WriteLine();

// 2. The sweep: nothing due, then K due among all open matters.
var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
var idle = await Time(20, 1, async _ => await DeadlineSweep.SweepAsync(scopes, default));
var openStatuses = Enum.GetValues<PetitionStatus>().Where(Workflow.IsOpen).ToList();
var open = await db.Petitions.CountAsync(p => openStatuses.Contains(p.Status));
var watched = await db.Petitions.CountAsync(p => p.NextSweepAt != null);
var ids = await db.Petitions.Where(p => p.NextSweepAt != null).OrderBy(p => p.Id).Select(p => p.Id).Take(dueCount).ToListAsync();
var past = time.GetUtcNow().AddHours(-1);
foreach (var chunk in ids.Chunk(500)) await db.Petitions.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.NextSweepAt, past));
var sweep = Stopwatch.StartNew();
await DeadlineSweep.SweepAsync(scopes, default);
var dueTime = sweep.Elapsed.TotalMilliseconds;
Console.WriteLine("| deadline sweep | open matters | with a future sweep instant | due now | time ms |");
Console.WriteLine("|---|---|---|---|---|");
Console.WriteLine($"| nothing due (median of 20) | {open:N0} | {watched:N0} | 0 | {idle[10]:N2} |");
Console.WriteLine($"| {dueCount:N0} due | {open:N0} | {watched:N0} | {dueCount:N0} | {dueTime:N0} ({dueTime / Math.Max(1, dueCount):N2} per due matter) |");
Console.WriteLine();
// 3. The portal's status query under load from a second process (wrk, loopback): random numbers, right codes.
if (wrkSeconds > 0)
{
    var lua = Path.Combine(Path.GetTempPath(), $"xinfang-wrk-{Guid.NewGuid():N}.lua");
    await File.WriteAllTextAsync(lua, $$"""
        math.randomseed(os.time())
        request = function()
          return wrk.format("GET", string.format("/api/v1/public/petitions/999999-2026-%06d?queryCode=BENCH", math.random(1, {{count}})))
        end
        """);
    Console.WriteLine($"wrk -t2 -c16 -d{wrkSeconds}s --latency (portal status queries over {count:N0} petitions)");
    using var wrk = Process.Start(new ProcessStartInfo("wrk", $"-t2 -c16 -d{wrkSeconds}s --latency -s {lua} http://127.0.0.1:{Port}") { RedirectStandardOutput = true })!;
    Console.WriteLine(await wrk.StandardOutput.ReadToEndAsync());
    await wrk.WaitForExitAsync();
    File.Delete(lua);
}
var process = Process.GetCurrentProcess();
Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576:N0} MiB; managed heap now {GC.GetTotalMemory(false) / 1048576:N0} MiB");
await app.StopAsync();
if (File.Exists(sqliteFile)) foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" }) File.Delete(f);
