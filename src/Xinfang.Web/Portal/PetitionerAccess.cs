using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Portal;

/// <summary>
/// The petitioner's key to a matter: its number and query code. A wrong code and an unknown number both
/// answer "not found"; repeated wrong codes for one number lock that number for a while. Failures are counted
/// in the store with one atomic statement, so parallel guesses cannot slip past the limit and every web node
/// throttles alike.
/// </summary>
public sealed class PetitionerAccess(XinfangDb db, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<(Petition? Petition, PortalError? Error)> OpenAsync(string? number, string? queryCode, CancellationToken ct, bool track = true)
    {
        number = number?.Trim().ToUpperInvariant() ?? "";
        if (number.Length is 0 or > 40 || string.IsNullOrWhiteSpace(queryCode) || queryCode.Length > 40) return (null, PortalError.NotFound);
        var now = time.GetUtcNow();
        var attempt = await db.QueryAttempts.AsNoTracking().FirstOrDefaultAsync(a => a.Number == number, ct);
        if (attempt?.LockedUntil is { } until && until > now) return (null, PortalError.Locked(until));

        var petition = await (track ? db.Petitions : db.Petitions.AsNoTracking()).FirstOrDefaultAsync(p => p.Number == number, ct);
        // Compare against a hash even for unknown numbers, so timing does not tell which numbers exist.
        var ok = QueryCodes.Matches(number, queryCode, petition?.QueryCodeHash ?? new string('0', 64)) && petition is not null;
        if (ok)
        {
            if (attempt is not null) await db.QueryAttempts.Where(a => a.Number == number && (a.LockedUntil == null || a.LockedUntil <= now)).ExecuteDeleteAsync(ct);
            return (petition, null);
        }
        var o = options.Value;
        var failures = await CountFailureAsync(number, now, now.AddMinutes(-o.LockMinutes), ct);
        if (failures < o.WrongCodesBeforeLock) return (null, PortalError.NotFound);
        var lockedUntil = now.AddMinutes(o.LockMinutes);
        await db.QueryAttempts.Where(a => a.Number == number && a.LockedUntil == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LockedUntil, lockedUntil), ct);
        return (null, PortalError.Locked(lockedUntil));
    }

    /// <summary>Adds one failure (starting a new window when the last one is older than the lock period) and returns the count.</summary>
    async Task<int> CountFailureAsync(string number, DateTimeOffset now, DateTimeOffset windowStart, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                INSERT INTO query_attempts (number, failures, window_started_at, locked_until) VALUES (@number, 1, @now, NULL)
                ON CONFLICT (number) DO UPDATE SET
                    failures = CASE WHEN query_attempts.window_started_at < @window_start THEN 1 ELSE query_attempts.failures + 1 END,
                    locked_until = CASE WHEN query_attempts.window_started_at < @window_start THEN NULL ELSE query_attempts.locked_until END,
                    window_started_at = CASE WHEN query_attempts.window_started_at < @window_start THEN @now ELSE query_attempts.window_started_at END
                RETURNING failures
                """;
            // Instants are stored as UTC ticks on SQLite and as timestamptz on PostgreSQL (see XinfangDb).
            cmd.AddParameter("@number", number);
            cmd.AddParameter("@now", db.IsSqlite ? now.UtcTicks : now.ToUniversalTime());
            cmd.AddParameter("@window_start", db.IsSqlite ? windowStart.UtcTicks : windowStart.ToUniversalTime());
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

}
