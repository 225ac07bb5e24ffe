using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xinfang.Web.Cryptography;

namespace Xinfang.Web.Tests.Cryptography;

/// <summary>
/// The envelope of one personal value (Cryptography/PersonalDataCipher) and the key ring it reads
/// (PersonalDataKeys), without a store: round trips under SM4 and AES-GCM, any altered byte refused, the column
/// bound in, blind indexes stable per key and field, the key file created owner-only.
/// </summary>
public sealed class PersonalDataCipherTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("xinfang-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    PersonalDataCipher Cipher(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["PersonalData:KeyFile"] = Path.Combine(_folder, "keys.json") };
        foreach (var (k, v) in settings) all[k] = v;
        return new PersonalDataCipher(new ConfigurationBuilder().AddInMemoryCollection(all).Build(), NullLogger<PersonalDataCipher>.Instance);
    }

    const string Column = PersonalDataColumns.IdNumber;
    const string IdNumber = "11010519491231002X";

    [Fact]
    public void Protecting_with_sm4_when_libcrypto_has_it_round_trips_and_hides_the_value()
    {
        NationalCrypto.HasSm4.ShouldBeTrue("this machine's libcrypto.so.3 should offer SM4");
        var cipher = Cipher();
        cipher.Algorithm.ShouldBe(PersonalDataAlgorithm.Sm4);
        var a = cipher.Protect(IdNumber, Column);
        var b = cipher.Protect(IdNumber, Column);
        a.ShouldStartWith("s4:d1:");
        a.ShouldNotContain(IdNumber);
        a.ShouldNotBe(b); // a fresh IV each time
        cipher.Unprotect(a, Column).ShouldBe(IdNumber);
        cipher.Unprotect(b, Column).ShouldBe(IdNumber);
        cipher.Unprotect(cipher.Protect("昆山市玉山镇阳光花园3栋201室", PersonalDataColumns.Address), PersonalDataColumns.Address).ShouldBe("昆山市玉山镇阳光花园3栋201室");
    }

    [Fact]
    public void Protecting_with_aes_gcm_when_configured_round_trips_and_sm4_envelopes_stay_readable()
    {
        var sm4 = Cipher().Protect(IdNumber, Column);
        var aes = Cipher(("PersonalData:Algorithm", "aes-gcm"));
        aes.Algorithm.ShouldBe(PersonalDataAlgorithm.AesGcm);
        var envelope = aes.Protect(IdNumber, Column);
        envelope.ShouldStartWith("ag:d1:");
        aes.Unprotect(envelope, Column).ShouldBe(IdNumber);
        aes.Unprotect(sm4, Column).ShouldBe(IdNumber); // same key file: a store moved between machines
        Cipher().Unprotect(envelope, Column).ShouldBe(IdNumber);
    }

    [Theory]
    [InlineData("sm4")]
    [InlineData("aes-gcm")]
    public void Unprotecting_when_any_byte_of_the_envelope_was_altered_fails_with_an_integrity_error(string algorithm)
    {
        var cipher = Cipher(("PersonalData:Algorithm", algorithm));
        var envelope = cipher.Protect(IdNumber, Column);
        var header = envelope[..(envelope.LastIndexOf(':') + 1)];
        var body = Convert.FromBase64String(envelope[header.Length..]);
        for (var i = 0; i < body.Length; i++)
        {
            var altered = (byte[])body.Clone();
            altered[i] ^= 0x01;
            var e = Should.Throw<PersonalDataUnreadable>(() => cipher.Unprotect(header + Convert.ToBase64String(altered), Column));
            e.Message.ShouldContain("integrity check");
        }
        Should.Throw<PersonalDataUnreadable>(() => cipher.Unprotect(header + Convert.ToBase64String(body[..^1]), Column));
        // Copied into another column, a value does not verify either.
        Should.Throw<PersonalDataUnreadable>(() => cipher.Unprotect(envelope, PersonalDataColumns.Phone)).Message.ShouldContain("integrity check");
    }

    [Fact]
    public void Unprotecting_a_clear_value_or_an_unknown_key_fails_saying_why()
    {
        var cipher = Cipher();
        Should.Throw<PersonalDataUnreadable>(() => cipher.Unprotect(IdNumber, Column)).Message.ShouldContain("not encrypted");
        var envelope = cipher.Protect(IdNumber, Column);
        Should.Throw<PersonalDataUnreadable>(() => cipher.Unprotect("s4:d9:" + envelope[6..], Column)).Message.ShouldContain("'d9'");
    }

    [Fact]
    public void Unprotecting_with_another_key_of_the_same_id_fails_the_integrity_check()
    {
        var envelope = Cipher().Protect(IdNumber, Column);
        var other = new PersonalDataCipher(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PersonalData:Keys:0:Id"] = "d1", ["PersonalData:Keys:0:Use"] = "data", ["PersonalData:Keys:0:Active"] = "true",
            ["PersonalData:Keys:0:Material"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PersonalData:Keys:1:Id"] = "b1", ["PersonalData:Keys:1:Use"] = "blind-index", ["PersonalData:Keys:1:Active"] = "true",
            ["PersonalData:Keys:1:Material"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build(), NullLogger<PersonalDataCipher>.Instance);
        other.Keys.File.ShouldBeNull();
        Should.Throw<PersonalDataUnreadable>(() => other.Unprotect(envelope, Column)).Message.ShouldContain("integrity check");
    }

    [Fact]
    public void Computing_blind_indexes_is_stable_per_key_and_differs_per_field_and_per_key()
    {
        var cipher = Cipher();
        var again = Cipher(); // the same key file
        var index = cipher.ActiveBlindIndex("id_number", IdNumber);
        index.Length.ShouldBe(32);
        again.ActiveBlindIndex("id_number", IdNumber).ShouldBe(index);
        cipher.BlindIndexes("id_number", IdNumber).ShouldBe([index]);
        cipher.ActiveBlindIndex("phone", IdNumber).ShouldNotBe(index);
        cipher.ActiveBlindIndex("id_number", "110105194912310029").ShouldNotBe(index);
        // HMAC-SM3 under the derived sub-key, truncated: not the plain SM3 of the value.
        index.ShouldNotBe(Convert.ToHexStringLower(NationalCrypto.Sm3(System.Text.Encoding.UTF8.GetBytes(IdNumber)).AsSpan(0, 16)));

        var rotated = cipher.Keys.With(cipher.Keys.NewKey(KeyUse.BlindIndex, BlindIndexAlgorithm.HmacSm3, DateTimeOffset.UtcNow));
        rotated.Save();
        cipher.Reload();
        var both = cipher.BlindIndexes("id_number", IdNumber);
        both.Count.ShouldBe(2);
        both[1].ShouldBe(index); // the old key's index is still looked up, after the new one
        both[0].ShouldNotBe(index);
        cipher.ActiveBlindIndex("id_number", IdNumber).ShouldBe(both[0]);
    }

    [Fact]
    public void Starting_without_a_key_file_creates_one_readable_by_its_owner_only_with_one_active_key_per_use()
    {
        var file = Path.Combine(_folder, "keys.json");
        File.Exists(file).ShouldBeFalse();
        var cipher = Cipher();
        File.Exists(file).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        var keys = json["keys"]!.AsArray();
        keys.Count.ShouldBe(2);
        keys.Select(k => k!["use"]!.GetValue<string>()).ShouldBe(["data", "blind-index"], ignoreOrder: true);
        keys.All(k => k!["active"]!.GetValue<bool>()).ShouldBeTrue();
        Convert.FromBase64String(keys[0]!["material"]!.GetValue<string>()).Length.ShouldBe(32);
        cipher.Keys.ActiveData.Id.ShouldBe("d1");
        cipher.Keys.ActiveBlindIndex.Id.ShouldBe("b1");
    }

    [Fact]
    public void Loading_keys_when_two_are_active_for_one_use_refuses_to_start()
    {
        var material = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var e = Should.Throw<InvalidOperationException>(() => Cipher(
            ("PersonalData:Keys:0:Id", "d1"), ("PersonalData:Keys:0:Active", "true"), ("PersonalData:Keys:0:Material", material),
            ("PersonalData:Keys:1:Id", "d2"), ("PersonalData:Keys:1:Active", "true"), ("PersonalData:Keys:1:Material", material),
            ("PersonalData:Keys:2:Id", "b1"), ("PersonalData:Keys:2:Use", "blind-index"), ("PersonalData:Keys:2:Active", "true"), ("PersonalData:Keys:2:Material", material)));
        e.Message.ShouldContain("2 active data keys");
    }
}
