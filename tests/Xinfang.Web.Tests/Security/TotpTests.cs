using System.Security.Cryptography;
using System.Text;

namespace Xinfang.Web.Tests.Security;

/// <summary>The tests' TOTP against RFC 6238 Appendix B, so the two-factor tests sign in with codes a real app would show.</summary>
public sealed class TotpTests
{
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Computing_codes_for_the_RFC_6238_test_vectors_gives_the_published_values(long unixTime, string sha1, string sha256, string sha512)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixTime);
        Totp.Code(Encoding.ASCII.GetBytes("12345678901234567890"), time, 8).ShouldBe(sha1);
        Totp.Code(Encoding.ASCII.GetBytes("12345678901234567890123456789012"), time, 8, HashAlgorithmName.SHA256).ShouldBe(sha256);
        Totp.Code(Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234"), time, 8, HashAlgorithmName.SHA512).ShouldBe(sha512);
    }

    [Fact]
    public void Decoding_a_grouped_lower_case_base32_key_gives_its_bytes()
    {
        // RFC 4648 section 10: BASE32("foobar") = "MZXW6YTBOI======".
        Totp.Base32("mzxw 6ytb oi").ShouldBe(Encoding.ASCII.GetBytes("foobar"));
    }
}
