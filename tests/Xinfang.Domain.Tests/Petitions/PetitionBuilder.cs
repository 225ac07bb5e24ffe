using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>Fixed units of the test world.</summary>
public static class Units
{
    /// <summary>A county petition bureau (信访局): registers and forwards.</summary>
    public static readonly Guid Bureau = new("00000000-0000-0000-0000-0000000000b1");
    /// <summary>A unit that is not a petition bureau and receives petitions directly (notify clock).</summary>
    public static readonly Guid Government = new("00000000-0000-0000-0000-0000000000a1");
    /// <summary>The responsible unit (责任单位), e.g. the county housing bureau.</summary>
    public static readonly Guid Dept = new("00000000-0000-0000-0000-0000000000d1");
    /// <summary>The level above the responsible unit: the review body (复查机关).</summary>
    public static readonly Guid ReviewBody = new("00000000-0000-0000-0000-0000000000e1");
    /// <summary>The level above the review body: the re-review body (复核机关).</summary>
    public static readonly Guid ReReviewBody = new("00000000-0000-0000-0000-0000000000e2");
    /// <summary>The unit an accusation is about.</summary>
    public static readonly Guid Accused = new("00000000-0000-0000-0000-0000000000f1");
    /// <summary>A unit with nothing to do with the matter.</summary>
    public static readonly Guid Stranger = new("00000000-0000-0000-0000-0000000000c9");
}

/// <summary>
/// Builds petitions by applying real workflow steps (Petition.Register + Apply with valid commands), so a
/// petition "in a status" is exactly what production would hold. Every step must succeed.
/// Default timeline (2024, China time, no holiday nearby): received 11-04 (Mon), forwarded 11-05,
/// accepted 11-07, reply delivered 11-20, review requested 11-25, review delivered 12-10,
/// re-review requested 12-16, re-review delivered 2025-01-06.
/// </summary>
public sealed class PetitionBuilder
{
    public static readonly DeadlineCalculator Calculator = new(WorkCalendar.Embedded);
    public static readonly DateOnly DefaultReceivedOn = new(2024, 11, 4);

    public static readonly Role[] AllStaffRoles = [Role.IntakeClerk, Role.Caseworker, Role.UnitLeader];

    public Petition Petition { get; }
    public List<PetitionEvent> Events { get; } = [];
    /// <summary>The China date of the last applied step.</summary>
    public DateOnly Today { get; private set; }

    PetitionBuilder(Petition petition, PetitionEvent registered, DateOnly today)
    {
        Petition = petition;
        Events.Add(registered);
        Today = today;
    }

    public static DateOnly D(int year, int month, int day) => new(year, month, day);

    /// <summary>10:00 China time (UTC+8) on a China date, unless another hour is given.</summary>
    public static DateTimeOffset At(DateOnly day, int hour = 10) => ChinaTime.StartOf(day).AddHours(hour);

    public static WorkflowContext Context(DateOnly day, int hour = 10) =>
        new(At(day, hour), Calculator, ClockLengths.Regulation);

    public static Actor Staff(Guid unitId, params Role[] roles) =>
        Actor.Staff(Guid.NewGuid(), unitId, roles.Length == 0 ? AllStaffRoles : roles);

    public static Registration Registration(
        DateOnly receivedOn, PetitionType type = PetitionType.Claim, Guid? accusedUnitId = null, int receivedHour = 9) =>
        new(
            Channel.Letter,
            At(receivedOn, receivedHour),
            [new Petitioner { Name = "张三", IdNumber = "11010519491231002X", Phone = "13800138000", Address = "某县某路1号" }],
            Anonymous: false,
            Headcount: 1,
            Title: "小区漏水长期未修",
            Content: "请求责令物业维修。",
            RegionCode: "110105",
            CategoryCode: "01",
            Type: type,
            AccusedUnitId: accusedUnitId,
            AccusedPersonName: accusedUnitId is null ? null : "李四");

