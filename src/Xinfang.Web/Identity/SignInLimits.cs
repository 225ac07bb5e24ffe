using System.Threading.RateLimiting;
using Xinfang.Web.Api;

namespace Xinfang.Web.Identity;

/// <summary>
/// Sign-in attempts per client address and per user name (issue #8; GB/T 22239-2019 8.1.4.1: limit illegal
/// sign-in attempts), counted in this node's memory over a one-minute window, for the API's login and the
/// workbench's two sign-in steps alike. The lockout stops guessing one account's password; these limits also
/// stop spraying many accounts from one address and hammering one account from many. The address is the one
/// ForwardedHeaders left on the connection, i.e. the client's when Network:TrustedProxies names the proxy.
/// Auth:SignInPerAddressPerMinute (default 20: an office behind one NAT address) and Auth:SignInPerUserPerMinute
/// (default 10) are read when the limiter is first used.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter;

    public SignInLimits(IConfiguration config)
    {
        var perAddress = Math.Max(1, config.GetValue("Auth:SignInPerAddressPerMinute", 20));
        var perUser = Math.Max(1, config.GetValue("Auth:SignInPerUserPerMinute", 10));
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.StartsWith("address:", StringComparison.Ordinal) ? perAddress : perUser,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    public static void AddSignInLimits(IServiceCollection services) => services.AddSingleton<SignInLimits>();

    /// <summary>Takes one attempt for the client's address and one for the user name; false when either is used up.</summary>
    public bool Allow(HttpContext http, string? userName)
    {
        using var address = _limiter.AttemptAcquire("address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local"));
        if (!address.IsAcquired) return false;
        if (string.IsNullOrWhiteSpace(userName)) return true;
        using var user = _limiter.AttemptAcquire("user:" + userName.Trim().ToUpperInvariant());
        return user.IsAcquired;
    }

    /// <summary>The API's answer: 429 with Retry-After.</summary>
    public static IResult Problem(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "60";
        return Problems.Make(StatusCodes.Status429TooManyRequests, "too-many-requests", "登录尝试过于频繁，请1分钟后再试");
    }

    public void Dispose() => _limiter.Dispose();
}
