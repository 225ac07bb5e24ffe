using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Portal;

/// <summary>
/// The petitioner's key to a matter: its number and query code. A wrong code and an unknown number both
/// answer "not found"; repeated wrong codes for one number lock that number for a while (counted in the store).
/// </summary>
public sealed class PetitionerAccess(XinfangDb db, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<(Petition? Petition, PortalError? Error)> OpenAsync(string? number, string? queryCode, CancellationToken ct, bool track = true)
    {
        number = number?.Trim().ToUpperInvariant() ?? "";
        if (number.Length is 0 or > 40 || string.IsNullOrWhiteSpace(queryCode) || queryCode.Length > 40) return (null, PortalError.NotFound);
        var now = time.GetUtcNow();
        var attempt = await db.QueryAttempts.FirstOrDefaultAsync(a => a.Number == number, ct);
        if (attempt?.LockedUntil is { } until && until > now) return (null, PortalError.Locked(until));

        var petition = await (track ? db.Petitions : db.Petitions.AsNoTracking()).FirstOrDefaultAsync(p => p.Number == number, ct);
        // Compare against a hash even for unknown numbers, so timing does not tell which numbers exist.
        var ok = QueryCodes.Matches(number, queryCode, petition?.QueryCodeHash ?? new string('0', 64)) && petition is not null;
        if (ok)
        {
            if (attempt is { Failures: > 0 }) { db.QueryAttempts.Remove(attempt); await db.SaveChangesAsync(ct); }
            return (petition, null);
        }
        var o = options.Value;
        if (attempt is null)
        {
            attempt = new QueryAttempt { Number = number, WindowStartedAt = now };
            db.QueryAttempts.Add(attempt);
        }
        else if (now - attempt.WindowStartedAt > TimeSpan.FromMinutes(o.LockMinutes))
        {
            attempt.WindowStartedAt = now;
            attempt.Failures = 0;
            attempt.LockedUntil = null;
        }
        attempt.Failures++;
        if (attempt.Failures >= o.WrongCodesBeforeLock) attempt.LockedUntil = now.AddMinutes(o.LockMinutes);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // a concurrent attempt counted first; the count is a throttle, not a ledger
        }
        return (null, attempt.LockedUntil is { } locked && locked > now ? PortalError.Locked(locked) : PortalError.NotFound);
    }
}
