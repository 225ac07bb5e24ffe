using System.Text.Json;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Domain.Petitions;

/// <summary>The outcome of <see cref="Petition.Apply"/>: the event of an applied step, or why it was refused.</summary>
public readonly record struct Outcome(PetitionEvent? Event, WorkflowError? Error)
{
    public bool IsApplied => Event is not null;
    public static implicit operator Outcome(WorkflowError error) => new(null, error);
    public static implicit operator Outcome(PetitionEvent e) => new(e, null);
}

/// <summary>What a registering clerk (or the portal) records (Art. 19).</summary>
public sealed record Registration(
    Channel Channel,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<Petitioner> Petitioners,
    bool Anonymous,
    int Headcount,
    string Title,
    string Content,
    string RegionCode,
    string? CategoryCode,
    PetitionType Type,
    Guid? AccusedUnitId,
    string? AccusedPersonName,
    bool Urgent = false,
    bool Litigation = false,
    bool SkipLevel = false,
    Guid? AccusedUserId = null);

/// <summary>
/// A petition (信访事项) and its workflow state. State changes only through <see cref="Apply"/>, which
/// consults <see cref="Workflow.Table"/> and either changes the state and returns one event, or
/// returns an error and leaves the petition untouched.
/// </summary>
public sealed class Petition
{
    /// <summary>Statistics conventionally call five or more people a group petition (集体访); configurable.</summary>
    public const int DefaultGroupThreshold = 5;

