using System.Text;
using Xinfang.Web.Cryptography;

namespace Xinfang.Web.Tests.Cryptography;

/// <summary>
/// The national algorithms as this machine's libcrypto computes them, against the standards' own examples:
/// SM3 from GB/T 32905-2016 Appendix A, SM4 from GB/T 32907-2016 Appendix A.
/// </summary>
public sealed class NationalCryptoTests
{
    static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    [Fact]
    public void Libcrypto_here_offers_sm3_and_sm4()
    {
        NationalCrypto.HasSm3.ShouldBeTrue();
        NationalCrypto.HasSm4.ShouldBeTrue();
    }

    [Theory]
    // GB/T 32905-2016 A.1: "abc".
    [InlineData("abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0")]
    // GB/T 32905-2016 A.2: "abcd" sixteen times (512 bits, two blocks after padding).
    [InlineData("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732")]
    public void Sm3_of_standard_message_equals_standard_digest(string message, string digest) =>
        NationalCrypto.Sm3(Encoding.ASCII.GetBytes(message)).ShouldBe(Hex(digest));

    [Fact]
    public void Sm4_of_standard_block_equals_standard_ciphertext()
    {
        // GB/T 32907-2016 A.1: key = plaintext = 0123456789abcdeffedcba9876543210.
        var key = Hex("01234567 89abcdef fedcba98 76543210");
        NationalCrypto.Sm4EncryptBlocks(key, key).ShouldBe(Hex("681edf34 d206965e 86b3e94f 536e4246"));
    }

    [Fact]
    public void Sm4_applied_a_million_times_equals_standard_ciphertext()
    {
        // GB/T 32907-2016 A.2: the same block encrypted 1,000,000 times under the same key.
        var key = Hex("01234567 89abcdef fedcba98 76543210");
        var block = key;
        for (var i = 0; i < 1_000_000; i++) block = NationalCrypto.Sm4EncryptBlocks(key, block);
        block.ShouldBe(Hex("595298c7 c6fd271f 0402f804 c33d3f66"));
    }

    [Fact]
    public void Sm4_counter_mode_round_trips_any_length_and_hides_the_text()
    {
        var key = Hex("01234567 89abcdef fedcba98 76543210");
        var iv = Hex("00010203 04050607 08090a0b 0c0d0e0f");
        foreach (var text in new[] { "", "3", "110101199003070012", "江苏省苏州市昆山市玉山镇人民路 100 号 3 幢 502 室" })
        {
            var plain = Encoding.UTF8.GetBytes(text);
            var sealed_ = NationalCrypto.Sm4CounterMode(key, iv, plain);
            sealed_.Length.ShouldBe(plain.Length);
            if (plain.Length > 0) sealed_.ShouldNotBe(plain);
            NationalCrypto.Sm4CounterMode(key, iv, sealed_).ShouldBe(plain);
        }
    }

    [Fact]
    public void Sm4_counter_mode_first_block_is_sm4_of_the_counter()
    {
        // CTR's definition: C1 = P1 XOR SM4(K, IV). Checked against the block cipher itself (the standard's vector above).
        var key = Hex("01234567 89abcdef fedcba98 76543210");
        var iv = Hex("00010203 04050607 08090a0b 0c0d0e0f");
        var plain = Hex("aaaaaaaa aaaaaaaa bbbbbbbb bbbbbbbb");
        var keystream = NationalCrypto.Sm4EncryptBlocks(key, iv);
        NationalCrypto.Sm4CounterMode(key, iv, plain).ShouldBe(plain.Zip(keystream, (p, k) => (byte)(p ^ k)).ToArray());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(100)] // longer than SM3's 64-byte block: the key is hashed first (RFC 2104)
    public void Hmac_sm3_equals_rfc2104_built_from_sm3(int keyLength)
    {
        var key = Enumerable.Range(0, keyLength).Select(i => (byte)(i * 7 + 1)).ToArray();
        var message = Encoding.UTF8.GetBytes("信访事项 110101199003070012");
        var k = key.Length > 64 ? NationalCrypto.Sm3(key) : key;
        var padded = new byte[64];
        k.CopyTo(padded, 0);
        var inner = NationalCrypto.Sm3(padded.Select(b => (byte)(b ^ 0x36)).Concat(message).ToArray());
        var expected = NationalCrypto.Sm3(padded.Select(b => (byte)(b ^ 0x5c)).Concat(inner).ToArray());

        NationalCrypto.HmacSm3(key, message).ShouldBe(expected);
    }
}
