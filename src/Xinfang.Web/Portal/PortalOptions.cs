namespace Xinfang.Web.Portal;

/// <summary>Public portal settings (section "Portal"). Abuse protection without any outside service.</summary>
public sealed class PortalOptions
{
    /// <summary>Online submissions allowed per address within <see cref="SubmitWindowMinutes"/>.</summary>
    public int SubmitsPerWindow { get; set; } = 5;
    public int SubmitWindowMinutes { get; set; } = 10;
    /// <summary>Portal requests of any kind per address per minute.</summary>
    public int RequestsPerMinute { get; set; } = 120;
    /// <summary>Wrong query codes for one number before that number is locked for <see cref="LockMinutes"/>.</summary>
    public int WrongCodesBeforeLock { get; set; } = 5;
    public int LockMinutes { get; set; } = 15;
    public int ChallengeMinutes { get; set; } = 20;
    /// <summary>Days after an answer's delivery within which it may be rated.</summary>
    public int RatingWindowDays { get; set; } = 30;
}
