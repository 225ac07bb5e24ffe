using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Attachments;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Workbench;

public sealed record UnitChoice(Guid Id, string Name, bool Suggested);

public sealed record TimelineEntry(EventView Event, string ActionName, string? ActorUnitName, string? TargetUnitName, IReadOnlyList<(string Label, string Value)> Details);

/// <summary>Everything the petition page shows, each part read through the use case the API uses for it.</summary>
public sealed record PetitionScreen(
    PetitionView View, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<UnitChoice> Targets, IReadOnlyList<UnitChoice> ReviewBodies, IReadOnlyDictionary<Guid, string> UnitNames,
    bool Revealed, bool CanReveal, DateOnly Today, IReadOnlyList<Intake.SimilarCandidate>? Similar = null)
{
    /// <summary>Who stands recused from the matter (回避, Art. 28 ¶3), oldest first.</summary>
    public IReadOnlyList<RecusalView> Recusals { get; init; } = [];
    /// <summary>For a unit leader or supervisor: the users of their unit they may record a recusal for; empty otherwise.</summary>
    public IReadOnlyList<UnitChoice> Recusable { get; init; } = [];
}

/// <summary>Loads the petition page: the petition (404 outside the jurisdiction), its timeline, files, and the choices its actions need.</summary>
public sealed class OpenPetition(XinfangDb db, GetPetition get, TimeProvider time, Intake.FindSimilarPetitions similar, RecordRecusal recusal)
{
    public async Task<(PetitionScreen? Screen, PageOutcome Outcome)> HandleAsync(Guid id, Staff staff, bool reveal, CancellationToken ct)
    {
        var outcome = PageOutcome.Of(await get.HandleAsync(id, staff, ct));
        if (!outcome.Succeeded) return (null, outcome);
        var view = outcome.ValueAs<PetitionView>()!;
        var canReveal = view.Petitioners.Count > 0 && !view.Petitioners[0].Masked;
        if (!(reveal && canReveal)) view = view with { Petitioners = view.Petitioners.Select(Masked).ToList() };

        var eventViews = PageOutcome.Of(await get.EventsAsync(id, staff, ct)).ValueAs<EventList>()?.Items ?? [];

        var confidential = view.Title == PetitionView.Confidential;
        var attachments = confidential ? [] : await db.Attachments.AsNoTracking().Where(a => a.PetitionId == id).OrderBy(a => a.UploadedAt).ToListAsync(ct);

        var targets = new List<UnitChoice>();
        if (view.AllowedActions.Contains(Steps.Forward.Action) || view.AllowedActions.Contains(Steps.Assign.Action))
            targets = await TargetsAsync(view, staff, ct);
        var bodies = new List<UnitChoice>();
        if (view.AllowedActions.Contains(Steps.RequestReview.Action) || view.AllowedActions.Contains(Steps.RequestReReview.Action))
        {
            var found = PageOutcome.Of(await get.ReviewBodiesAsync(id, staff, ct)).ValueAs<UnitList>()?.Items ?? [];
            bodies.AddRange(found.Select(u => new UnitChoice(u.Id, u.Name, true)));
        }

        var unitIds = eventViews.SelectMany(e => new[] { e.ActorUnitId, e.TargetUnitId }).OfType<Guid>()
            .Concat([view.ReceivingUnitId, view.HoldingUnitId]).Concat(view.ResponsibleUnitIds)
            .Concat(view.Accused?.UnitId is { } a ? [a] : []).Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var timeline = eventViews.Select(e => new TimelineEntry(e, ActionNameOf(e.Action),
            e.ActorUnitId is { } au ? names.GetValueOrDefault(au) : e.ActorKind == ActorKind.System ? "系统" : e.ActorKind == ActorKind.Petitioner ? "信访人" : null,
            e.TargetUnitId is { } tu ? names.GetValueOrDefault(tu) : null, DetailsOf(e.Data))).ToList();
        // Possible repeats, for those who may confirm or reject a link (never on a confidential accusation).
        IReadOnlyList<Intake.SimilarCandidate>? candidates = null;
        if (!confidential && staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader))
            candidates = PageOutcome.Of(await similar.ForPetitionAsync(id, staff, ct)).ValueAs<Api.Listing<Intake.SimilarCandidate>>()?.Items;
        var recusals = PageOutcome.Of(await recusal.ListAsync(id, staff, ct)).ValueAs<Api.Listing<RecusalView>>()?.Items ?? [];
        var recusable = !staff.HasAny(Role.UnitLeader, Role.Supervisor) ? [] : await db.Users.AsNoTracking()
            .Where(u => u.UnitId == staff.Unit.Id && u.Id != staff.User.Id).OrderBy(u => u.UserName)
            .Select(u => new UnitChoice(u.Id, u.DisplayName + "（" + u.UserName + "）", false)).Take(500).ToListAsync(ct);
        return (new PetitionScreen(view, timeline, attachments.Select(AttachmentView.Of).ToList(), targets, bodies, names,
            reveal && canReveal, canReveal, ChinaTime.DateOf(time.GetUtcNow()), candidates) { Recusals = recusals, Recusable = recusable }, outcome);
    }

    static PetitionerView Masked(PetitionerView p) => p.Masked ? p : p with
    {
        IdNumber = p.IdNumber is null ? null : ResidentId.Mask(p.IdNumber),
        Phone = p.Phone is null ? null : PhoneNumber.Mask(p.Phone),
        Address = p.Address is null ? null : "（已隐藏）",
        Masked = true,
    };

    /// <summary>
    /// Where the matter may go: the units the routing rules name for its region and category first, then the other
    /// units of the user's own government (its departments, townships and the levels below).
    /// </summary>
    async Task<List<UnitChoice>> TargetsAsync(PetitionView view, Staff staff, CancellationToken ct)
    {
        var suggested = PageOutcome.Of(await MatchRoutingRules.HandleAsync(view.RegionCode, view.CategoryCode, db, ct)).ValueAs<Api.Listing<SuggestedUnit>>()?.Items ?? [];
        var scope = staff.Unit.ParentId is { } parent ? await db.Units.AsNoTracking().Where(u => u.Id == parent).Select(u => u.Path).FirstAsync(ct) : staff.Unit.Path;
        var others = await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(scope) && u.Id != staff.Unit.Id)
            .OrderBy(u => u.Level).ThenBy(u => u.Code).Select(u => new { u.Id, u.Name }).Take(500).ToListAsync(ct);
        return suggested.Select(u => new UnitChoice(u.Id, u.Name, true))
            .Concat(others.Where(o => suggested.All(s => s.Id != o.Id)).Select(o => new UnitChoice(o.Id, o.Name, false))).ToList();
    }

    static string ActionNameOf(string slug) => slug == Recusal.Action ? "回避" :
        Enum.GetValues<PetitionAction>().FirstOrDefault(a => ActionSlugs.Of(a) == slug) is var a && ActionSlugs.Of(a) == slug ? Names.Of(a) : slug;

    /// <summary>The step's recorded facts in words: decision, route, days, dates.</summary>
    static List<(string, string)> DetailsOf(JsonElement? data)
    {
        var list = new List<(string, string)>();
        if (data is not { ValueKind: JsonValueKind.Object } d) return list;
        foreach (var p in d.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null) continue;
            var raw = p.Value.ToString();
            var item = p.Name switch
            {
                "decision" => ("处理意见", Enum.TryParse<Decision>(raw, true, out var x) ? Names.Of(x) : raw),
                "route" => ("受理途径", int.TryParse(raw, out var r) ? Names.Of((HandlingRoute)r) : raw),
                "redirect" => ("引导途径", Enum.TryParse<Redirect>(raw, true, out var rd) ? Names.Of(rd) : raw),
                "days" => ("延长天数", raw + "天"),
                "approvedBy" => ("批准人", raw),
                "dueOn" => ("新的期限", raw),
                "reportDueOn" => ("报送结果期限", raw),
                "deliveredOn" => ("送达日期", raw),
                "requestedOn" => ("申请日期", raw),
                "startOn" => ("听证开始", raw),
                "endOn" => ("听证结束", raw),
                "pausedDays" => ("暂停天数", raw + "天"),
                "receivedOn" => ("收到日期", raw),
                "recusedUser" => ("回避人员", raw),
                "channel" => ("渠道", Enum.TryParse<Channel>(raw, true, out var c) ? Names.Of(c) : raw),
                _ => ((string?)null, raw),
            };
            if (item.Item1 is not null) list.Add((item.Item1, item.Item2));
        }
        return list;
    }
}
