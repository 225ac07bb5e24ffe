using Xinfang.Text.Clusters;
using Xinfang.Text.Evaluation;

var folder = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? "../shared/data/complaints";
var data = EvaluationData.Read(name => File.Exists(Path.Combine(folder, name)) ? File.OpenRead(Path.Combine(folder, name)) : null);
double D(string n, double f) => args.SkipWhile(a => a != n).Skip(1).Select(double.Parse).DefaultIfEmpty(f).First();
var o = new ClusterOptions((int)D("--k", 15), D("--sim", 0.35), D("--maxdf", 0.05), (int)D("--nw", 3));
var sw = System.Diagnostics.Stopwatch.StartNew();
var r = ClusterEvaluation.Run(data.Messages, data.SilverIssueOf, data.ExampleIssueOf, o);
Console.WriteLine($"{sw.ElapsedMilliseconds}ms clusters={r.Clusters} nonsingle={r.NonSingletonClusters} largest={r.LargestCluster}");
Console.WriteLine($" silver {r.Silver}");
Console.WriteLine($" example {r.Example}");
if (args.Contains("--show")) foreach (var c in r.Result.Take(15)) Console.WriteLine($"  #{c.Number} {c.Members.Count} {string.Join(" ", c.TopTerms)}");
