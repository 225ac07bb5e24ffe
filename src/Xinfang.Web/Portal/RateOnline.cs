using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.FollowUp;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Portal;

public sealed record RatingRequest(string? QueryCode, string? Rating, string? Comment);

/// <summary>The petitioner rates the latest written answer online (Art. 21): once per answer, within its window.</summary>
public sealed class RateOnline(XinfangDb db, PetitionerAccess access, CalendarStore calendar, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<(PublicRating? Rating, PortalError? Error)> HandleAsync(string number, RatingRequest r, CancellationToken ct)
    {
        var level = RegisterPetition.ParseEnum<SatisfactionLevel>(r.Rating);
        if (level is null) return (null, PortalError.Invalid("rating", "请选择：满意、基本满意或不满意"));
        if (r.Comment?.Length > 1000) return (null, PortalError.Invalid("comment", "意见不超过1000字"));
        var (petition, error) = await access.OpenAsync(number, r.QueryCode, ct, track: false);
        if (petition is null) return (null, error);
        var rated = await db.SatisfactionRatings.Where(x => x.PetitionId == petition.Id).Select(x => x.Stage).ToListAsync(ct);
        var now = time.GetUtcNow();
        if (Satisfaction.CanRate(petition, ChinaTime.DateOf(now), rated, calendar.Deadlines, options.Value.RatingWindowDays) is { } refused)
            return (null, PortalError.Of(refused));
        var stage = Satisfaction.LatestAnswer(petition)!.Value.Stage;
        db.SatisfactionRatings.Add(new SatisfactionRating
        {
            PetitionId = petition.Id, Stage = stage, Level = level.Value, Comment = string.IsNullOrWhiteSpace(r.Comment) ? null : r.Comment.Trim(),
            Channel = RatingChannel.Portal, RecordedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            return (null, PortalError.Of(Satisfaction.AlreadyRated)); // a double click
        }
        return (new PublicRating(stage, level.Value, Satisfaction.NameOf(level.Value)), null);
    }
}
