using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

/// <summary>
/// Runs one workflow step for a staff member: finds the petition within their jurisdiction, honours If-Match,
/// applies the step through the domain, and saves state, event and access rows in one transaction.
/// Every action endpoint goes through here; the rules themselves live in Xinfang.Domain.
/// </summary>
public sealed class PetitionWorkflow(XinfangDb db, CalendarStore calendar, TimeProvider time, IOptions<WorkflowOptions> options, Operations.XinfangMetrics? metrics = null)
{
    public WorkflowContext Context() => new(time.GetUtcNow(), calendar.Deadlines, options.Value.Lengths, options.Value.YellowWorkingDays)
    {
        YellowWorkingDaysByClock = options.Value.YellowByClock,
    };

    /// <param name="ifMatch">The version the caller saw (If-Match, or the page's hidden field); null to act on whatever is current.</param>
    public async Task<IResult> RunAsync(Guid id, PetitionCommand command, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).Include(p => p.Petitioners).FirstOrDefaultAsync(p => p.Id == id, ct)
            ?? await ReceivedAsReviewBodyAsync(id, command, staff, ct);
        if (petition is null) return Problems.NotFound();
        // No step is open to supervisors and analysts (they read only): refused by role whatever state the matter
        // is in, as api.md's roles say, rather than by state first.
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Of(WorkflowError.RoleNotPermitted);
        if (ifMatch is { } expected && expected != petition.Version) return Problems.StaleVersion(petition.Version);

        var context = await ContextFor(petition, command, ct) with { ActorRecused = await Recusals.IsRecusedAsync(db, petition.Id, staff.User.Id, ct) };
        var outcome = petition.Apply(command, staff.Actor, context);
        if (outcome.Error is { } error)
        {
            if (error == WorkflowError.Recused) return Problems.Make(StatusCodes.Status403Forbidden, error.Code, error.Title, detail: error.Title);
            // Art. 19 ¶3: the petitioner is told where the original matter stands.
            // Art. 30 ¶3: not where an accusation confidential to the caller stands.
            if (context.RepeatOf is { } linked && error.Code is "repeat-of-final" or "repeat-in-handling"
                && await db.Petitions.AsNoTracking().Where(p => p.Id == linked.Id).Where(Jurisdiction.SeenInFullBy(staff))
                    .Select(p => new { p.Id, p.Number, p.Status, p.HoldingUnitId }).FirstOrDefaultAsync(ct) is { } original)
            {
                var holder = await db.Units.AsNoTracking().Where(u => u.Id == original.HoldingUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
                return Problems.Of(error, new Dictionary<string, object?>
                {
                    ["repeatOf"] = new { id = original.Id, number = original.Number, status = original.Status, statusName = StatusNames.Of(original.Status), holdingUnitName = holder },
                });
            }
            return Problems.Of(error);
        }
        return await SaveStepAsync(petition, outcome.Event!, ct) switch
        {
            StepSaved.Conflict => ifMatch is null ? Problems.ConcurrentChange() : Problems.StaleVersion(petition.Version - 1),
            StepSaved.TooLong => Problems.Validation("body", "内容过长"),
            _ => ViewResult(petition, staff, recused: false),
        };
    }

    public enum StepSaved { Saved, Conflict, TooLong }

    /// <summary>
    /// Saves an applied step — the petition, its event and the access rows of a unit it was sent to — in one
    /// transaction, guarded by the petition's version. Used by staff, the portal and the sweep alike.
    /// </summary>
    public async Task<StepSaved> SaveStepAsync(Petition petition, PetitionEvent e, CancellationToken ct)
    {
        db.PetitionEvents.Add(e);
        if (e.TargetUnitId is { } target) await Jurisdiction.GrantAsync(db, petition, target, ct);
        try
        {
            await Audit.AuditTrail.For(db).SaveAsync(ct); // the step and its audit row, together
            metrics?.Step(e.Action);
            return StepSaved.Saved;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || IsUniqueViolation(ex))
        {
            // Someone else changed the matter between our read and write: nothing of ours was saved.
            return StepSaved.Conflict;
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "22001" })
        {
            // A safety net behind the field checks: too long for its column, nothing saved.
            return StepSaved.TooLong;
        }
    }

    /// <summary>
    /// A review body records a request it receives (Art. 35–36) before the matter is in its jurisdiction —
    /// only when it is an eligible body for that matter; otherwise the matter stays invisible (404).
    /// </summary>
    async Task<Petition?> ReceivedAsReviewBodyAsync(Guid id, PetitionCommand command, Staff staff, CancellationToken ct)
    {
        var named = command switch { RequestReview r => r.UnitId, RequestReReview r => r.UnitId, _ => (Guid?)null };
        if (named != staff.Unit.Id) return null;
        var petition = await db.Petitions.Include(p => p.Petitioners).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null || !(await ReviewBodiesAsync(petition, ct)).Contains(staff.Unit.Id)) return null;
        return Jurisdiction.SightOf(staff, petition) == Sight.Hidden ? null : petition;
    }

    public IResult ViewResult(Petition petition, Staff staff, bool recused) =>
        new ETagged(TypedResults.Ok(PetitionView.Of(petition, staff, calendar.Deadlines, recused)), petition.Version);

    public async Task<IResult> ViewResultAsync(Petition petition, Staff staff, CancellationToken ct) =>
        ViewResult(petition, staff, await Recusals.IsRecusedAsync(db, petition.Id, staff.User.Id, ct));

    async Task<WorkflowContext> ContextFor(Petition p, PetitionCommand command, CancellationToken ct)
    {
        var context = Context();
        switch (command)
        {
            case Forward or Assign:
                var targetId = command is Forward f ? f.UnitId : ((Assign)command).UnitId;
                var path = await db.Units.Where(u => u.Id == targetId).Select(u => u.Path).FirstOrDefaultAsync(ct);
                context = context with
                {
                    TargetUnitExists = path is not null,
                    TargetPath = path is null ? [] : Jurisdiction.PathOf(path).ToList(),
                };
                break;
            case RequestReview or RequestReReview:
                context = context with { ReviewBodies = await ReviewBodiesAsync(p, ct) };
                break;
            case Accept when p.RepeatOfId is { } linked:
                context = context with
                {
                    RepeatOf = await db.Petitions.Where(x => x.Id == linked)
                        .Select(x => new LinkedMatter(x.Id, x.Status, x.HoldingUnitId)).FirstOrDefaultAsync(ct),
                };
                break;
        }
        return context;
    }

    /// <summary>The level above the unit whose opinion is challenged: its territorial parent and its functional superior (Art. 35–36).</summary>
    public async Task<IReadOnlySet<Guid>> ReviewBodiesAsync(Petition p, CancellationToken ct)
    {
        var deciding = p.DecidingUnitId ?? p.HoldingUnitId;
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == deciding, ct);
        var bodies = new HashSet<Guid>();
        if (unit?.ParentId is { } parent) bodies.Add(parent);
        if (unit?.SuperiorId is { } superior) bodies.Add(superior);
        return bodies;
    }

    internal static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        Npgsql.PostgresException pg => pg.SqlState == "23505",
        _ => false,
    };
}
