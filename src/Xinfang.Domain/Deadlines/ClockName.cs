namespace Xinfang.Domain.Deadlines;

/// <summary>The named statutory clocks of api.md.</summary>
public enum ClockName
{
    /// <summary>Petition bureau registers and disposes: 15 days from receipt (Art. 22).</summary>
    Dispose,
    /// <summary>Receiving unit tells the petitioner how it will be handled: 15 days (Art. 23 ¶2, ¶3).</summary>
    Notify,
    /// <summary>A unit receiving a forwarded or assigned matter may object: 5 working days (Art. 23 ¶3).</summary>
    Objection,
    /// <summary>Assigned matter: report the result by the date the assigning bureau set (Art. 22 (3)).</summary>
    Report,
    /// <summary>Handle and issue the written opinion: 60 days from acceptance, once extendable by ≤ 30 (Art. 34).</summary>
    Handle,
    /// <summary>The petitioner may request review: 30 days from receipt of the opinion (Art. 35).</summary>
    ReviewRequest,
    /// <summary>The review body answers: 30 days from receipt of the request (Art. 35).</summary>
    Review,
    /// <summary>The petitioner may request re-review: 30 days from receipt of the review opinion (Art. 36).</summary>
    ReReviewRequest,
    /// <summary>The re-review body answers: 30 days, hearing time not counted (Art. 36).</summary>
    ReReview,
}

public enum ClockState { Running, Paused }

public enum Warning { None, Yellow, Red }
