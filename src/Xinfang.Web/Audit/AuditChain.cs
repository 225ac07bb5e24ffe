using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Xinfang.Web.Cryptography;

namespace Xinfang.Web.Audit;

/// <summary>
/// The chain's arithmetic: a row's canonical encoding and its hash. The encoding is every field in a fixed
/// order, each as a 4-byte big-endian length and its UTF-8 bytes (null: length 0xFFFFFFFF), so no two
/// different rows encode alike; the previous row's hash is the last field. SM3 (GB/T 32905, 密码法 and
/// GB/T 39786 for 商用密码) where libcrypto has it, SHA-256 otherwise, named on every row.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first row of a chain that has never been purged.</summary>
    public static readonly string Genesis = new('0', 64);

    public const string Sm3 = "sm3";
    public const string Sha256 = "sha256";
    const string Format = "xinfang-audit/1";

    public static string PreferredAlgorithm => NationalCrypto.HasSm3 ? Sm3 : Sha256;

    public static bool CanCompute(string algorithm) => algorithm == Sha256 || (algorithm == Sm3 && NationalCrypto.HasSm3);

    /// <summary>The hash <paramref name="e"/> must carry, from its fields and its previous hash.</summary>
    public static string HashOf(AuditEntry e)
    {
        var bytes = Canonical(e);
        var digest = e.Algorithm switch
        {
            Sm3 => NationalCrypto.Sm3(bytes),
            Sha256 => SHA256.HashData(bytes),
            _ => throw new InvalidOperationException($"Unknown audit hash algorithm '{e.Algorithm}'."),
        };
        return Convert.ToHexStringLower(digest);
    }

    public static byte[] Canonical(AuditEntry e)
    {
        var fields = new[]
        {
            Format,
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.ActorKind,
            e.ActorUserId?.ToString("D"),
            e.ActorUserName,
            e.ActorUnitId?.ToString("D"),
            e.ClientAddress,
            e.Action,
            e.TargetKind,
            e.TargetId,
            e.Detail,
            e.Algorithm,
            e.PreviousHash,
        };
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            if (field is null)
            {
                BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
                buffer.Write(length);
                continue;
            }
            var utf8 = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)utf8.Length);
            buffer.Write(length);
            buffer.Write(utf8);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// PostgreSQL keeps microseconds, SQLite ticks: a time is cut to whole microseconds before it is hashed and
    /// stored, so the value read back hashes alike on both.
    /// </summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}
