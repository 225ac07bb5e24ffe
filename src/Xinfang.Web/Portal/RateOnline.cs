using Xinfang.Domain.Petitions;
using Xinfang.Web.FollowUp;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Portal;

public sealed record RatingRequest(string? QueryCode, string? Rating, string? Comment);

/// <summary>The petitioner rates the latest written answer online (Art. 21): once per answer, within its window.</summary>
public sealed class RateOnline(PetitionerAccess access, Ratings ratings, Petitions.PetitionWorkflow workflow, TimeProvider time)
{
    public async Task<(PublicRating? Rating, PortalError? Error)> HandleAsync(string number, RatingRequest r, CancellationToken ct)
    {
        var level = RegisterPetition.ParseEnum<SatisfactionLevel>(r.Rating);
        if (level is null) return (null, PortalError.Invalid("rating", "请选择：满意、基本满意或不满意"));
        if (r.Comment?.Length > 1000) return (null, PortalError.Invalid("comment", "意见不超过1000字"));
        var (petition, error) = await access.OpenAsync(number, r.QueryCode, ct);
        if (petition is null) return (null, error);
        // The same rule and the same store as a rating staff record on a follow-up call (FollowUp/Ratings).
        var (rating, e, refused) = await ratings.AddAsync(petition, level.Value, r.Comment, RatingChannel.Portal, Actor.Petitioner, time.GetUtcNow(), ct);
        if (refused is not null) return (null, PortalError.Of(refused));
        if (await workflow.SaveStepAsync(petition, e!, ct) != Petitions.PetitionWorkflow.StepSaved.Saved)
            return (null, await ratings.RatedMeanwhileAsync(petition.Id, rating!.Stage, ct)
                ? PortalError.Of(Satisfaction.AlreadyRated) // a double click, or staff recorded it meanwhile
                : new PortalError(409, "concurrent-change", "事项状态刚刚发生变化，请刷新后重试"));
        var stage = rating!.Stage;
        return (new PublicRating(stage, level.Value, Satisfaction.NameOf(level.Value)), null);
    }
}
