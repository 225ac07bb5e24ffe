namespace Xinfang.Web.Testing;

/// <summary>
/// The loop every background sweep runs (deadlines, warnings, supervision): one pass, then a wait of the interval or
/// until the controllable clock is set, whichever comes first; a failed pass is logged and retried at the next tick.
/// </summary>
public static class ClockDrivenLoop
{
    public static async Task RunAsync(ControllableClock clock, TimeSpan interval, Func<CancellationToken, Task> pass, ILogger log, string name, CancellationToken stop)
    {
        using var signal = new SemaphoreSlim(0);
        void Wake() { try { signal.Release(); } catch (ObjectDisposedException) { } }
        clock.Changed += Wake;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await pass(stop);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    log.LogError(e, "{Sweep} failed; retrying at the next tick.", name);
                }
                try { await signal.WaitAsync(interval, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
        finally
        {
            clock.Changed -= Wake;
        }
    }
}
