using Xinfang.Domain.Petitions;
using Xinfang.Web.Handling;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Review;

/// <summary>The review body's written answer (Art. 35) and the re-review body's, which closes the matter for good (Art. 36 ¶3).</summary>
public static class DecideReview
{
    public static StepInput Review(OpinionRequest r) => ReplyToPetition.Opinion(r, (d, text, on) => new ReviewDecision(d, text, on));

    public static StepInput ReReview(OpinionRequest r) => ReplyToPetition.Opinion(r, (d, text, on) => new ReReviewDecision(d, text, on));
}
