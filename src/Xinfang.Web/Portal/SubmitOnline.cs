using Microsoft.EntityFrameworkCore;
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

/// <summary>A receipt kept (protected) beside its spent challenge, with a hash of the content it was given for.</summary>
public sealed record KeptReceipt(Receipt Receipt, string ContentHash);

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
        if (string.IsNullOrWhiteSpace(s.ChallengeAnswer)) errors["challengeAnswer"] = ["请回答验证问题"];
        if (errors.ContainsKey("regionCode")) errors["regionCode"] = ["请选择事项所在地"];
        // Listed in the order the form asks for them.
        errors = FormOrder.Where(errors.ContainsKey).Concat(errors.Keys.Except(FormOrder)).ToDictionary(k => k, k => errors[k]);
        if (errors.Count > 0) return (null, PortalError.Invalid(errors));
        var (nonce, expires, wrong) = challenges.Verify(s.ChallengeToken, s.ChallengeAnswer);
        if (wrong is not null) return (null, PortalError.Invalid("challengeAnswer", wrong));
        var contentHash = HashOf(s);
        if (await ReplayAsync(nonce!, contentHash, ct) is { } replay) return replay;

        var bureau = await ReceivingBureau.ForRegionAsync(db, s.RegionCode!, ct);
        try
        {
            Receipt? receipt = null;
            await register.PersistAsync(request, bureau, Actor.Petitioner, ct, async (p, code) =>
            {
                receipt = new Receipt(p.Number, code, p.ReceivedAt.ToOffset(TimeSpan.FromHours(8)), bureau.Name);
                // Saved with the petition or not at all: the token is spent exactly when a petition exists for it.
                db.UsedChallenges.Add(new UsedChallenge { Nonce = nonce!, ExpiresAt = expires, Receipt = challenges.ProtectReceipt(new KeptReceipt(receipt, contentHash)) });
                await attachments.SaveAsync(p.Id, files, Attachments.AttachmentSource.Portal, ct);
            });
            return (receipt, null);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            // The same form sent twice at once: the other request registered it; show its receipt.
            db.ChangeTracker.Clear();
            return await ReplayAsync(nonce!, contentHash, ct) ?? (null, PortalError.Invalid("challengeAnswer", "验证问题已使用过，请重新作答"));
        }
    }

    /// <summary>A form posted again with a spent token gets the receipt of the petition it already produced.</summary>
    /// <remarks>Only for the same content: a spent token sent with anything else is refused.</remarks>
    async Task<(Receipt?, PortalError?)?> ReplayAsync(string nonce, string contentHash, CancellationToken ct)
    {
        var used = await db.UsedChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.Nonce == nonce, ct);
        if (used is null) return null;
        return challenges.UnprotectReceipt(used.Receipt) is { } kept && kept.ContentHash == contentHash
            ? (kept.Receipt, null)
            : (null, PortalError.Invalid("challengeAnswer", "验证问题已使用过，请重新作答"));
    }

    static readonly string[] FormOrder =
        ["name", "idNumber", "phone", "address", "regionCode", "categoryCode", "type", "title", "request", "facts", "reasons", "attachments", "challengeAnswer"];

    static string HashOf(PublicSubmission s) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(s with { ChallengeAnswer = null }, Json.Options)));

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
