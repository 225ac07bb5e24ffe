using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Testing;

namespace Xinfang.Web.Petitions;

/// <summary>
/// Every few seconds (and at once when the controllable clock is set): turns yellow and red warnings and closes
/// matters whose review window lapsed. It reads only petitions whose next_sweep_at has come (an index range),
/// and each change is a guarded update on the petition's version, so two hosts on one database never act twice.
/// </summary>
public sealed class DeadlineSweep(IServiceScopeFactory scopes, ControllableClock clock, IConfiguration config, ILogger<DeadlineSweep> log, Operations.XinfangMetrics? metrics = null) : BackgroundService
{
    public const string AutoCloseNote = "申请复查（复核）期限届满，未提出申请，自动办结";
    const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!config.GetValue("Sweep:Enabled", true)) return;
        var interval = TimeSpan.FromSeconds(config.GetValue("Sweep:IntervalSeconds", 5.0));
        await ClockDrivenLoop.RunAsync(clock, interval, async ct => { using (metrics?.SweepPass()) await SweepAsync(scopes, ct); }, log, "Deadline sweep", stop);
    }

    /// <summary>One pass over what is due now. Returns how many matters it closed.</summary>
    public static async Task<int> SweepAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var workflow = scope.ServiceProvider.GetRequiredService<PetitionWorkflow>();
        var closed = 0;
        var seen = new HashSet<Guid>();
        for (var round = 0; round < 1000; round++)
        {
            var context = workflow.Context();
            var now = context.Now;
            var due = await db.Petitions.AsNoTracking().Where(p => p.NextSweepAt != null && p.NextSweepAt <= now)
                .OrderBy(p => p.NextSweepAt).Select(p => p.Id).Take(Batch).ToListAsync(ct);
            due.RemoveAll(id => !seen.Add(id));
            if (due.Count == 0) break;
            foreach (var id in due)
            {
                db.ChangeTracker.Clear();
                var p = await db.Petitions.FirstOrDefaultAsync(x => x.Id == id, ct);
                // Another host may have dealt with it since we listed it.
                if (p is null || p.NextSweepAt is null || p.NextSweepAt > now) continue;
                var closing = p.WindowLapsed(context.Today);
                if (closing)
                {
                    var outcome = p.Apply(new Close(AutoCloseNote), Actor.System, context);
                    if (outcome.Event is { } e) db.PetitionEvents.Add(e);
                }
                else p.Refresh(context);
                try
                {
                    await Audit.AuditTrail.For(db).SaveAsync(ct); // an automatic close is audited (actor: system)
                    if (closing) closed++;
                }
                catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || PetitionWorkflow.IsUniqueViolation(ex))
                {
                    // Another host (or a user) changed it first; it will be looked at again if still due.
                }
            }
        }
        db.ChangeTracker.Clear();
        var expired = workflow.Context().Now;
        await db.IdempotencyRecords.Where(r => r.ExpiresAt < expired).ExecuteDeleteAsync(ct);
        await db.UsedChallenges.Where(c => c.ExpiresAt < expired).ExecuteDeleteAsync(ct);
        var stale = expired.AddDays(-1);
        await db.QueryAttempts.Where(a => a.WindowStartedAt < stale && (a.LockedUntil == null || a.LockedUntil < expired)).ExecuteDeleteAsync(ct);
        return closed;
    }
}
