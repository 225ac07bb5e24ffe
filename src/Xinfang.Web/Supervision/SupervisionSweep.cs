using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Notifications;
using Xinfang.Web.Petitions;
using Xinfang.Web.Testing;

namespace Xinfang.Web.Supervision;

/// <summary>
/// Every few seconds (and at once when the controllable clock is set), beside the deadline sweep:
/// <list type="number">
/// <item>raises a proposal (督办建议) for each matter whose clock is overdue (red) and that neither an open proposal nor
/// an open 督办 covers — once per matter, clock and due date (a unique index), noticed to the nearest petition bureau;</item>
/// <item>escalates each 督办 whose feedback is late: the rule chosen is to report, not to harden the form — it is marked
/// escalated, a SupervisionEscalate annotation goes on the timeline with the petition bureau above the issuer as its
/// target (which thereby may open the matter and its 督办), and the issuer, that bureau and the addressee get notices.
/// With no bureau above the issuer it is only marked overdue (and the issuer and addressee told).</item>
/// </list>
/// Each write is guarded (the unique index; the versions of the 督办 and of the matter), so two hosts never act twice.
/// </summary>
public sealed class SupervisionSweep(IServiceScopeFactory scopes, ControllableClock clock, IConfiguration config, ILogger<SupervisionSweep> log) : BackgroundService
{
    const int Batch = 200;
    public const string EscalateNote = "督办逾期未反馈，已报上级信访部门";
    public const string OverdueNote = "督办逾期未反馈";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!config.GetValue("Sweep:Enabled", true) || !config.GetValue("Supervision:SweepEnabled", true)) return;
        var interval = TimeSpan.FromSeconds(config.GetValue("Sweep:IntervalSeconds", 5.0));
        await ClockDrivenLoop.RunAsync(clock, interval, ct => SweepAsync(scopes, ct), log, "Supervision sweep", stop);
    }

    /// <summary>One pass: proposals, then escalations. Returns how many of each it made.</summary>
    public static async Task<(int Proposed, int Escalated)> SweepAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var proposed = await ProposeAsync(scope.ServiceProvider, ct);
        var escalated = await EscalateAsync(scope.ServiceProvider, ct);
        return (proposed, escalated);
    }

    static async Task<int> ProposeAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<XinfangDb>();
        var notifier = services.GetRequiredService<Notifier>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var proposals = db.Set<SupervisionProposal>();
        var supervisions = db.Set<Supervision>();
        var made = 0;
        var seen = new HashSet<Guid>();
        for (var round = 0; round < 1000; round++)
        {
            db.ChangeTracker.Clear();
            // The earliest running duty clock gives the matter's DueOn, and is the first to go red: a red matter's
            // DueOn is the due date of an overdue clock.
            var due = await db.Petitions.AsNoTracking()
                .Where(p => p.Warning == Warning.Red && p.DueOn != null && p.DueOn < today && p.Status != PetitionStatus.Final)
                .Where(p => !proposals.Any(x => x.PetitionId == p.Id && (x.Status == ProposalStatus.Open || x.ClockDueOn == p.DueOn)))
                .Where(p => !supervisions.Any(s => s.PetitionId == p.Id && s.Status != SupervisionStatus.Closed))
                .OrderBy(p => p.DueOn).ThenBy(p => p.Number)
                .Select(p => new { p.Id, p.Number, p.HoldingUnitId, p.DueOn, p.Clocks }).Take(Batch).ToListAsync(ct);
            due.RemoveAll(p => !seen.Add(p.Id));
            if (due.Count == 0) break;
            foreach (var p in due)
            {
                db.ChangeTracker.Clear();
                var red = p.Clocks.Where(c => c.Warning == Warning.Red && c.DueOn == p.DueOn).OrderBy(c => c.Name).FirstOrDefault()
                    ?? p.Clocks.Where(c => c.Warning == Warning.Red).OrderBy(c => c.DueOn).FirstOrDefault();
                if (red is null) continue;
                var proposal = new SupervisionProposal
                {
                    PetitionId = p.Id, Number = p.Number, HoldingUnitId = p.HoldingUnitId, ClockName = red.Name, ClockDueOn = p.DueOn!.Value,
                    RaisedAt = now, Status = ProposalStatus.Open,
                };
                proposals.Add(proposal);
                var path = await db.Units.AsNoTracking().Where(u => u.Id == p.HoldingUnitId).Select(u => u.Path).FirstOrDefaultAsync(ct);
                if (path is not null && await SupervisionScope.NearestBureauAsync(db, path, ct) is { } bureau)
                    await notifier.SendAsync(new Notification
                    {
                        RecipientUnitId = bureau, Kind = NotificationKinds.Overdue,
                        Title = $"督办建议：{p.Number}已超期", Body = $"{SupervisionNames.Of(red.Name)}已于{red.DueOn:yyyy-MM-dd}届满，建议督办。",
                        PetitionId = p.Id, Link = "/staff/supervision",
                    }, ct);
                try
                {
                    await AuditTrail.For(db).SaveAsync(new AuditRecord("supervisionProposal.raised", AuditActor.System, "petition", p.Id.ToString(),
                        new { p.Number, clock = red.Name.ToString(), dueOn = p.DueOn }), ct);
                    made++;
                }
                catch (DbUpdateException ex) when (PetitionWorkflow.IsUniqueViolation(ex))
                {
                    // Another host raised it first.
                }
            }
        }
        db.ChangeTracker.Clear();
        return made;
    }

    static async Task<int> EscalateAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<XinfangDb>();
        var notifier = services.GetRequiredService<Notifier>();
        var workflow = services.GetRequiredService<PetitionWorkflow>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var made = 0;
        var seen = new HashSet<Guid>();
        for (var round = 0; round < 1000; round++)
        {
            db.ChangeTracker.Clear();
            var late = await db.Set<Supervision>().AsNoTracking().Where(s => s.Status == SupervisionStatus.Open && s.DueOn < today)
                .OrderBy(s => s.DueOn).Select(s => s.Id).Take(Batch).ToListAsync(ct);
            late.RemoveAll(id => !seen.Add(id));
            if (late.Count == 0) break;
            foreach (var id in late)
            {
                db.ChangeTracker.Clear();
                var s = await db.Set<Supervision>().FirstOrDefaultAsync(x => x.Id == id, ct);
                // Answered or escalated by someone else since it was listed.
                if (s is null || s.Status != SupervisionStatus.Open || s.DueOn >= today) continue;
                var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == s.PetitionId, ct);
                if (petition is null) continue;
                var target = await SupervisionScope.EscalationTargetAsync(db, s.IssuerUnitId, ct);
                s.Status = target is null ? SupervisionStatus.Overdue : SupervisionStatus.Escalated;
                s.Late = true;
                s.EscalatedAt = now;
                s.EscalatedToUnitId = target;
                s.Version++;
                var e = petition.Annotate(PetitionAction.SupervisionEscalate, Actor.System, now, target is null ? OverdueNote : EscalateNote,
                    new { supervisionId = s.Id, dueOn = s.DueOn, escalatedToUnitId = target }, target);
                var link = $"/staff/supervision/{s.Id}";
                var title = $"督办逾期未反馈：{s.Number}";
                foreach (var unit in new[] { s.IssuerUnitId, s.AddresseeUnitId }.Concat(target is { } t ? [t] : []).Distinct())
                    await notifier.SendAsync(new Notification
                    {
                        RecipientUnitId = unit, Kind = NotificationKinds.SupervisionOverdue, Title = title,
                        Body = $"反馈期限{s.DueOn:yyyy-MM-dd}已过，受督办单位尚未书面反馈。" + (target is null ? "" : "已报上级信访部门。"),
                        PetitionId = s.PetitionId, Link = link,
                    }, ct);
                if (await workflow.SaveStepAsync(petition, e, ct) == PetitionWorkflow.StepSaved.Saved) made++;
            }
        }
        db.ChangeTracker.Clear();
        return made;
    }
}
