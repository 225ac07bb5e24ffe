using System.Security.Cryptography;
using System.Text;

namespace Xinfang.Web.Intake;

/// <summary>
/// The petitioner's query code: 10 characters of Crockford base32 from a cryptographic generator (50 bits),
/// stored only as a SHA-256 hash bound to the petition number.
/// </summary>
public static class QueryCodes
{
    const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 10);

    public static string Hash(string number, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(number + ":" + code.Trim().ToUpperInvariant())));

    public static bool Matches(string number, string code, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(number, code)), Encoding.ASCII.GetBytes(hash));
}
