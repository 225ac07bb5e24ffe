using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;
using Xinfang.Web.Testing;

namespace Xinfang.Web.Warnings;

/// <summary>
/// Tells the unit holding a matter when one of its clocks turns yellow (临期预警, <see cref="NotificationKinds.ClockWarning"/>)
/// and when it turns red (逾期, <see cref="NotificationKinds.Overdue"/>) — once per clock, due date and colour. The
/// colours themselves are turned by <see cref="DeadlineSweep"/>; this pass reads the stored ones, so the notices say
/// what the petition resource says. It wakes with the controllable clock like the deadline sweep, and reads only
/// matters that carry a warning (the petitions' warning index), not every open one.
/// Idempotent: each notice is saved with its <see cref="WarningNotice"/> key in one transaction; a key another node
/// saved first makes ours fail as a unique violation, and nothing of ours is kept.
/// </summary>
public sealed class WarningSweep(IServiceScopeFactory scopes, ControllableClock clock, IConfiguration config, ILogger<WarningSweep> log) : BackgroundService
{
    const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!config.GetValue("Sweep:Enabled", true) || !config.GetValue("Warnings:Notify", true)) return;
        var interval = TimeSpan.FromSeconds(config.GetValue("Warnings:IntervalSeconds", config.GetValue("Sweep:IntervalSeconds", 5.0)));
        await ClockDrivenLoop.RunAsync(clock, interval, ct => SweepAsync(scopes, ct), log, "Warning sweep", stop);
    }

    /// <summary>One pass: a notice for every warned clock not told yet. Returns how many notices it sent.</summary>
    public static async Task<int> SweepAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var notifier = scope.ServiceProvider.GetRequiredService<Notifier>();
        var sent = 0;
        string? after = null;
        while (true)
        {
            db.ChangeTracker.Clear();
            var query = db.Petitions.AsNoTracking().Where(p => p.Warning == Warning.Yellow || p.Warning == Warning.Red);
            if (after is { } a) query = query.Where(p => string.Compare(p.Number, a) > 0);
            var batch = await query.OrderBy(p => p.Number)
                .Select(p => new { p.Id, p.Number, p.HoldingUnitId, p.Clocks }).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Number;
            var ids = batch.Select(p => p.Id).ToList();
            var told = (await db.Set<WarningNotice>().AsNoTracking().Where(n => ids.Contains(n.PetitionId))
                    .Select(n => new { n.PetitionId, n.Clock, n.DueOn, n.Colour }).ToListAsync(ct))
                .Select(n => (n.PetitionId, n.Clock, n.DueOn, n.Colour)).ToHashSet();
            foreach (var p in batch)
            {
                var due = p.Clocks.Where(c => c.Warning != Warning.None && c.State == ClockState.Running
                    && !told.Contains((p.Id, c.Name, c.DueOn, c.Warning))).ToList();
                if (due.Count == 0) continue;
                db.ChangeTracker.Clear();
                foreach (var c in due)
                {
                    var notice = NoticeOf(p.Id, p.Number, p.HoldingUnitId, c);
                    await notifier.SendAsync(notice, ct);
                    db.Set<WarningNotice>().Add(new WarningNotice
                    {
                        PetitionId = p.Id, Clock = c.Name, DueOn = c.DueOn, Colour = c.Warning, NotificationId = notice.Id, SentAt = notice.CreatedAt,
                    });
                }
                try
                {
                    await db.SaveChangesAsync(ct);
                    sent += due.Count;
                }
                catch (DbUpdateException ex) when (PetitionWorkflow.IsUniqueViolation(ex))
                {
                    // Another node told the unit first (SaveChanges is one transaction: none of ours was kept).
                }
            }
        }
        return sent;
    }

    /// <summary>The notice for one warned clock: the matter's number only, never its content or its petitioners.</summary>
    static Notification NoticeOf(Guid petitionId, string number, Guid holdingUnitId, Clock c) => new()
    {
        RecipientUnitId = holdingUnitId,
        Kind = c.Warning == Warning.Red ? NotificationKinds.Overdue : NotificationKinds.ClockWarning,
        Title = c.Warning == Warning.Red
            ? $"{number} {Names.Of(c.Name)}已逾期（{c.DueOn:yyyy-MM-dd}到期）"
            : $"{number} {Names.Of(c.Name)}即将到期（{c.DueOn:yyyy-MM-dd}）",
        Body = c.Warning == Warning.Red
            ? "该事项已超过办理期限，请尽快办理并说明情况。"
            : "该事项临近办理期限，请抓紧办理。",
        PetitionId = petitionId,
        Link = $"/staff/petitions/{petitionId}",
    };
}