    /// <summary>Registers a petition received (and registered the same day) by the bureau, or by a non-bureau unit.</summary>
    public static PetitionBuilder Registered(
        DateOnly? receivedOn = null, PetitionType type = PetitionType.Claim, bool byBureau = true,
        Guid? accusedUnitId = null, LinkedMatter? repeatOf = null)
    {
        var on = receivedOn ?? DefaultReceivedOn;
        var unit = byBureau ? Units.Bureau : Units.Government;
        var (p, e) = Petition.Register(
            Registration(on, type, accusedUnitId), "110105-2024-000001", "hash", unit, byBureau,
            Staff(unit, Role.IntakeClerk), Context(on), repeatOf);
        return new PetitionBuilder(p, e, on);
    }

    /// <summary>A petition brought into <paramref name="status"/> through real steps on the default timeline.</summary>
    public static PetitionBuilder InStatus(
        PetitionStatus status, HandlingRoute route = HandlingRoute.PetitionProcedure, PetitionType type = PetitionType.Claim) =>
        status switch
        {
            PetitionStatus.Registered => Registered(type: type),
            PetitionStatus.Forwarded => Registered(type: type).Forward(),
            PetitionStatus.Assigned => Registered(type: type).Assign(),
            PetitionStatus.Accepted => Registered(type: type).Forward().Accept(route),
            PetitionStatus.Declined => Registered(type: type).Forward().Decline(),
            PetitionStatus.Replied => Registered(type: type).Forward().Accept().Reply(),
            PetitionStatus.UnderReview => InStatus(PetitionStatus.Replied, route, type).RequestReview(),
            PetitionStatus.Reviewed => InStatus(PetitionStatus.UnderReview, route, type).ReviewDecision(),
            PetitionStatus.UnderReReview => InStatus(PetitionStatus.Reviewed, route, type).RequestReReview(),
            PetitionStatus.Final => InStatus(PetitionStatus.UnderReReview, route, type).ReReviewDecision(),
            PetitionStatus.Closed => InStatus(PetitionStatus.Replied, route, type).CloseAfterWindow(),
            PetitionStatus.Withdrawn => Registered(type: type).Withdraw(),
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };

    /// <summary>A petition in <paramref name="from"/> fit for <paramref name="action"/> (a diverted route for closing an
    /// accepted matter; a matter closed after review for a late-recorded re-review request).</summary>
    public static PetitionBuilder ForPair(PetitionStatus from, PetitionAction action) =>
        from == PetitionStatus.Closed && action == PetitionAction.RequestReReview
            ? InStatus(PetitionStatus.Reviewed).CloseAfterWindow()
            : InStatus(from, from == PetitionStatus.Accepted && action == PetitionAction.Close ? HandlingRoute.DutyToAct : HandlingRoute.PetitionProcedure);

    /// <summary>A valid command for this petition now; on a closed matter, a request made on the window's last day and recorded late.</summary>
    public (PetitionCommand Command, WorkflowContext Context) ValidCommandFor(PetitionAction action)
    {
        var (command, context) = ValidCommand(action, DayFor(action));
        if (Petition.Status != PetitionStatus.Closed) return (command, context);
        command = command switch
        {
            RequestReview r => r with { RequestedOn = Calculator.AddCalendarDays(Petition.RepliedOn!.Value, 30) },
            RequestReReview r => r with { RequestedOn = Calculator.AddCalendarDays(Petition.ReviewedOn!.Value, 30) },
            _ => command,
        };
        return (command, context);
    }

    /// <summary>Staff of the unit holding the matter, with every caseworking role.</summary>
    public Actor HolderStaff(params Role[] roles) => Staff(Petition.HoldingUnitId, roles);

    /// <summary>Applies a command on a China date; the builder's date moves on only when the step is applied.</summary>
    public Outcome Apply(PetitionCommand command, Actor actor, WorkflowContext context)
    {
        var outcome = Petition.Apply(command, actor, context);
        if (outcome.Event is { } e)
        {
            Events.Add(e);
            Today = context.Today;
        }
        return outcome;
    }

