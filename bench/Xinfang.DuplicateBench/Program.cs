// Repeat / near-duplicate lookup at registration over N stored petitions in PostgreSQL, three ways side by side on
// the same texts and queries:
//   band keys  — the store's index (petition_band_keys, B-tree on band_key), candidates re-ranked exactly from their stored
//                shingle sets (petition_shingles), then the survivors' rows read (FindSimilarPetitions);
//   pg_trgm    — content % query with a GIN gin_trgm_ops index (as migration 0004 builds), best 10 by similarity();
//   brute force — the exact engine comparison against every stored text's shingle set, in memory (also the ground truth).
// Stored texts are made from the corpus as in bench/Xinfang.TextBench (never written to the repository); each query is a
// new resubmission (greeting, dropped sentence, digits, truncation…) of a random stored text, which must be found.
//
//   bench/duplicates.sh 100000,1000000            (throwaway PostgreSQL 15)
//   dotnet run -c Release --project bench/Xinfang.DuplicateBench -- --pg "Host=…;Username=…;Database=…" --sizes 100000 \
//       [--queries 500] [--trgm-queries 100] [--data ../shared/data/complaints] [--no-trgm] [--no-brute]
//       [--prewarm] [--settle seconds]      (PG_THROWAWAY_CONF="shared_buffers = 8GB" for the prewarmed run of docs/benchmarks.md)
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Xinfang.Text;
using Xinfang.Text.Duplicates;
using Xinfang.Text.Evaluation;
using Xinfang.Text.Shingling;
using Xinfang.Web.Intake;

