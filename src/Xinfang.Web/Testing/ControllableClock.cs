namespace Xinfang.Web.Testing;

/// <summary>
/// The server's notion of now. Normally the system clock; with Testing:ControllableClock=true it stands at
/// the instant set through PUT /api/v1/testing/clock (like Stripe's test clocks) until set again.
/// </summary>
public sealed class ControllableClock(bool controllable) : TimeProvider
{
    DateTimeOffset? _now;
    public bool IsControllable { get; } = controllable;

    /// <summary>Raised when the clock is set, so background sweeps run at once rather than at their next tick.</summary>
    public event Action? Changed;

    public override DateTimeOffset GetUtcNow() => _now ?? System.GetUtcNow();

    public void Set(DateTimeOffset now)
    {
        if (!IsControllable) throw new InvalidOperationException("The clock is not controllable.");
        _now = now.ToUniversalTime();
        Changed?.Invoke();
    }
}
