using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Ownership;

/// <summary>The refusals every ownership use case shares, in Chinese.</summary>
public static class OwnershipProblems
{
    public static IResult NotFound() => Problems.NotFound("包案事项");
    public static IResult NotOwner() => Problems.Make(StatusCodes.Status403Forbidden, "not-owner", "只有本事项的包案领导可以办理此项");
    public static IResult Ended() => Problems.Make(StatusCodes.Status409Conflict, "ownership-ended", "该包案已解除或已结案，不能再修改");
    public static IResult Recused() => Problems.Make(StatusCodes.Status403Forbidden, WorkflowError.Recused.Code, WorkflowError.Recused.Title, detail: WorkflowError.Recused.Title);
    public static IResult Stale(int current) =>
        Problems.Make(StatusCodes.Status412PreconditionFailed, "stale-version", "该包案已被他人修改，请刷新后重试", extensions: new Dictionary<string, object?> { ["currentVersion"] = current });
}

/// <summary>An ownership opened for a change, with its matter (tracked, so the timeline annotation saves with it).</summary>
public sealed record OwnedMatter(Ownership Ownership, Petition Petition);

/// <summary>
/// Opens an ownership for a change and saves the change: the guards every write shares (role, jurisdiction,
/// ownership, recusal, state, If-Match), and one transaction for the rows, the timeline annotation and its audit row.
/// </summary>
public sealed class OwnedMatters(XinfangDb db, PetitionWorkflow workflow, OwnershipLedger ledger)
{
    /// <summary>For the plan, progress and outcome: the caller must be one of the current leaders of an active ownership.</summary>
    public async Task<(OwnedMatter? Matter, IResult? Refusal)> OpenForOwnerAsync(Guid id, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !staff.Has(Role.UnitLeader)) return (null, Problems.Forbidden());
        var (matter, refusal) = await OpenAsync(id, staff, ifMatch, ct);
        if (matter is null) return (null, refusal);
        var owns = await db.Set<OwnershipLeader>().AnyAsync(l => l.OwnershipId == id && l.UserId == staff.User.Id && l.ReleasedAt == null, ct);
        return owns ? (matter, null) : (null, OwnershipProblems.NotOwner());
    }

    /// <summary>For a release: a leader or supervisor of a unit that sees the matter, as for assigning it.</summary>
    public async Task<(OwnedMatter? Matter, IResult? Refusal)> OpenForAssignerAsync(Guid id, Staff staff, int? ifMatch, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions || !staff.HasAny(Role.UnitLeader, Role.Supervisor)) return (null, Problems.Forbidden());
        return await OpenAsync(id, staff, ifMatch, ct);
    }

    async Task<(OwnedMatter?, IResult?)> OpenAsync(Guid id, Staff staff, int? ifMatch, CancellationToken ct)
    {
        var o = await db.Set<Ownership>().FirstOrDefaultAsync(x => x.Id == id, ct);
        var p = o is null ? null : await ledger.Seen(staff).FirstOrDefaultAsync(x => x.Id == o.PetitionId, ct);
        if (o is null || p is null) return (null, OwnershipProblems.NotFound());
        // Art. 28 ¶3: whoever stands recused from the matter takes no part in resolving it either.
        if (await Recusals.IsRecusedAsync(db, p.Id, staff.User.Id, ct)) return (null, OwnershipProblems.Recused());
        if (o.Status != OwnershipStatus.Active) return (null, OwnershipProblems.Ended());
        if (ifMatch is { } expected && expected != o.Version) return (null, OwnershipProblems.Stale(o.Version));
        return (new OwnedMatter(o, p), null);
    }

    /// <summary>
    /// Saves everything pending with the annotation <paramref name="e"/> (PetitionWorkflow.SaveStepAsync: one
    /// transaction guarded by the matter's version and the ownership's, with the audit row) and answers the
    /// ownership as it now stands, with its version as ETag.
    /// </summary>
    public async Task<IResult> SaveAsync(OwnedMatter m, PetitionEvent e, Staff staff, int? ifMatch, CancellationToken ct, bool created = false)
    {
        switch (await workflow.SaveStepAsync(m.Petition, e, ct))
        {
            case PetitionWorkflow.StepSaved.Conflict:
                if (ifMatch is null) return Problems.ConcurrentChange();
                var current = await db.Set<Ownership>().AsNoTracking().Where(x => x.Id == m.Ownership.Id).Select(x => (int?)x.Version).FirstOrDefaultAsync(ct);
                return OwnershipProblems.Stale(current ?? 0);
            case PetitionWorkflow.StepSaved.TooLong:
                return Problems.Validation("body", "内容过长");
        }
        var view = (await ledger.ViewAsync(m.Ownership.Id, staff, ct))!;
        IResult result = created ? TypedResults.Created($"/api/v1/ownerships/{view.Id}", view) : TypedResults.Ok(view);
        return new ETagged(result, view.Version);
    }

    /// <summary>A trimmed text, or an error when it is required and blank or longer than <paramref name="max"/>.</summary>
    public static string? Text(string? value, string field, string label, int max, bool required, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) errors[field] = [$"请填写{label}"];
            return null;
        }
        if (text.Length > max) errors[field] = [$"{label}不超过{max}字"];
        return text;
    }
}