    public Guid Id { get; private set; } = Guid.NewGuid();
    public string Number { get; private set; } = "";
    /// <summary>Hash of the query code; the code itself is shown once, to its creator.</summary>
    public string QueryCodeHash { get; private set; } = "";
    public PetitionStatus Status { get; private set; }
    public PetitionType Type { get; private set; }
    public Channel Channel { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public Guid? RegisteredByUserId { get; private set; }
    /// <summary>The unit that first received the matter (首接首办): keeps read access to the end.</summary>
    public Guid ReceivingUnitId { get; private set; }
    /// <summary>The unit that must take the next step.</summary>
    public Guid HoldingUnitId { get; private set; }
    /// <summary>The unit that forwarded or assigned the matter; an objection sends it back there (Art. 23 ¶3).</summary>
    public Guid? DisposingUnitId { get; private set; }
    /// <summary>The unit that accepted and handles it.</summary>
    public Guid? ResponsibleUnitId { get; private set; }
    /// <summary>Every unit the matter was forwarded or assigned to, and the unit that accepted it.</summary>
    public List<Guid> ResponsibleUnitIds { get; private set; } = [];
    /// <summary>The unit whose opinion a review or re-review challenges.</summary>
    public Guid? DecidingUnitId { get; private set; }
    public string RegionCode { get; private set; } = "";
    public string? CategoryCode { get; private set; }
    public string Title { get; private set; } = "";
    public string Content { get; private set; } = "";
    public int Headcount { get; private set; }
    public bool FirstTime { get; private set; }
    public bool Repeat { get; private set; }
    public bool Group { get; private set; }
    public bool SkipLevel { get; private set; }
    public bool Urgent { get; private set; }
    public bool Backlog { get; private set; }
    public bool Anonymous { get; private set; }
    public bool Litigation { get; private set; }
    public Guid? RepeatOfId { get; private set; }
    public Guid? AccusedUnitId { get; private set; }
    public string? AccusedPersonName { get; private set; }
    /// <summary>The accused person's own staff account, when they have one: the matter never reaches it, in any unit (Art. 30 ¶3).</summary>
    public Guid? AccusedUserId { get; private set; }
    public HandlingRoute? Route { get; private set; }
    public Decision? Decision { get; private set; }
    public Redirect? Redirect { get; private set; }
    public bool ExtensionUsed { get; private set; }
    public DateTimeOffset? DisposedAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateOnly? RepliedOn { get; private set; }
    public DateOnly? ReviewRequestedOn { get; private set; }
    public DateOnly? ReviewedOn { get; private set; }
    public DateOnly? ReReviewedOn { get; private set; }
    public DateOnly? ReReviewRequestedOn { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public List<Clock> Clocks { get; private set; } = [];
    /// <summary>The sender's own clocks, standing still while a recipient decides on a forwarded or assigned matter; an objection resumes them.</summary>
    public List<Clock> SuspendedClocks { get; private set; } = [];
    /// <summary>The worst warning among the running clocks.</summary>
    public Warning Warning { get; private set; }
    /// <summary>When the sweep must next look at this matter (a warning turns, a window lapses); null when nothing will change by itself.</summary>
    public DateTimeOffset? NextSweepAt { get; private set; }
    /// <summary>
    /// The day the matter's next duty falls due (the earliest running clock that binds a unit; a petitioner's
    /// window only when nothing else runs). Work queues sort by it; null when no clock runs.
    /// </summary>
    public DateOnly? DueOn { get; private set; }
    /// <summary>Optimistic concurrency: bumped by every applied step.</summary>
    public int Version { get; private set; }
    public int LastEventSequence { get; private set; }
    public List<Petitioner> Petitioners { get; private set; } = [];

    Petition() { }

    /// <summary>Registers a matter (登记). The receiving unit's first clock: dispose for a petition bureau (Art. 22), notify otherwise (Art. 23 ¶2).</summary>
    public static (Petition Petition, PetitionEvent Event) Register(
        Registration r, string number, string queryCodeHash, Guid receivingUnitId, bool receivedByBureau,
        Actor actor, WorkflowContext context, LinkedMatter? repeatOf = null, int groupThreshold = DefaultGroupThreshold)
    {
        var receivedOn = ChinaTime.DateOf(r.ReceivedAt);
        var p = new Petition
        {
            Number = number,
            QueryCodeHash = queryCodeHash,
            Status = PetitionStatus.Registered,
            Type = r.Type,
            Channel = r.Channel,
            ReceivedAt = r.ReceivedAt,
            RegisteredAt = context.Now,
            RegisteredByUserId = actor.UserId,
            ReceivingUnitId = receivingUnitId,
            HoldingUnitId = receivingUnitId,
            RegionCode = r.RegionCode,
            CategoryCode = r.CategoryCode,
            Title = r.Title,
            Content = r.Content,
            Headcount = Math.Max(r.Headcount, r.Petitioners.Count),
            Anonymous = r.Anonymous,
            Urgent = r.Urgent,
            Litigation = r.Litigation,
            SkipLevel = r.SkipLevel,
            AccusedUnitId = r.Type == PetitionType.Accusation ? r.AccusedUnitId : null,
            AccusedPersonName = r.Type == PetitionType.Accusation ? r.AccusedPersonName : null,
            AccusedUserId = r.Type == PetitionType.Accusation ? r.AccusedUserId : null,
            RepeatOfId = repeatOf?.Id,
            Repeat = repeatOf is not null,
            FirstTime = repeatOf is null,
        };
        p.Group = p.Headcount >= groupThreshold;
        var i = 0;
        foreach (var person in r.Petitioners)
        {
            person.PetitionId = p.Id;
            p.Petitioners.Add(new Petitioner
            {
                Id = person.Id, PetitionId = p.Id, Name = person.Name, IdNumber = person.IdNumber, Phone = person.Phone,
                Address = person.Address, IsRepresentative = person.IsRepresentative, Position = i++,
            });
        }
        p.Clocks.Add(Clock.Start(receivedByBureau ? ClockName.Dispose : ClockName.Notify, receivedOn, context.Deadlines, context.Lengths));
        p.Refresh(context);
        var e = p.Record(PetitionAction.Register, null, actor, context, null, null, new { r.Channel, receivedOn });
        return (p, e);
    }

    /// <summary>
    /// Corrects the problem category (问题类别) chosen at registration. Not a workflow step: it changes neither status
    /// nor clocks, and the store keeps the correction (who, when, from what) beside the petition.
    /// </summary>
    public void CorrectCategory(string categoryCode)
    {
        CategoryCode = categoryCode;
        Version++;
    }

    /// <summary>
    /// A clerk confirms that this matter repeats <paramref name="original"/> (the root of its chain): flagged a repeat,
    /// decisive for Art. 19 ¶3 and Art. 36 ¶3 at acceptance. Not a workflow step (the status does not change); the store
    /// records who decided. A matter cannot repeat itself nor a repeat of itself.
    /// </summary>
    public WorkflowError? LinkRepeat(LinkedMatter original, Guid? originalRepeatOf)
    {
        if (original.Id == Id || originalRepeatOf == Id) return WorkflowError.RepeatOfItself;
        if (Status == PetitionStatus.Final) return WorkflowError.MatterIsFinal;
        RepeatOfId = original.Id;
        Repeat = true;
        FirstTime = false;
        Version++;
        return null;
    }

    /// <summary>A clerk rejects the link to the matter this one was taken to repeat: it counts as a first petition again.</summary>
    public WorkflowError? UnlinkRepeat()
    {
        if (Status == PetitionStatus.Final) return WorkflowError.MatterIsFinal;
        if (RepeatOfId is null) return null;
        RepeatOfId = null;
        Repeat = false;
        FirstTime = true;
        Version++;
        return null;
    }

    /// <summary>
    /// Records a supervision or follow-up event (督办, 包案, 积案, 回访…) on the timeline: no status or clock changes,
    /// but the version moves, so the event is saved together with the matter and a concurrent step is detected.
    /// </summary>
    public PetitionEvent Annotate(PetitionAction action, Actor actor, DateTimeOffset at, string? note = null, object? data = null, Guid? targetUnitId = null)
    {
        if (PetitionActions.IsStep(action)) throw new ArgumentException($"{action} is a workflow step; use Apply", nameof(action));
        Version++;
        LastEventSequence++;
        return new PetitionEvent
        {
            PetitionId = Id, Sequence = LastEventSequence, At = at, Action = action, FromStatus = Status, ToStatus = Status,
            ActorKind = actor.Kind, ActorUserId = actor.UserId, ActorUnitId = actor.UnitId, TargetUnitId = targetUnitId, Note = note,
            Data = data is null ? null : JsonSerializer.Serialize(data, DataJson),
        };
    }

    /// <summary>Art. 25: a major or urgent matter, flagged at registration or later; reported up at once.</summary>
    public void MarkUrgent()
    {
        if (Urgent) return;
        Urgent = true;
        Version++;
    }

    /// <summary>积案: listed in (or released from) a backlog campaign.</summary>
    public void MarkBacklog(bool listed)
    {
        if (Backlog == listed) return;
        Backlog = listed;
        Version++;
    }

    /// <summary>Applies one workflow step: the new state and its event, or an error and no change at all.</summary>
    public Outcome Apply(PetitionCommand command, Actor actor, WorkflowContext context)
    {
        // Art. 28 ¶3: staff with a direct interest in the matter take no step on it.
        if (context.ActorRecused && actor.Kind == ActorKind.Staff) return WorkflowError.Recused;
        if (Status == PetitionStatus.Final && command.Action != PetitionAction.Withdraw)
            return WorkflowError.MatterIsFinal;
        var transition = Workflow.Find(Status, command.Action);
        if (transition is null) return WorkflowError.NotAllowed(Status, command.Action);
        if (Authorise(transition, command, actor) is { } denied) return denied;
        if (Check(command, context) is { } invalid) return invalid;
        var from = Status;
        var data = Effect(command, context);
        Status = transition.To;
        Refresh(context);
        var target = command switch
        {
            Forward f => f.UnitId,
            Assign a => a.UnitId,
            RequestReview r => r.UnitId,
            RequestReReview r => r.UnitId,
            _ => (Guid?)null,
        };
        return Record(command.Action, from, actor, context, target, NoteOf(command), data);
    }

    /// <summary>Whether an action would be allowed for this actor now, without checking its request (for showing what a user may do).</summary>
    public bool Offers(PetitionAction action, Actor actor)
    {
        if (Status == PetitionStatus.Final) return false;
        var t = Workflow.Find(Status, action);
        if (t is null) return false;
        return actor.Kind switch
        {
            ActorKind.System => t.System,
            ActorKind.Petitioner => t.Petitioner,
            _ => actor.HasAny(t.Roles) && t.Who switch
            {
                Who.HoldingUnit => actor.UnitId == HoldingUnitId,
                Who.HoldingOrReceivingUnit => actor.UnitId == HoldingUnitId || actor.UnitId == ReceivingUnitId,
                Who.ReviewBody => true, // depends on the request: the body named must be eligible
                _ => false,
            },
        };
    }

    WorkflowError? Authorise(Transition t, PetitionCommand command, Actor actor)
    {
        switch (actor.Kind)
        {
            case ActorKind.System: return t.System ? null : WorkflowError.RoleNotPermitted;
            case ActorKind.Petitioner: return t.Petitioner ? null : WorkflowError.RoleNotPermitted;
        }
        if (!actor.HasAny(t.Roles)) return WorkflowError.RoleNotPermitted;
        var unitFits = t.Who switch
        {
            Who.HoldingUnit => actor.UnitId == HoldingUnitId,
            Who.HoldingOrReceivingUnit => actor.UnitId == HoldingUnitId || actor.UnitId == ReceivingUnitId,
            Who.ReviewBody => actor.UnitId == HoldingUnitId || command switch
            {
                RequestReview r => actor.UnitId == r.UnitId,
                RequestReReview r => actor.UnitId == r.UnitId,
                _ => false,
            },
            _ => false,
        };
        return unitFits ? null : WorkflowError.NotHoldingUnit;
    }

    /// <summary>Guards that depend on the request, the clocks and the linked matters. No state changes here.</summary>
    WorkflowError? Check(PetitionCommand command, WorkflowContext c)
    {
        var today = c.Today;
        switch (command)
        {
            case Forward f:
                return CheckTarget(f.UnitId, c);
            case Assign a:
                if (CheckTarget(a.UnitId, c) is { } bad) return bad;
                if (a.ReportDueOn is { } due && due <= today) return new("validation", "报送办理结果的期限应晚于今天", WorkflowErrorKind.Invalid, "reportDueOn");
                return null;
            case Object o:
                if (string.IsNullOrWhiteSpace(o.Reason)) return WorkflowError.Required("reason", "请说明异议理由（条例第二十三条第三款）");
                return ClockOf(ClockName.Objection) is { } oc && oc.IsOpenOn(today) ? null : WorkflowError.ObjectionWindowLapsed;
            case Accept a:
                if (!Enum.IsDefined(a.Route)) return WorkflowError.Required("route", "受理途径应为1至6");
                if (c.RepeatOf is { Status: PetitionStatus.Final }) return WorkflowError.RepeatOfFinal;
                if (c.RepeatOf is { } linked && Workflow.IsInHandling(linked.Status) && linked.HoldingUnitId != HoldingUnitId)
                    return WorkflowError.RepeatInHandling;
                return null;
            case Decline d:
                return string.IsNullOrWhiteSpace(d.Reason) ? WorkflowError.Required("reason", "请说明不予受理的理由") : null;
            case Extend x:
                if (Route != HandlingRoute.PetitionProcedure) return WorkflowError.ExtensionOnlyForProcedure;
                if (ExtensionUsed) return WorkflowError.ExtensionAlreadyUsed;
                if (x.Days < 1 || x.Days > c.Lengths.MaxExtension) return WorkflowError.ExtensionTooLong;
                if (string.IsNullOrWhiteSpace(x.Reason)) return WorkflowError.Required("reason", "请说明延期理由（条例第三十四条）");
                if (string.IsNullOrWhiteSpace(x.ApprovedBy)) return WorkflowError.Required("approvedBy", "延期须经本单位负责人批准（条例第三十四条）");
                return null;
            case Reply r:
                if (Route != HandlingRoute.PetitionProcedure) return WorkflowError.ReplyOnlyForProcedure;
                return CheckOpinion(r.Text, r.DeliveredOn, AcceptedAt is { } at ? ChinaTime.DateOf(at) : null, today);
            case RequestReview r:
                if (Type != PetitionType.Claim || Route != HandlingRoute.PetitionProcedure) return WorkflowError.ReviewNotApplicable;
                if (Status == PetitionStatus.Closed && (RepliedOn is null || ReviewRequestedOn is not null)) return WorkflowError.NotAllowed(Status, command.Action);
                if (CheckRequest(r.Reason, r.RequestedOn, RepliedOn, today) is { } badReview) return badReview;
                if (WindowDue(ClockName.ReviewRequest, RepliedOn, c) is not { } reviewDue || r.RequestedOn > reviewDue) return WorkflowError.ReviewWindowLapsed;
                return c.ReviewBodies.Contains(r.UnitId) ? null : WorkflowError.ReviewBodyNotEligible;
            case ReviewDecision r:
                return CheckOpinion(r.Text, r.DeliveredOn, ReviewRequestedOn, today);
            case RequestReReview r:
                if (Status == PetitionStatus.Closed && (ReviewedOn is null || ReReviewRequestedOn is not null)) return WorkflowError.NotAllowed(Status, command.Action);
                if (CheckRequest(r.Reason, r.RequestedOn, ReviewedOn, today) is { } badReReview) return badReReview;
                if (WindowDue(ClockName.ReReviewRequest, ReviewedOn, c) is not { } reReviewDue || r.RequestedOn > reReviewDue) return WorkflowError.ReReviewWindowLapsed;
                return c.ReviewBodies.Contains(r.UnitId) ? null : WorkflowError.ReviewBodyNotEligible;
            case Hearing h:
                var open = ClockOf(ClockName.ReReview) is { State: ClockState.Paused };
                if (h.StartOn > today || h.EndOn > today) return WorkflowError.DateInFuture;
                if (h.EndOn is { } end && end < h.StartOn) return new("validation", "听证结束日期不能早于开始日期", WorkflowErrorKind.Invalid, "endOn");
                if (ReReviewRequestedOn is { } asked && h.StartOn < asked) return WorkflowError.DateBeforeStep;
                if (open && h.EndOn is null) return new("hearing-open", "已有进行中的听证，请填写结束日期", WorkflowErrorKind.Invalid, "endOn");
                // Hearing time is only ever left out of the 30 days, never taken off them.
                if (open && h.EndOn < ClockOf(ClockName.ReReview)!.PausedOn)
                    return new("validation", "听证结束日期不能早于听证开始日期", WorkflowErrorKind.Invalid, "endOn");
                return null;
            case ReReviewDecision r:
                if (ClockOf(ClockName.ReReview) is { State: ClockState.Paused }) return WorkflowError.HearingOpen;
                return CheckOpinion(r.Text, r.DeliveredOn, ReReviewRequestedOn, today);
            case Close:
                if (Status == PetitionStatus.Accepted && Route == HandlingRoute.PetitionProcedure) return WorkflowError.ReplyOnlyForProcedure with
                {
                    Code = "close-needs-reply", Title = "按信访程序办理的事项须出具信访处理意见书（条例第三十二条），不能直接办结",
                };
                var window = ClockOf(Status == PetitionStatus.Replied ? ClockName.ReviewRequest : ClockName.ReReviewRequest);
                if (Status is PetitionStatus.Replied or PetitionStatus.Reviewed && window is not null && window.IsOpenOn(today))
                    return WorkflowError.WindowStillOpen;
                return null;
            case Withdraw w:
                return string.IsNullOrWhiteSpace(w.Reason) ? WorkflowError.Required("reason", "请说明撤回理由") : null;
        }
        return null;
    }

    /// <summary>
    /// The last day of a petitioner's window: from its running clock, or — once the sweep has closed the matter —
    /// recomputed from the opinion's delivery, so a request made in time but recorded late still counts.
    /// </summary>
    DateOnly? WindowDue(ClockName window, DateOnly? openedOn, WorkflowContext c) =>
        ClockOf(window)?.DueOn ?? (openedOn is { } on ? c.Deadlines.AddCalendarDays(on, c.Lengths.Of(window)) : null);

    WorkflowError? CheckTarget(Guid unitId, WorkflowContext c)
    {
        if (!c.TargetUnitExists) return WorkflowError.UnknownUnit;
        if (unitId == HoldingUnitId) return WorkflowError.SameUnit;
        // Art. 30 ¶3: an accusation is never sent to the accused.
        if (Type == PetitionType.Accusation && AccusedUnitId is { } accused && (accused == unitId || c.TargetPath.Contains(accused)))
            return WorkflowError.ToAccusedUnit;
        return null;
    }

    static WorkflowError? CheckOpinion(string text, DateOnly deliveredOn, DateOnly? notBefore, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text)) return WorkflowError.Required("text", "请填写意见书正文（条例第三十二条）");
        if (deliveredOn > today) return WorkflowError.DateInFuture with { Field = "deliveredOn" };
        if (notBefore is { } earliest && deliveredOn < earliest) return WorkflowError.DateBeforeStep with { Field = "deliveredOn" };
        return null;
    }

