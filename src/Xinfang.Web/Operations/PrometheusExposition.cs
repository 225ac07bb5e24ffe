using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Xinfang.Web.Operations;

/// <summary>
/// Aggregates this host's measurements with a MeterListener and writes them in the Prometheus text exposition
/// format (version 0.0.4): counters as <c>_total</c>, histograms as cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>,
/// up-down counters and gauges as gauges. Listens to the meters of this host's IMeterFactory named "Xinfang" and
/// "Microsoft.AspNetCore.Hosting" (request durations). The OpenTelemetry exporter is not in the package mirror;
/// this is the small part of it a scrape needs.
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    static readonly string[] Meters = [XinfangMetrics.MeterName, "Microsoft.AspNetCore.Hosting"];
    static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    readonly MeterListener _listener = new();
    readonly object _gate = new();
    readonly Dictionary<Instrument, Family> _families = new();

    sealed class Family(Instrument instrument, double[] buckets)
    {
        public Instrument Instrument { get; } = instrument;
        public double[] Buckets { get; } = buckets;
        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);
    }

    sealed class Series(string labels, int buckets)
    {
        public string Labels { get; } = labels;
        public double Value;            // counter sum, gauge last value, histogram sum
        public long Count;              // histogram count
        public long[] BucketCounts { get; } = new long[buckets + 1];
    }

    public PrometheusExposition(IMeterFactory factory, XinfangMetrics metrics)
    {
        _ = metrics; // the meter "Xinfang" exists before the listener starts
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meters: another host in the same process (tests) has its own factory.
            if (!ReferenceEquals(instrument.Meter.Scope, factory) || !Meters.Contains(instrument.Meter.Name)) return;
            var buckets = instrument is Histogram<double> h && h.Advice?.HistogramBucketBoundaries is { } advised ? advised.ToArray() : DefaultBuckets;
            lock (_gate) _families[instrument] = new Family(instrument, buckets);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_gate)
        {
            if (!_families.TryGetValue(instrument, out var family)) return;
            if (!family.Series.TryGetValue(labels, out var series)) family.Series[labels] = series = new Series(labels, family.Buckets.Length);
            switch (Kind(instrument))
            {
                case "histogram":
                    series.Value += value;
                    series.Count++;
                    var i = 0;
                    while (i < family.Buckets.Length && value > family.Buckets[i]) i++;
                    series.BucketCounts[i]++;
                    break;
                case "counter":
                    series.Value += value;
                    break;
                default:
                    if (instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>) series.Value += value;
                    else series.Value = value;
                    break;
            }
        }
    }

    static string Kind(Instrument i) => i switch
    {
        Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
        Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
        _ => "gauge",
    };

    /// <summary>The whole exposition, families and series in a stable order.</summary>
    public string Write()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var family in _families.Values.OrderBy(f => f.Instrument.Meter.Name, StringComparer.Ordinal).ThenBy(f => f.Instrument.Name, StringComparer.Ordinal))
            {
                var kind = Kind(family.Instrument);
                var name = MetricName(family.Instrument);
                var exposed = kind == "counter" ? name + "_total" : name;
                text.Append("# HELP ").Append(exposed).Append(' ').Append(EscapeHelp(family.Instrument.Description ?? family.Instrument.Name)).Append('\n');
                text.Append("# TYPE ").Append(exposed).Append(' ').Append(kind).Append('\n');
                foreach (var s in family.Series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
                {
                    if (kind != "histogram")
                    {
                        text.Append(exposed).Append(Braces(s.Labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (var b = 0; b <= family.Buckets.Length; b++)
                    {
                        cumulative += s.BucketCounts[b];
                        var le = b < family.Buckets.Length ? Number(family.Buckets[b]) : "+Inf";
                        text.Append(name).Append("_bucket").Append(Braces(Join(s.Labels, $"le=\"{le}\""))).Append(' ').Append(cumulative).Append('\n');
                    }
                    text.Append(name).Append("_sum").Append(Braces(s.Labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(s.Labels)).Append(' ').Append(s.Count).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    /// <summary>xinfang.sweep.duration with unit s → xinfang_sweep_duration_seconds.</summary>
    static string MetricName(Instrument i)
    {
        var name = new string(i.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return i.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal) ? name + "_seconds" : name;
    }

    static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var k = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
            pairs.Add($"{k}=\"{EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;
    static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    static string EscapeLabel(string v) => v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
    static string EscapeHelp(string v) => v.Replace("\\", "\\\\").Replace("\n", "\\n");

    static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();
}
