// Text engine speed: classification time per petition, and near-duplicate lookup latency, index size and memory
// at N indexed texts made in memory from the corpus (resubmission variants of its messages, never written anywhere).
//
//   dotnet run -c Release --project bench/Xinfang.TextBench -- --data ../shared/data/complaints --sizes 100000,1000000
//
// Each measurement is one method below; a database-backed index (pg_trgm, band-key table) is meant to be added as
// another implementation of the lookup step so both are measured on the same texts and queries.
using System.Diagnostics;
using Xinfang.Text;
using Xinfang.Text.Classification;
using Xinfang.Text.Duplicates;
using Xinfang.Text.Evaluation;

var folder = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? "../shared/data/complaints";
var sizes = (args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault() ?? "100000,1000000").Split(',').Select(int.Parse).ToArray();
var queries = int.Parse(args.SkipWhile(a => a != "--queries").Skip(1).FirstOrDefault() ?? "2000");
var data = EvaluationData.Read(name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
if (data.Messages.Count == 0) { Console.Error.WriteLine($"No messages.csv under {Path.GetFullPath(folder)}"); return 2; }

Console.WriteLine($"## Text engine speed ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
Console.WriteLine();
Classification(data);
Console.WriteLine("| indexed texts | build (s) | lookup p50 (ms) | lookup p99 (ms) | candidates per lookup (mean) | distinct band keys | index bytes (approx.) | managed heap after build (MB) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var n in sizes) Lookup(data.Messages, n, queries);
return 0;

static void Classification(EvaluationData data)
{
    if (data.Labelled.Count == 0) return;
    var examples = data.Labelled.Select(l => new LabelledText(l.Text.Title, l.Text.Detail, l.Label)).ToList();
    var watch = Stopwatch.StartNew();
    var model = CategoryClassifier.Train(examples);
    var train = watch.Elapsed;
    foreach (var e in examples.Take(50)) model.Top(e.Title, e.Detail); // warm-up
    var times = new List<double>();
    for (var round = 0; round < 5; round++)
        foreach (var e in examples)
        {
            var t = Stopwatch.GetTimestamp();
            model.Top(e.Title, e.Detail);
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    times.Sort();
    using var saved = new MemoryStream();
    model.Save(saved);
    Console.WriteLine($"| classification | value |\n|---|---|\n| training on {examples.Count} examples | {train.TotalSeconds:0.00} s |" +
        $"\n| per petition p50 / p99 | {times[times.Count / 2]:0.000} / {times[(int)(times.Count * 0.99)]:0.000} ms |\n| model size | {saved.Length / 1024.0 / 1024:0.0} MB, {model.FeatureCount:N0} features |\n");
}

static void Lookup(IReadOnlyList<PetitionText> messages, int n, int queries)
{
    var kinds = Enum.GetValues<ResubmissionKind>();
    // Text i beyond the corpus: the first half of one message joined to the second half of another (both chosen by i),
    // then changed as one resubmission kind. Distinct texts with the corpus's lengths and vocabulary, each sharing about
    // half its text with a few hundred others at 1M — harder for the index than real traffic, where most texts are unique.
    string TextAt(int i)
    {
        if (i < messages.Count) return messages[i].Body;
        var mix = (ulong)i * 0x9E3779B97F4A7C15UL;
        var a = messages[(int)(mix % (ulong)messages.Count)].Body;
        var b = messages[(int)((mix >> 32) % (ulong)messages.Count)].Body;
        return Resubmission.Make(a[..(a.Length / 2)] + b[(b.Length / 2)..], kinds[i % kinds.Length], i);
    }
    GC.Collect();
    var before = GC.GetTotalMemory(true);
    var index = new NearDuplicateIndex();
    var watch = Stopwatch.StartNew();
    const int Batch = 4096;
    var fingerprints = new DuplicateFingerprint[Batch];
    for (var start = 0; start < n; start += Batch)
    {
        var count = Math.Min(Batch, n - start);
        // Fingerprints on every core, then added in order by one writer — as registrations would be.
        Parallel.For(0, count, k => fingerprints[k] = DuplicateFingerprint.Of(TextAt(start + k)));
        for (var k = 0; k < count; k++) index.Add(start + k, fingerprints[k]);
    }
    var build = watch.Elapsed;
    var heap = (GC.GetTotalMemory(true) - before) / 1024.0 / 1024;
    var random = new Random(42);
    var times = new List<double>(queries);
    long candidates = 0;
    for (var q = 0; q < queries; q++)
    {
        // A new resubmission of a random message: the lookup registration does (fingerprint + candidates + re-rank).
        var text = Resubmission.Make(messages[random.Next(messages.Count)].Body, kinds[random.Next(kinds.Length)], -q - 1);
        var t = Stopwatch.GetTimestamp();
        var fingerprint = DuplicateFingerprint.Of(text);
        index.Find(fingerprint);
        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        candidates += index.Candidates(fingerprint).Count;
    }
    times.Sort();
    Console.WriteLine($"| {n:N0} | {build.TotalSeconds:0.0} | {times[times.Count / 2]:0.000} | {times[(int)(times.Count * 0.99)]:0.000} | {(double)candidates / queries:0.0} | {index.DistinctKeys:N0} | {index.ApproximateBytes / 1024.0 / 1024:0} MB | {heap:0} |");
    GC.KeepAlive(index);
}