    /// <summary>A step that must succeed (setup), by the holding unit's staff unless another actor is given.</summary>
    public PetitionBuilder Step(PetitionCommand command, DateOnly on, Actor? actor = null, Func<WorkflowContext, WorkflowContext>? adjust = null)
    {
        var context = Context(on);
        if (adjust is not null) context = adjust(context);
        var outcome = Apply(command, actor ?? HolderStaff(), context);
        if (!outcome.IsApplied)
            throw new InvalidOperationException($"Setup step {command.Action} on {on:yyyy-MM-dd} from {Petition.Status} was refused: {outcome.Error!.Code}");
        return this;
    }

    public PetitionBuilder Forward(Guid? to = null, DateOnly? on = null) =>
        Step(new Forward(to ?? Units.Dept, "请依法处理"), on ?? Today.AddDays(1));

    public PetitionBuilder Assign(Guid? to = null, DateOnly? reportDueOn = null, DateOnly? on = null) =>
        Step(new Assign(to ?? Units.Dept, reportDueOn, "交办，请报送结果"), on ?? Today.AddDays(1));

    public PetitionBuilder Object(DateOnly? on = null) =>
        Step(new Xinfang.Domain.Petitions.Object("不属于本单位职权范围"), on ?? Today.AddDays(1));

    public PetitionBuilder Accept(HandlingRoute route = HandlingRoute.PetitionProcedure, DateOnly? on = null) =>
        Step(new Accept(route), on ?? Today.AddDays(2));

    public PetitionBuilder Decline(DateOnly? on = null) =>
        Step(new Decline("应通过诉讼途径解决", Redirect.Litigation), on ?? Today.AddDays(1));

    public PetitionBuilder Extend(int days, DateOnly? on = null) =>
        Step(new Extend(days, "案情复杂", "王局长"), on ?? Today.AddDays(1));

    /// <summary>Reply delivered (and recorded) on <paramref name="deliveredOn"/>, default 13 days after the previous step.</summary>
    public PetitionBuilder Reply(DateOnly? deliveredOn = null, DateOnly? on = null)
    {
        var delivered = deliveredOn ?? Today.AddDays(13);
        return Step(new Reply(Decision.Support, "信访处理意见书：予以支持。", delivered), on ?? delivered);
    }

    public PetitionBuilder RequestReview(DateOnly? requestedOn = null, Guid? reviewBody = null, DateOnly? on = null)
    {
        var requested = requestedOn ?? Today.AddDays(5);
        var body = reviewBody ?? Units.ReviewBody;
        return Step(new RequestReview(requested, "对处理意见不服", body), on ?? requested, Staff(body),
            c => c with { ReviewBodies = new HashSet<Guid> { body } });
    }

    public PetitionBuilder ReviewDecision(DateOnly? deliveredOn = null, DateOnly? on = null)
    {
        var delivered = deliveredOn ?? Today.AddDays(15);
        return Step(new ReviewDecision(Decision.Explain, "复查意见：维持原处理意见。", delivered), on ?? delivered);
    }

    public PetitionBuilder RequestReReview(DateOnly? requestedOn = null, Guid? reReviewBody = null, DateOnly? on = null)
    {
        var requested = requestedOn ?? Today.AddDays(6);
        var body = reReviewBody ?? Units.ReReviewBody;
        return Step(new RequestReReview(requested, "对复查意见不服", body), on ?? requested, Staff(body),
            c => c with { ReviewBodies = new HashSet<Guid> { body } });
    }

    public PetitionBuilder Hearing(DateOnly startOn, DateOnly? endOn, DateOnly? on = null) =>
        Step(new Hearing(startOn, endOn), on ?? endOn ?? startOn);

    public PetitionBuilder ReReviewDecision(DateOnly? deliveredOn = null, DateOnly? on = null)
    {
        var delivered = deliveredOn ?? Today.AddDays(21);
        return Step(new ReReviewDecision(Decision.NotSupport, "复核意见：维持。", delivered), on ?? delivered);
    }

