using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Portal;

/// <summary>An online petition (网上信访) as the public submits it: one petitioner or anonymous, the Art. 19 content in three parts.</summary>
public sealed record PublicSubmission(
    bool? Anonymous, string? Name, string? IdNumber, string? Phone, string? Address,
    string? Title, string? Request, string? Facts, string? Reasons, string? RegionCode, string? CategoryCode, string? Type,
    string? ChallengeToken, string? ChallengeAnswer);

public sealed record Receipt(string Number, string QueryCode, DateTimeOffset ReceivedAt, string ReceivingUnitName);

/// <summary>Registers an online petition with the petition bureau of its region, after the challenge is answered.</summary>
public sealed class SubmitOnline(XinfangDb db, RegisterPetition register, Challenges challenges, Attachments.AttachmentStore attachments, TimeProvider time)
{
    public async Task<(Receipt? Receipt, PortalError? Error)> HandleAsync(PublicSubmission s, CancellationToken ct, IReadOnlyList<IFormFile>? files = null)
    {
        files ??= [];
        var anonymous = s.Anonymous ?? false;
        var request = new RegisterPetitionRequest(
            Channel: "online", ReceivedAt: null,
            Petitioners: anonymous ? [] : [new PetitionerInput(s.Name, s.IdNumber, s.Phone, s.Address, false)],
            Anonymous: anonymous, Headcount: anonymous ? 0 : 1, Title: s.Title, Content: null,
            Request: s.Request, Facts: s.Facts, Reasons: s.Reasons, RegionCode: s.RegionCode, CategoryCode: Blank(s.CategoryCode),
            Type: Blank(s.Type) ?? "claim", Accused: null, Urgent: null, Litigation: null, SkipLevel: null, RepeatOf: null);
        var errors = RegisterPetition.Validate(request, time.GetUtcNow());
        // The portal asks for each part of Art. 19 separately.
        if (string.IsNullOrWhiteSpace(s.Facts)) errors["facts"] = ["请写明事实经过（条例第十九条）"];
        if (string.IsNullOrWhiteSpace(s.Reasons)) errors["reasons"] = ["请写明理由（条例第十九条）"];
        if (errors.Remove("content", out var content)) errors["request"] = string.IsNullOrWhiteSpace(s.Request) ? ["请写明您的信访请求（条例第十九条）"] : content;
        if (!anonymous && string.IsNullOrWhiteSpace(s.Phone)) errors["phone"] = ["请填写联系电话，便于告知办理情况"];
        foreach (var key in errors.Keys.Where(k => k.StartsWith("petitioners[0].", StringComparison.Ordinal)).ToList())
            errors[key["petitioners[0].".Length..]] = errors[key];
        foreach (var key in errors.Keys.Where(k => k.StartsWith("petitioners", StringComparison.Ordinal)).ToList()) errors.Remove(key);
        if (await attachments.CheckAsync(files, ct) is { Count: > 0 } fileErrors) errors["attachments"] = [.. fileErrors];
        if (errors.Count > 0) return (null, PortalError.Invalid(errors));
        if (await challenges.CheckAsync(s.ChallengeToken, s.ChallengeAnswer, ct) is { } wrong) return (null, PortalError.Invalid("challengeAnswer", wrong));

        var bureau = await ReceivingBureau.ForRegionAsync(db, s.RegionCode!, ct);
        var (petition, code) = await register.PersistAsync(request, bureau, Actor.Petitioner, ct,
            async (p, _) => await attachments.SaveAsync(p.Id, files, Attachments.AttachmentSource.Portal, ct));
        return (new Receipt(petition.Number, code, petition.ReceivedAt.ToOffset(TimeSpan.FromHours(8)), bureau.Name), null);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
