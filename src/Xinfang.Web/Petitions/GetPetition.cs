using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

public sealed record EventList(IReadOnlyList<EventView> Items, string? NextCursor);
public sealed record UnitSummary(Guid Id, string Name, int Level);
public sealed record UnitList(IReadOnlyList<UnitSummary> Items);

/// <summary>One petition, if it lies within the caller's jurisdiction (else 404), with its version as ETag.</summary>
public sealed class GetPetition(XinfangDb db, PetitionWorkflow workflow)
{
    public async Task<IResult> HandleAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).Include(p => p.Petitioners).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return petition is null ? Problems.NotFound() : await workflow.ViewResultAsync(petition, staff, ct);
    }

    public async Task<IResult> EventsAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        var confidential = Jurisdiction.IsAccused(staff, petition);
        var events = await db.PetitionEvents.AsNoTracking().Where(e => e.PetitionId == id).OrderBy(e => e.Sequence).ToListAsync(ct);
        // Recusals (Art. 28 ¶3) stand after the step they followed.
        var recusals = (await RecordRecusal.ListOfAsync(db, id, ct)).Select(x => EventView.Of(x.Recusal,
            events.LastOrDefault(e => e.Sequence <= x.Recusal.AfterSequence)?.ToStatus ?? petition.Status, x.UserName, confidential));
        var items = events.Select(e => EventView.Of(e, confidential)).Concat(recusals)
            .OrderBy(e => e.Sequence).ThenBy(e => e.Action == Recusal.Action ? 1 : 0).ThenBy(e => e.At).ToList();
        return TypedResults.Ok(new EventList(items, null));
    }

    /// <summary>The bodies that may review the current decision now (parent or functional superior of the deciding unit).</summary>
    public async Task<IResult> ReviewBodiesAsync(Guid id, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Problems.Forbidden();
        var petition = await Jurisdiction.Visible(db, staff).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return Problems.NotFound();
        var ids = await workflow.ReviewBodiesAsync(petition, ct);
        var units = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new UnitSummary(u.Id, u.Name, u.Level)).ToListAsync(ct);
        return TypedResults.Ok(new UnitList(units));
    }
}