    static WorkflowError? CheckRequest(string reason, DateOnly requestedOn, DateOnly? notBefore, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(reason)) return WorkflowError.Required("reason", "请说明请求复查（复核）的理由");
        if (requestedOn > today) return WorkflowError.DateInFuture with { Field = "requestedOn" };
        if (notBefore is { } earliest && requestedOn < earliest) return WorkflowError.DateBeforeStep with { Field = "requestedOn" };
        return null;
    }

    /// <summary>Changes the state for an authorised, valid step; returns the step's details for its event.</summary>
    object? Effect(PetitionCommand command, WorkflowContext c)
    {
        var today = c.Today;
        var d = c.Deadlines;
        switch (command)
        {
            case Forward f:
                SendTo(f.UnitId, today, c);
                return null;
            case Assign a:
                SendTo(a.UnitId, today, c);
                var report = a.ReportDueOn is { } due ? Clock.Fixed(ClockName.Report, today, due) : Clock.Start(ClockName.Report, today, d, c.Lengths);
                Clocks.Add(report);
                return new { reportDueOn = report.DueOn };
            case Object:
                // Back to the sender; its own clock resumes, the days away not counted against it.
                HoldingUnitId = DisposingUnitId ?? ReceivingUnitId;
                Clocks = SuspendedClocks.Select(clock => clock.Resume(today, d)).ToList();
                SuspendedClocks = [];
                return null;
            case Accept a:
                Stop(ClockName.Dispose, ClockName.Notify, ClockName.Objection);
                SuspendedClocks = [];
                Route = a.Route;
                ResponsibleUnitId = HoldingUnitId;
                if (!ResponsibleUnitIds.Contains(HoldingUnitId)) ResponsibleUnitIds = [.. ResponsibleUnitIds, HoldingUnitId];
                AcceptedAt = c.Now;
                // Only route 6 carries the 60-day limit (Art. 31, 34).
                if (a.Route == HandlingRoute.PetitionProcedure) Clocks.Add(Clock.Start(ClockName.Handle, today, d, c.Lengths));
                return new { route = (int)a.Route };
            case Decline x:
                Clocks = [];
                SuspendedClocks = [];
                Redirect = x.Redirect;
                ClosedAt = c.Now;
                return new { redirect = x.Redirect };
            case Extend x:
                ExtensionUsed = true;
                Replace(ClockOf(ClockName.Handle)!.Extend(x.Days, d));
                return new { days = x.Days, approvedBy = x.ApprovedBy, dueOn = ClockOf(ClockName.Handle)!.DueOn };
            case Reply r:
                Stop(ClockName.Handle, ClockName.Report);
                Decision = r.Decision;
                RepliedOn = r.DeliveredOn;
                DecidingUnitId = HoldingUnitId;
                if (Type == PetitionType.Claim) Clocks.Add(Clock.Start(ClockName.ReviewRequest, r.DeliveredOn, d, c.Lengths));
                return new { decision = r.Decision, deliveredOn = r.DeliveredOn };
            case RequestReview r:
                Stop(ClockName.ReviewRequest);
                ClosedAt = null;
                ReviewRequestedOn = r.RequestedOn;
                HoldingUnitId = r.UnitId;
                Clocks.Add(Clock.Start(ClockName.Review, r.RequestedOn, d, c.Lengths));
                return new { requestedOn = r.RequestedOn };
            case ReviewDecision r:
                Stop(ClockName.Review);
                Decision = r.Decision;
                ReviewedOn = r.DeliveredOn;
                DecidingUnitId = HoldingUnitId;
                Clocks.Add(Clock.Start(ClockName.ReReviewRequest, r.DeliveredOn, d, c.Lengths));
                return new { decision = r.Decision, deliveredOn = r.DeliveredOn };
            case RequestReReview r:
                Stop(ClockName.ReReviewRequest);
                ClosedAt = null;
                ReReviewRequestedOn = r.RequestedOn;
                HoldingUnitId = r.UnitId;
                Clocks.Add(Clock.Start(ClockName.ReReview, r.RequestedOn, d, c.Lengths));
                return new { requestedOn = r.RequestedOn };
            case Hearing h:
                // Hearing time does not count against the re-review's 30 days (Art. 36).
                var clock = ClockOf(ClockName.ReReview)!;
                if (clock.State == ClockState.Paused)
                {
                    var days = h.EndOn!.Value.DayNumber - clock.PausedOn!.Value.DayNumber + 1;
                    Replace(clock.Resume(h.EndOn.Value, d, days));
                    return new { endOn = h.EndOn, pausedDays = days };
                }
                if (h.EndOn is { } end)
                {
                    var days = end.DayNumber - h.StartOn.DayNumber + 1;
                    Replace(clock.Pause(h.StartOn).Resume(end, d, days));
                    return new { startOn = h.StartOn, endOn = end, pausedDays = days };
                }
                Replace(clock.Pause(h.StartOn));
                return new { startOn = h.StartOn };
            case ReReviewDecision r:
                Clocks = [];
                Decision = r.Decision;
                ReReviewedOn = r.DeliveredOn;
                DecidingUnitId = HoldingUnitId;
                ClosedAt = c.Now;
                return new { decision = r.Decision, deliveredOn = r.DeliveredOn };
            case Close:
            case Withdraw:
                Clocks = [];
                SuspendedClocks = [];
                ClosedAt = c.Now;
                return null;
        }
        return null;
    }

    void SendTo(Guid unitId, DateOnly today, WorkflowContext c)
    {
        // The sender's own clock stands still while the recipient decides; it resumes on objection.
        // A bureau's report-back clock of an earlier assignment ends with that assignment.
        SuspendedClocks = Clocks.Where(c => c.Name is ClockName.Dispose or ClockName.Notify).Select(c => c.Pause(today)).ToList();
        Clocks = [];
        DisposingUnitId = HoldingUnitId;
        HoldingUnitId = unitId;
        if (!ResponsibleUnitIds.Contains(unitId)) ResponsibleUnitIds = [.. ResponsibleUnitIds, unitId];
        DisposedAt ??= c.Now;
        Clocks.Add(Clock.Start(ClockName.Notify, today, c.Deadlines, c.Lengths));
        Clocks.Add(Clock.Start(ClockName.Objection, today, c.Deadlines, c.Lengths));
    }

    public Clock? ClockOf(ClockName name) => Clocks.FirstOrDefault(c => c.Name == name);

    void Stop(params ClockName[] names) => Clocks = Clocks.Where(c => !names.Contains(c.Name)).ToList();

    void Replace(Clock clock) => Clocks = Clocks.Select(c => c.Name == clock.Name ? clock : c).ToList();

    /// <summary>
    /// Re-evaluates warnings and the next instant the sweep must look: the next day a warning turns or a
    /// petitioner's window lapses. The sweep therefore costs what is due, not what is open.
    /// </summary>
    public bool Refresh(WorkflowContext c)
    {
        var today = c.Today;
        var changed = false;
        var updated = Clocks.Select(clock =>
        {
            var w = clock.WarningOn(today, c.Deadlines, c.YellowWorkingDaysFor(clock.Name));
            if (w != clock.Warning) changed = true;
            return clock with { Warning = w };
        }).ToList();
        Clocks = updated;
        var worst = Clocks.Count == 0 ? Warning.None : Clocks.Max(x => x.Warning);
        if (worst != Warning) changed = true;
        Warning = worst;
        DateOnly? next = null;
        foreach (var clock in Clocks.Where(x => x.State == ClockState.Running))
        {
            var turn = clock.IsWindow ? (clock.DueOn.AddDays(1) > today ? clock.DueOn.AddDays(1) : null) : NextTurn(clock, today, c);
            if (turn is { } t && (next is null || t < next)) next = t;
        }
        // A replied suggestion or accusation has no review window (Art. 35 concerns claims): it is completed the next day.
        if (Status == PetitionStatus.Replied && !Clocks.Any(x => x.IsPetitionerWindow)) next = today.AddDays(1);
        NextSweepAt = next is { } n ? ChinaTime.StartOf(n) : null;
        var running = Clocks.Where(x => x.State == ClockState.Running).ToList();
        var duties = running.Where(x => !x.IsWindow).ToList();
        var dueOn = (duties.Count > 0 ? duties : running).Select(x => (DateOnly?)x.DueOn).Min();
        if (dueOn != DueOn) changed = true;
        DueOn = dueOn;
        return changed;
    }

    static DateOnly? NextTurn(Clock clock, DateOnly today, WorkflowContext c)
    {
        var now = clock.Warning;
        if (now == Warning.Red) return null;
        for (var day = today.AddDays(1); day <= clock.DueOn.AddDays(1); day = day.AddDays(1))
            if (clock.WarningOn(day, c.Deadlines, c.YellowWorkingDaysFor(clock.Name)) != now) return day;
        return clock.DueOn.AddDays(1);
    }

    /// <summary>The system closes a replied or reviewed matter whose petitioner's window lapsed (api.md: close, also automatic).</summary>
    public bool WindowLapsed(DateOnly today) =>
        Status is PetitionStatus.Replied or PetitionStatus.Reviewed
        && (Clocks.FirstOrDefault(x => x.IsPetitionerWindow) is not { } w || !w.IsOpenOn(today));

    /// <summary>Recomputes every due date on the calendar now in force (after an administrator imports a notice). Not a workflow step: no event.</summary>
    public bool Recalculate(WorkflowContext c)
    {
        var before = string.Join(",", Clocks.Concat(SuspendedClocks).Select(x => x.DueOn));
        Clocks = Clocks.Select(x => x.Recalculated(c.Deadlines)).ToList();
        SuspendedClocks = SuspendedClocks.Select(x => x.Recalculated(c.Deadlines)).ToList();
        var moved = before != string.Join(",", Clocks.Concat(SuspendedClocks).Select(x => x.DueOn));
        return Refresh(c) | moved;
    }

    static string? NoteOf(PetitionCommand command) => command switch
    {
        Forward f => f.Note,
        Assign a => a.Note,
        Object o => o.Reason,
        Accept a => a.Note,
        Decline d => d.Reason,
        Extend x => x.Reason,
        Reply r => r.Text,
        RequestReview r => r.Reason,
        ReviewDecision r => r.Text,
        RequestReReview r => r.Reason,
        ReReviewDecision r => r.Text,
        Close c => c.Note,
        Withdraw w => w.Reason,
        _ => null,
    };

    static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    PetitionEvent Record(PetitionAction action, PetitionStatus? from, Actor actor, WorkflowContext c, Guid? target, string? note, object? data)
    {
        Version++;
        LastEventSequence++;
        return new PetitionEvent
        {
            PetitionId = Id,
            Sequence = LastEventSequence,
            At = c.Now,
            Action = action,
            FromStatus = from,
            ToStatus = Status,
            ActorKind = actor.Kind,
            ActorUserId = actor.UserId,
            ActorUnitId = actor.UnitId,
            TargetUnitId = target,
            Note = note,
            Data = data is null ? null : JsonSerializer.Serialize(data, DataJson),
        };
    }
}