    /// <summary>The system closes a replied or reviewed matter on the day after the petitioner's window lapsed.</summary>
    public PetitionBuilder CloseAfterWindow()
    {
        var window = Petition.Clocks.Single(c => c.IsPetitionerWindow);
        return Step(new Close("期限届满未申请"), window.DueOn.AddDays(1), Actor.System);
    }

    public PetitionBuilder Withdraw(DateOnly? on = null) =>
        Step(new Withdraw("问题已自行解决"), on ?? Today.AddDays(1), Actor.Petitioner);

    /// <summary>
    /// A valid command for <paramref name="action"/> on <paramref name="day"/> with the context it needs
    /// (review bodies for requests). Valid for the status the table allows the action from.
    /// </summary>
    public static (PetitionCommand Command, WorkflowContext Context) ValidCommand(PetitionAction action, DateOnly day)
    {
        var context = Context(day);
        PetitionCommand command = action switch
        {
            PetitionAction.Forward => new Forward(Units.Dept, "请依法处理"),
            PetitionAction.Assign => new Assign(Units.Dept, null, "交办"),
            PetitionAction.Object => new Xinfang.Domain.Petitions.Object("不属于本单位职权范围"),
            PetitionAction.Accept => new Accept(HandlingRoute.PetitionProcedure),
            PetitionAction.Decline => new Decline("应通过诉讼途径解决", Redirect.Litigation),
            PetitionAction.Extend => new Extend(15, "案情复杂", "王局长"),
            PetitionAction.Reply => new Reply(Decision.Support, "意见书", day),
            PetitionAction.RequestReview => new RequestReview(day, "不服", Units.ReviewBody),
            PetitionAction.ReviewDecision => new ReviewDecision(Decision.Explain, "复查意见", day),
            PetitionAction.RequestReReview => new RequestReReview(day, "不服", Units.ReReviewBody),
            PetitionAction.Hearing => new Hearing(day, day),
            PetitionAction.ReReviewDecision => new ReReviewDecision(Decision.NotSupport, "复核意见", day),
            PetitionAction.Close => new Close("办结"),
            PetitionAction.Withdraw => new Withdraw("撤回"),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        if (action == PetitionAction.RequestReview) context = context with { ReviewBodies = new HashSet<Guid> { Units.ReviewBody } };
        if (action == PetitionAction.RequestReReview) context = context with { ReviewBodies = new HashSet<Guid> { Units.ReReviewBody } };
        return (command, context);
    }

    /// <summary>
    /// The day a valid <paramref name="action"/> would be taken from the current status: the day after the
    /// last step, or for close of a replied/reviewed matter the day after the petitioner's window lapsed.
    /// </summary>
    public DateOnly DayFor(PetitionAction action) =>
        action == PetitionAction.Close && Petition.Status is PetitionStatus.Replied or PetitionStatus.Reviewed
            ? Petition.Clocks.Single(c => c.IsPetitionerWindow).DueOn.AddDays(1)
            : Today.AddDays(1);

    /// <summary>What must not change when a step is refused.</summary>
    public Snapshot Snap() => new(Petition.Version, Petition.LastEventSequence, Petition.Status, Petition.HoldingUnitId, [.. Petition.Clocks]);

    public sealed record Snapshot(int Version, int LastEventSequence, PetitionStatus Status, Guid HoldingUnitId, Clock[] Clocks);

    /// <summary>Asserts a refused step left the petition exactly as it was.</summary>
    public void ShouldBeUnchangedSince(Snapshot before)
    {
        Petition.Version.ShouldBe(before.Version);
        Petition.LastEventSequence.ShouldBe(before.LastEventSequence);
        Petition.Status.ShouldBe(before.Status);
        Petition.HoldingUnitId.ShouldBe(before.HoldingUnitId);
        Petition.Clocks.ShouldBe(before.Clocks);
    }
}
