using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Xinfang.Web.Operations;

/// <summary>
/// The application's instruments, on the System.Diagnostics.Metrics meter "Xinfang" (created through the host's
/// IMeterFactory, so each host — and each test server — has its own). Exposed at /metrics
/// (<see cref="PrometheusExposition"/>); any other MeterListener (dotnet-counters, an OpenTelemetry agent) sees
/// them by the meter's name.
/// </summary>
public sealed class XinfangMetrics
{
    public const string MeterName = "Xinfang";

    readonly Counter<long> _registered;
    readonly Counter<long> _steps;
    readonly Counter<long> _signInFailures;
    readonly Counter<long> _problems;
    readonly Histogram<double> _sweep;

    public XinfangMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _registered = Meter.CreateCounter<long>("xinfang.petitions.registered", "{petition}", "信访事项登记数 (petitions registered), by channel");
        _steps = Meter.CreateCounter<long>("xinfang.workflow.steps", "{step}", "保存的办理步骤 (workflow steps saved), by action");
        _signInFailures = Meter.CreateCounter<long>("xinfang.signin.failures", "{attempt}", "登录失败 (refused sign-ins), by surface");
        _problems = Meter.CreateCounter<long>("xinfang.http.problems", "{response}", "问题响应 (problem responses), by HTTP status");
        _sweep = Meter.CreateHistogram<double>("xinfang.sweep.duration", "s", "期限巡检一轮的耗时 (deadline sweep pass duration)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public Meter Meter { get; }

    public void Registered(object channel) => _registered.Add(1, new KeyValuePair<string, object?>("channel", Lower(channel)));

    public void Step(object action) => _steps.Add(1, new KeyValuePair<string, object?>("action", Lower(action)));

    /// <summary>Times one sweep pass: <c>using (metrics?.SweepPass()) await …;</c></summary>
    public IDisposable SweepPass() => new Timer(_sweep);

    sealed class Timer(Histogram<double> histogram) : IDisposable
    {
        readonly long _started = Stopwatch.GetTimestamp();
        public void Dispose() => histogram.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
    }

    static string Lower(object value)
    {
        var s = value.ToString() ?? "";
        return s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];
    }

    /// <summary>
    /// Middleware: problem responses by status, and refused sign-ins (401 from the API's login or the workbench's
    /// login form) — counted here, at the edge, so the capabilities need no call of their own.
    /// </summary>
    public async Task CountResponsesAsync(HttpContext http, Func<Task> next)
    {
        try
        {
            await next();
        }
        finally
        {
            var status = http.Response.StatusCode;
            if (status >= 400)
            {
                if (http.Response.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true || status >= 500)
                    _problems.Add(1, new KeyValuePair<string, object?>("status", status));
                if (status == StatusCodes.Status401Unauthorized && HttpMethods.IsPost(http.Request.Method))
                {
                    if (http.Request.Path.Equals("/api/v1/auth/login", StringComparison.OrdinalIgnoreCase))
                        _signInFailures.Add(1, new KeyValuePair<string, object?>("surface", "api"));
                    else if (http.Request.Path.Equals("/staff/login", StringComparison.OrdinalIgnoreCase))
                        _signInFailures.Add(1, new KeyValuePair<string, object?>("surface", "workbench"));
                }
            }
        }
    }
}
