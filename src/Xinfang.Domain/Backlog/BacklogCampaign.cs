using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Backlog;

/// <summary>
/// What makes a matter a backlog case (信访积案) for one campaign (domain.md, "Supervision and accountability"):
/// repeatedly petitioned, open too long, or still petitioned after final closure (终结, Art. 36 ¶3). A matter
/// meeting any one of the criteria set is a candidate; at least one must be set.
/// </summary>
public sealed record CampaignCriteria(int? MinRepeats = null, int? OpenLongerThanDays = null, bool PetitioningAfterFinal = false)
{
    public const int MaxDays = 36_500;
    public const int MaxRepeats = 1_000;

    public bool IsEmpty => MinRepeats is null && OpenLongerThanDays is null && !PetitioningAfterFinal;

    /// <summary>Field errors, keyed by the JSON path of the request.</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (IsEmpty) yield return ("criteria", "请至少设置一项积案条件（重复信访次数、办理超过天数或终结后仍信访）");
        if (MinRepeats is < 1 or > MaxRepeats) yield return ("criteria.minRepeats", $"重复信访次数应在1到{MaxRepeats}之间");
        if (OpenLongerThanDays is < 1 or > MaxDays) yield return ("criteria.openLongerThanDays", $"天数应在1到{MaxDays}之间");
    }
}

/// <summary>
/// A backlog campaign (积案化解专项工作): a named period in which a unit lists long-running or repeat matters of its
/// subtree, each with an owner, and works them off through report, audit, strike-off and re-check.
/// </summary>
public sealed class BacklogCampaign
{
    public const int MaxName = 100;

    public Guid Id { get; private set; } = Guid.NewGuid();
    public string Name { get; private set; } = "";
    /// <summary>The owning unit: the campaign covers the matters of its subtree.</summary>
    public Guid UnitId { get; private set; }
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public int? MinRepeats { get; private set; }
    public int? OpenLongerThanDays { get; private set; }
    public bool PetitioningAfterFinal { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid CreatedByUserId { get; private set; }
    public int Version { get; private set; }

    BacklogCampaign() { }

    public CampaignCriteria Criteria => new(MinRepeats, OpenLongerThanDays, PetitioningAfterFinal);

    /// <summary>A new campaign, or the field errors of the request.</summary>
    public static (BacklogCampaign? Campaign, IReadOnlyList<(string Field, string Message)> Errors) Create(
        string? name, Guid unitId, DateOnly? startsOn, DateOnly? endsOn, CampaignCriteria criteria, Guid createdBy, DateTimeOffset now)
    {
        var errors = new List<(string, string)>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) errors.Add(("name", "请填写专项工作名称"));
        else if (trimmed.Length > MaxName) errors.Add(("name", $"名称不超过{MaxName}个字"));
        if (startsOn is null) errors.Add(("startsOn", "请填写开始日期"));
        if (endsOn is null) errors.Add(("endsOn", "请填写结束日期"));
        if (startsOn is { } s && endsOn is { } e && e < s) errors.Add(("endsOn", "结束日期不能早于开始日期"));
        errors.AddRange(criteria.Problems());
        if (errors.Count > 0) return (null, errors);
        return (new BacklogCampaign
        {
            Name = trimmed, UnitId = unitId, StartsOn = startsOn!.Value, EndsOn = endsOn!.Value,
            MinRepeats = criteria.MinRepeats, OpenLongerThanDays = criteria.OpenLongerThanDays, PetitioningAfterFinal = criteria.PetitioningAfterFinal,
            CreatedAt = now, CreatedByUserId = createdBy,
        }, errors);
    }

    /// <summary>Matters are listed while the campaign runs; work on listed ones (reports, audits, re-checks) goes on after its end.</summary>
    public WorkflowError? CanList(DateOnly today) =>
        today > EndsOn ? BacklogErrors.CampaignEnded : null;
}

/// <summary>The campaign's figures (domain.md, "Measures": 积案化解率 = struck off ÷ listed).</summary>
public sealed record BacklogProgress(int Listed, int Reported, int StruckOff, int SentBack, int Relapsed, int RechecksDue)
{
    /// <summary>积案化解率 in [0, 1]; null while nothing is listed (no rate to speak of, rather than 0 %).</summary>
    public double? ResolutionRate => BacklogMeasures.ResolutionRate(StruckOff, Listed);
}

/// <summary>The backlog measures, in one place (domain.md, "Measures").</summary>
public static class BacklogMeasures
{
    /// <summary>积案化解率 = backlog struck off ÷ backlog listed.</summary>
    public static double? ResolutionRate(int struckOff, int listed) => listed == 0 ? null : (double)struckOff / listed;
}
