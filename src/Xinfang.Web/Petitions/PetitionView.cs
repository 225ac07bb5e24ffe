using System.Text.Json;
using System.Text.Json.Serialization;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Petitions;

public sealed record FlagsView(bool FirstTime, bool Repeat, bool Group, bool SkipLevel, bool Urgent, bool Backlog, bool Anonymous, bool Litigation);

public sealed record ClockView(ClockName Name, DateOnly StartedOn, DateOnly DueOn, int PausedDays, ClockState State, Warning Warning, int ExtendedDays);

public sealed record PetitionerView(string Name, string? IdNumber, string? Phone, string? Address, bool IsRepresentative, bool Masked);

public sealed record AccusedView(Guid? UnitId, string? PersonName, Guid? UserId);

/// <summary>The petition resource of api.md.</summary>
public sealed record PetitionView(
    Guid Id, string Number, PetitionStatus Status, PetitionType Type, Channel Channel,
    DateTimeOffset ReceivedAt, DateTimeOffset RegisteredAt,
    Guid ReceivingUnitId, Guid HoldingUnitId, IReadOnlyList<Guid> ResponsibleUnitIds,
    string RegionCode, string? CategoryCode, string Title, string Content, int Headcount,
    IReadOnlyList<PetitionerView> Petitioners, FlagsView Flags, Guid? RepeatOf, AccusedView? Accused,
    int? Route, Decision? Decision, Redirect? Redirect, bool ExtensionUsed,
    IReadOnlyList<ClockView> Clocks, Warning Warning, IReadOnlyList<string> AllowedActions,
    IReadOnlyList<string> CalendarWarnings, int Version)
{
    /// <summary>The query code, present only in the registering response: it is stored as a hash.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? QueryCode { get; init; }

    /// <summary>The caller has recused themselves, or was recused, from this matter (回避, Art. 28 ¶3): no step is offered.</summary>
    public bool Recused { get; init; }

    public const string Confidential = "（检举控告内容依法保密，不向被检举控告单位公开）";

    /// <param name="recused">Whether <paramref name="staff"/> stands recused from the matter (<see cref="Recusals"/>).</param>
    public static PetitionView Of(Petition p, Staff staff, DeadlineCalculator deadlines, bool recused = false)
    {
        // Jurisdiction.SightOf: a caller the matter is hidden from never gets here (404); a notice reader sees no content.
        var accused = Jurisdiction.IsAccused(staff, p);
        var full = Jurisdiction.SeesPersonalData(staff, p);
        var people = accused
            ? []
            : p.Petitioners.OrderBy(x => x.Position).Select(x => new PetitionerView(
                x.Name,
                x.IdNumber is null ? null : full ? x.IdNumber : ResidentId.Mask(x.IdNumber),
                x.Phone is null ? null : full ? x.Phone : PhoneNumber.Mask(x.Phone),
                full ? x.Address : null,
                x.IsRepresentative, !full)).ToList();
        var calendarWarnings = p.Clocks.SelectMany(c => deadlines.WarningsFor(c.StartedOn, c.DueOn)).Distinct().ToList();
        return new PetitionView(
            p.Id, p.Number, p.Status, p.Type, p.Channel,
            p.ReceivedAt.ToOffset(ChinaTime.Offset), p.RegisteredAt.ToOffset(ChinaTime.Offset),
            p.ReceivingUnitId, p.HoldingUnitId, p.ResponsibleUnitIds,
            p.RegionCode, p.CategoryCode,
            accused ? Confidential : p.Title, accused ? Confidential : p.Content, p.Headcount,
            people,
            new FlagsView(p.FirstTime, p.Repeat, p.Group, p.SkipLevel, p.Urgent, p.Backlog, p.Anonymous, p.Litigation),
            p.RepeatOfId,
            p.Type == PetitionType.Accusation && !accused ? new AccusedView(p.AccusedUnitId, p.AccusedPersonName, p.AccusedUserId) : null,
            p.Route is { } r ? (int)r : null, p.Decision, p.Redirect, p.ExtensionUsed,
            p.Clocks.Select(c => new ClockView(c.Name, c.StartedOn, c.DueOn, c.PausedDays, c.State, c.Warning, c.ExtendedDays)).ToList(),
            p.Warning,
            recused ? [] : Enum.GetValues<PetitionAction>().Where(a => a != PetitionAction.Register && p.Offers(a, staff.Actor)).Select(ActionSlugs.Of).ToList(),
            calendarWarnings,
            p.Version) { Recused = recused };
    }
}

public sealed record EventView(int Sequence, DateTimeOffset At, string Action, PetitionStatus? FromStatus, PetitionStatus ToStatus,
    ActorKind ActorKind, Guid? ActorUnitId, Guid? TargetUnitId, string? Note, JsonElement? Data)
{
    public static EventView Of(PetitionEvent e, bool confidential) => new(
        e.Sequence, e.At.ToOffset(ChinaTime.Offset), ActionSlugs.Of(e.Action), e.FromStatus, e.ToStatus, e.ActorKind, e.ActorUnitId, e.TargetUnitId,
        confidential ? null : e.Note,
        confidential || e.Data is null ? null : JsonDocument.Parse(e.Data).RootElement.Clone());

    /// <summary>
    /// A recusal on the timeline. Not a workflow step (it changes no status, and PetitionAction lists steps only):
    /// it carries the sequence of the step it follows, and the matter's status then.
    /// </summary>
    public static EventView Of(Recusal r, PetitionStatus status, string? userName, bool confidential) => new(
        r.AfterSequence, r.At.ToOffset(ChinaTime.Offset), Recusal.Action, null, status, ActorKind.Staff, r.UnitId, null,
        confidential ? null : r.Reason,
        confidential ? null : JsonSerializer.SerializeToElement(new { recusedUserId = r.UserId, recusedUser = userName, recordedByUserId = r.RecordedByUserId }, Xinfang.Web.Data.Json.Options));
}

/// <summary>Action names as they appear in URLs and the timeline (api.md): forward, request-review, re-review-decision…</summary>
public static class ActionSlugs
{
    public static string Of(PetitionAction a) => a switch
    {
        PetitionAction.RequestReview => "request-review",
        PetitionAction.ReviewDecision => "review-decision",
        PetitionAction.RequestReReview => "request-re-review",
        PetitionAction.ReReviewDecision => "re-review-decision",
        _ => Kebab(a.ToString()),
    };

    static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