string Opt(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var folder = Opt("--data", "../shared/data/complaints");
var sizes = Opt("--sizes", "100000").Split(',').Select(int.Parse).ToArray();
var queries = int.Parse(Opt("--queries", "500"));
var trgmQueries = int.Parse(Opt("--trgm-queries", "100"));
var pg = Opt("--pg", "");
// How many candidates (most shared band keys first) are read and re-ranked; several give one band-key row each.
var caps = Opt("--caps", FindSimilarPetitions.MaxRetrieved.ToString()).Split(',').Select(int.Parse).ToArray();
var withTrgm = !args.Contains("--no-trgm");
// --prewarm: the relations the band-key lookups read are loaded into shared_buffers (pg_prewarm) before timing, as
// operations.md advises for a large store; --settle S: S idle seconds before the band-key lookups (this machine's
// page cache cools within minutes, so a table not in shared_buffers is then read from disk).
var prewarm = args.Contains("--prewarm");
var settle = int.Parse(Opt("--settle", "0"));
var withBrute = !args.Contains("--no-brute");
if (pg.Length == 0) { Console.Error.WriteLine("--pg connection string needed"); return 64; }
var data = EvaluationData.Read(name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
if (data.Messages.Count == 0) { Console.Error.WriteLine($"No messages.csv under {Path.GetFullPath(folder)}"); return 2; }
var messages = data.Messages;
var kinds = Enum.GetValues<ResubmissionKind>();

string TextAt(int i)
{
    if (i < messages.Count) return messages[i].Body;
    var mix = (ulong)i * 0x9E3779B97F4A7C15UL;
    var a = messages[(int)(mix % (ulong)messages.Count)].Body;
    var b = messages[(int)((mix >> 32) % (ulong)messages.Count)].Body;
    return Resubmission.Make(a[..(a.Length / 2)] + b[(b.Length / 2)..], kinds[i % kinds.Length], i);
}

Console.WriteLine($"## Near-duplicate lookup in the store ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
Console.WriteLine();
Console.WriteLine("| stored | method | p50 ms | p99 ms | recall | candidates re-ranked (mean) | index size | memory |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");

await using var source = NpgsqlDataSource.Create(pg);
foreach (var n in sizes) await RunAsync(n);
return 0;

async Task RunAsync(int n)
{
    const int Batch = 50_000;
    var log = (string s) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {n:N0}: {s}");
    await using (var c = await source.OpenConnectionAsync())
    {
        await Exec(c, """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            DROP TABLE IF EXISTS bench_petitions; DROP TABLE IF EXISTS bench_band_keys; DROP TABLE IF EXISTS bench_shingles;
            CREATE TABLE bench_petitions (id uuid NOT NULL PRIMARY KEY, content character varying(20000) NOT NULL);
            CREATE TABLE bench_band_keys (band_key bigint NOT NULL, petition_id uuid NOT NULL);
            CREATE TABLE bench_shingles (petition_id uuid NOT NULL PRIMARY KEY, shingles bytea NOT NULL);
            """);
    }
    // Ids and the summaries (shingle sets and names) in memory — the brute force's data and the truth — packed into
    // one reference-free array per batch, so the collector never walks a million small objects while the store's
    // lookups are timed; rows copied in binary.
    var ids = new Guid[n];
    var shingleChunk = new uint[(n + Batch - 1) / Batch][];
    var nameChunk = new uint[shingleChunk.Length][];
    var shingleAt = new (int Start, int Count)[n];
    var nameAt = new (int Start, int Count)[n];
    long summaryBytes = 0;
    var watch = Stopwatch.StartNew();
    var texts = new string[Batch];
    var prints = new DuplicateFingerprint[Batch];
    for (var start = 0; start < n; start += Batch)
    {
        var count = Math.Min(Batch, n - start);
        Parallel.For(0, count, k =>
        {
            texts[k] = TextAt(start + k);
            prints[k] = DuplicateFingerprint.Of(FindSimilarPetitions.BodyOf("", texts[k]), FindSimilarPetitions.Options);
            ids[start + k] = Guid.CreateVersion7();
        });
        var chunk = start / Batch;
        shingleChunk[chunk] = new uint[prints.Take(count).Sum(p => p.Shingles.Count)];
        nameChunk[chunk] = new uint[prints.Take(count).Sum(p => p.Summary.Names.Length)];
        for (int k = 0, si = 0, ni = 0; k < count; k++)
        {
            prints[k].Shingles.Hashes.CopyTo(shingleChunk[chunk].AsSpan(si));
            shingleAt[start + k] = (si, prints[k].Shingles.Count);
            si += prints[k].Shingles.Count;
            prints[k].Summary.Names.CopyTo(nameChunk[chunk].AsSpan(ni));
            nameAt[start + k] = (ni, prints[k].Summary.Names.Length);
            ni += prints[k].Summary.Names.Length;
        }
        summaryBytes += 4L * (shingleChunk[chunk].Length + nameChunk[chunk].Length) + 16L * count;
        await using var c = await source.OpenConnectionAsync();
        await using (var w = await c.BeginBinaryImportAsync("COPY bench_petitions (id, content) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < count; k++) { await w.StartRowAsync(); await w.WriteAsync(ids[start + k], NpgsqlDbType.Uuid); await w.WriteAsync(texts[k], NpgsqlDbType.Varchar); }
            await w.CompleteAsync();
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY bench_band_keys (band_key, petition_id) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < count; k++)
                foreach (var key in prints[k].Keys.Select(x => x.Value).Distinct())
                { await w.StartRowAsync(); await w.WriteAsync(key, NpgsqlDbType.Bigint); await w.WriteAsync(ids[start + k], NpgsqlDbType.Uuid); }
            await w.CompleteAsync();
        }
        await using (var w = await c.BeginBinaryImportAsync("COPY bench_shingles (petition_id, shingles) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < count; k++)
            { await w.StartRowAsync(); await w.WriteAsync(ids[start + k], NpgsqlDbType.Uuid); await w.WriteAsync(prints[k].Summary.ToBytes(), NpgsqlDbType.Bytea); }
            await w.CompleteAsync();
        }
        log($"copied {start + count:N0}");
    }
    log($"loaded in {watch.Elapsed.TotalSeconds:0}s; indexing");
    await using (var c = await source.OpenConnectionAsync())
    {
        var t = Stopwatch.StartNew();
        await Exec(c, """
            ALTER TABLE bench_band_keys ADD CONSTRAINT pk_bench_band_keys PRIMARY KEY (band_key, petition_id);
            CREATE INDEX ix_bench_band_keys_petition_id ON bench_band_keys (petition_id);
            """);
        log($"band-key indexes {t.Elapsed.TotalSeconds:0}s");
        t.Restart();
        if (withTrgm)
        {
            await Exec(c, "CREATE INDEX ix_bench_petitions_content_trgm ON bench_petitions USING gin (content gin_trgm_ops);");
            log($"GIN trigram index {t.Elapsed.TotalSeconds:0}s");
        }
        await Exec(c, "VACUUM ANALYZE bench_petitions");
        await Exec(c, "VACUUM ANALYZE bench_band_keys");
        await Exec(c, "VACUUM ANALYZE bench_shingles");
        // Steady state before timing: the load's dirty pages written out now, not by a checkpoint during the lookups.
        await Exec(c, "CHECKPOINT");
        if (prewarm)
        {
            var warm = Stopwatch.StartNew();
            await Exec(c, "CREATE EXTENSION IF NOT EXISTS pg_prewarm");
            // What the lookups read: the keys' primary key (index-only scans), the summaries and the petitions' rows with
            // their TOAST tables and indexes, and for pg_trgm its GIN index — each method gets its working set warm.
            var relations = new[] { "pk_bench_band_keys", "bench_shingles", "bench_shingles_pkey", "bench_petitions", "bench_petitions_pkey" }
                .Select(r => (Name: r, Regclass: $"'{r}'::regclass")).ToList();
            foreach (var table in new[] { "bench_shingles", "bench_petitions" })
            {
                var toast = await Scalar(c, $"SELECT reltoastrelid::bigint FROM pg_class WHERE relname = '{table}'");
                relations.Add(($"{table}'s TOAST", $"{toast}::regclass"));
                relations.Add(($"{table}'s TOAST index", $"{await Scalar(c, $"SELECT indexrelid::bigint FROM pg_index WHERE indrelid = {toast}")}::regclass"));
            }
            if (withTrgm) relations.Add(("ix_bench_petitions_content_trgm", "'ix_bench_petitions_content_trgm'::regclass"));
            foreach (var (name, regclass) in relations)
                log($"prewarmed {name}: {Mb(await Scalar(c, $"SELECT pg_relation_size({regclass})"))}, {await Scalar(c, $"SELECT pg_prewarm({regclass})")} blocks");
            log($"prewarm {warm.Elapsed.TotalSeconds:0}s; shared_buffers {await Scalar(c, "SELECT setting::bigint * 8192 / 1048576 FROM pg_settings WHERE name = 'shared_buffers'")} MB");
        }
    }
    var position = new Dictionary<Guid, int>(n);
    for (var i = 0; i < n; i++) position[ids[i]] = i;

    var random = new Random(42);
    var qs = Enumerable.Range(0, queries).Select(q =>
    {
        var target = random.Next(n);
        return (Target: target, Text: Resubmission.Make(TextAt(target), kinds[random.Next(kinds.Length)], -q - 1));
    }).ToList();

    // Brute force: exact comparison with every stored fingerprint.
    var brute = new List<double>();
    var truth = new bool[qs.Count];
    var bruteHits = 0;
    foreach (var (q, i) in qs.Select((q, i) => (q, i)).Where(_ => withBrute))
    {
        var t = Stopwatch.GetTimestamp();
        var f = DuplicateFingerprint.Of(q.Text, FindSimilarPetitions.Options);
        var found = new List<int>();
        for (var k = 0; k < n; k++)
        {
            var (ss, sc) = shingleAt[k];
            var (ns, nc) = nameAt[k];
            var names = nameChunk[k / Batch].AsSpan(ns, nc);
            var r = new Resemblance(ShingleSet.Shared(f.Shingles.Hashes, shingleChunk[k / Batch].AsSpan(ss, sc)), f.Shingles.Count, sc,
                f.Summary.Names.Length > 0 && nc > 0 && ShingleSet.Shared(f.Summary.Names, names) == 0);
            if (r.IsSameMatter(FindSimilarPetitions.Options)) found.Add(k);
        }
        brute.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        truth[i] = found.Contains(q.Target);
        if (truth[i]) bruteHits++;
        if (i >= 100 && n >= 1_000_000) break; // seconds each at 1M: a hundred are enough for the percentiles
    }
    var bruteCount = brute.Count;
    if (settle > 0)
    {
        log($"idle {settle}s before the band-key lookups");
        await Task.Delay(TimeSpan.FromSeconds(settle));
    }
    var printBytes = summaryBytes;

    // Band keys: the store's query, then the exact re-rank of the texts it returns — once per cap.
    var bandRuns = new List<(int Cap, List<double> Times, long Reranked, int Hits, int HitsOfTrgmQueries)>();
    foreach (var cap in caps)
    {
    var band = new List<double>();
    long reranked = 0;
    var bandHits = 0;
    var bandHitsOfTrgm = 0; // on the queries pg_trgm also runs (the first --trgm-queries), for recall on equal terms
    var (stageKeys, stageSets, stageRows) = (new List<double>(), new List<double>(), new List<double>());
    var gen2Before = GC.CollectionCount(2);
    await using (var c = await source.OpenConnectionAsync())
    {
        await using var keysCmd = new NpgsqlCommand($"""
            SELECT petition_id FROM bench_band_keys WHERE band_key = ANY(@keys)
            GROUP BY petition_id ORDER BY count(*) DESC LIMIT {cap}
            """, c);
        var keysParam = keysCmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        // As FindSimilarPetitions: the candidates' stored shingle sets, the exact re-rank, then the rows of the survivors only.
        await using var setsCmd = new NpgsqlCommand("SELECT petition_id, shingles FROM bench_shingles WHERE petition_id = ANY(@ids)", c);
        var idsParam = setsCmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        await using var rowsCmd = new NpgsqlCommand("SELECT id, left(content, 40) FROM bench_petitions WHERE id = ANY(@ids)", c);
        var survivorsParam = rowsCmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        await keysCmd.PrepareAsync(); await setsCmd.PrepareAsync(); await rowsCmd.PrepareAsync();
        // Twenty warm-up queries (plans, caches), then the measured ones; per stage too (stderr), and the collections.
        foreach (var (q, i) in qs.Take(20).Concat(qs).Select((q, i) => (q, i - 20)))
        {
            var t = Stopwatch.GetTimestamp();
            var f = DuplicateFingerprint.Of(q.Text, FindSimilarPetitions.Options);
            keysParam.Value = f.Keys.Select(k => k.Value).Distinct().ToArray();
            var candidates = new List<Guid>();
            await using (var r = await keysCmd.ExecuteReaderAsync()) while (await r.ReadAsync()) candidates.Add(r.GetGuid(0));
            var afterKeys = Stopwatch.GetTimestamp();
            long afterSets = afterKeys;
            var same = new List<Guid>();
            var shown = new List<(Guid Id, bool Same, double Score)>();
            if (candidates.Count > 0)
            {
                idsParam.Value = candidates.ToArray();
                await using (var r = await setsCmd.ExecuteReaderAsync())
                    while (await r.ReadAsync())
                    {
                        var resemblance = f.Compare(DuplicateSummary.FromBytes((byte[])r.GetValue(1)));
                        if (resemblance.IsSameMatter(FindSimilarPetitions.Options)) same.Add(r.GetGuid(0));
                        if (resemblance.IsSameMatter(FindSimilarPetitions.Options) || resemblance.Score >= FindSimilarPetitions.ShownScore)
                            shown.Add((r.GetGuid(0), resemblance.IsSameMatter(FindSimilarPetitions.Options), resemblance.Score));
                    }
                afterSets = Stopwatch.GetTimestamp();
                if (shown.Count > 0)
                {
                    // The first batch of the best (FindSimilarPetitions reads MaxShown + 10 rows a batch).
                    survivorsParam.Value = shown.OrderByDescending(x => x.Same).ThenByDescending(x => x.Score)
                        .Take(FindSimilarPetitions.MaxShown + 10).Select(x => x.Id).ToArray();
                    await using var r = await rowsCmd.ExecuteReaderAsync();
                    while (await r.ReadAsync()) { }
                }
            }
            if (i < 0) continue;
            band.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            stageKeys.Add(Stopwatch.GetElapsedTime(t, afterKeys).TotalMilliseconds);
            stageSets.Add(Stopwatch.GetElapsedTime(afterKeys, afterSets).TotalMilliseconds);
            stageRows.Add(Stopwatch.GetElapsedTime(afterSets).TotalMilliseconds);
            reranked += candidates.Count;
            if (same.Any(g => position[g] == q.Target)) { bandHits++; if (i < trgmQueries) bandHitsOfTrgm++; }
        }
    }
    Console.Error.WriteLine($"cap {cap}: p50/p99 ms — fingerprint + keys query {P(stageKeys, 0.5)}/{P(stageKeys, 0.99)}, summaries + re-rank {P(stageSets, 0.5)}/{P(stageSets, 0.99)}, survivors' rows {P(stageRows, 0.5)}/{P(stageRows, 0.99)}; gen-2 collections {GC.CollectionCount(2) - gen2Before}");
    bandRuns.Add((cap, band, reranked, bandHits, bandHitsOfTrgm));
    }

    // pg_trgm: the trigram similarity operator on the GIN index, best ten.
    var trgm = new List<double>();
    var trgmHits = 0;
    await using (var c = await source.OpenConnectionAsync())
    {
        await Exec(c, "SET pg_trgm.similarity_threshold = 0.3;");
        await using var cmd = new NpgsqlCommand("SELECT id FROM bench_petitions WHERE content % @q ORDER BY similarity(content, @q) DESC LIMIT 10", c);
        var qParam = cmd.Parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Text));
        await cmd.PrepareAsync();
        foreach (var (q, i) in qs.Take(5).Concat(qs.Take(trgmQueries)).Where(_ => withTrgm).Select((q, i) => (q, i - 5)))
        {
            var t = Stopwatch.GetTimestamp();
            qParam.Value = q.Text;
            var found = new List<Guid>();
            await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) found.Add(r.GetGuid(0));
            if (i < 0) continue;
            trgm.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (found.Any(g => position[g] == q.Target)) trgmHits++;
        }
    }
    long bandBytes, setBytes, ginBytes;
    await using (var c = await source.OpenConnectionAsync())
    {
        bandBytes = await Scalar(c, "SELECT pg_total_relation_size('bench_band_keys')");
        setBytes = await Scalar(c, "SELECT pg_total_relation_size('bench_shingles')");
        ginBytes = withTrgm ? await Scalar(c, "SELECT pg_relation_size('ix_bench_petitions_content_trgm')") : 0;
    }
    var process = Process.GetCurrentProcess();
    foreach (var (cap, band, reranked, bandHits, bandHitsOfTrgm) in bandRuns)
        Console.WriteLine($"| {n:N0} | band keys (B-tree) + exact re-rank of at most {cap} | {P(band, 0.5)} | {P(band, 0.99)} | {(double)bandHits / band.Count:0.000}{(withTrgm ? $"; {(double)bandHitsOfTrgm / Math.Min(trgmQueries, band.Count):0.000} on pg_trgm's {Math.Min(trgmQueries, band.Count)}" : "")} | {(double)reranked / band.Count:0.0} | {Mb(bandBytes)} keys + {Mb(setBytes)} shingle sets | in PostgreSQL |");
    if (withTrgm) Console.WriteLine($"| {n:N0} | pg_trgm `%` (GIN, threshold 0.3), top 10 | {P(trgm, 0.5)} | {P(trgm, 0.99)} | {(double)trgmHits / trgm.Count:0.000} ({trgm.Count} queries) | — | {Mb(ginBytes)} GIN index | in PostgreSQL |");
    if (withBrute) Console.WriteLine($"| {n:N0} | brute force, exact over all (in memory) | {P(brute, 0.5)} | {P(brute, 0.99)} | {(double)bruteHits / bruteCount:0.000} ({bruteCount} queries) | {n:N0} | — | {Mb(printBytes)} summaries, packed (process peak {Mb(process.PeakWorkingSet64)}) |");
    GC.KeepAlive(shingleChunk);
}

static string P(List<double> times, double p)
{
    var sorted = times.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))].ToString("0.00");
}

static string Mb(long bytes) => $"{bytes / 1024.0 / 1024:0} MB";

static async Task Exec(NpgsqlConnection c, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
    await cmd.ExecuteNonQueryAsync();
}

static async Task<long> Scalar(NpgsqlConnection c, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, c);
    return Convert.ToInt64(await cmd.ExecuteScalarAsync());
}
