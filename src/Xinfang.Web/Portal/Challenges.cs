using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Xinfang.Web.Data;

namespace Xinfang.Web.Portal;

public sealed record Challenge(string Token, string Question);

/// <summary>
/// A server-generated challenge for online submission: a small sum in Chinese, readable by screen readers,
/// answered once. The token carries the answer protected by the store's data-protection keys (so any node can
/// check it) and expires; its nonce is recorded when used, so it cannot be replayed.
/// </summary>
public sealed class Challenges(IDataProtectionProvider protection, TimeProvider time, IOptions<PortalOptions> options)
{
    static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    // The expiry travels inside the protected payload and is checked against the server's clock (controllable in tests and training).
    readonly IDataProtector _protector = protection.CreateProtector("Xinfang.Portal.Challenge");

    public Challenge Issue()
    {
        var a = RandomNumberGenerator.GetInt32(1, 10);
        var b = RandomNumberGenerator.GetInt32(1, 10);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow().AddMinutes(options.Value.ChallengeMinutes).ToUnixTimeSeconds();
        var token = _protector.Protect($"{a + b}|{nonce}|{expires}");
        return new Challenge(token, $"{Digits[a]}加{Digits[b]}等于几？（请填写阿拉伯数字）");
    }

    /// <summary>The nonce and expiry of a fresh token answered right; otherwise the Chinese reason. Whether it was used is the caller's to check.</summary>
    public (string? Nonce, DateTimeOffset Expires, string? Error) Verify(string? token, string? answer)
    {
        if (string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(answer)) return (null, default, "请回答验证问题");
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return (null, default, "验证问题无效，请重新作答");
        }
        var parts = payload.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[2], out var unix)) return (null, default, "验证问题无效，请重新作答");
        var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
        if (time.GetUtcNow() > expires) return (null, default, "验证问题已过期，请重新作答");
        if (parts[0] != answer.Trim()) return (null, default, "验证问题回答不正确");
        return (parts[1], expires, null);
    }

    /// <summary>Protects a receipt for keeping beside its used challenge (it carries the query code).</summary>
    public string ProtectReceipt(KeptReceipt r) => _receipts.Protect(System.Text.Json.JsonSerializer.Serialize(r, Json.Options));

    public KeptReceipt? UnprotectReceipt(string? protectedReceipt)
    {
        if (protectedReceipt is null) return null;
        try { return System.Text.Json.JsonSerializer.Deserialize<KeptReceipt>(_receipts.Unprotect(protectedReceipt), Json.Options); }
        catch (CryptographicException) { return null; }
    }

    readonly IDataProtector _receipts = protection.CreateProtector("Xinfang.Portal.Receipt");
}
