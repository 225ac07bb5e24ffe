using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Xinfang.Web.Cryptography;

/// <summary>The cipher that protects personal data at rest.</summary>
public enum PersonalDataAlgorithm
{
    /// <summary>SM4-CTR then HMAC-SM3 over the whole envelope (encrypt-then-MAC; OpenSSL 3.0 has no SM4-GCM).</summary>
    Sm4,
    /// <summary>AES-256-GCM: where libcrypto lacks SM4 or SM3, or when configured (PersonalData:Algorithm=aes-gcm).</summary>
    AesGcm,
}

/// <summary>
/// Encrypts and decrypts single personal-data values into a compact text envelope, and computes their blind
/// indexes. Envelopes:
/// <list type="bullet">
/// <item><c>s4:&lt;key id&gt;:&lt;base64(IV₁₆ ‖ SM4-CTR ciphertext ‖ HMAC-SM3₃₂)&gt;</c>, the MAC taken over
/// "s4:&lt;key id&gt;:&lt;column&gt;" ‖ IV ‖ ciphertext;</item>
/// <item><c>ag:&lt;key id&gt;:&lt;base64(nonce₁₂ ‖ AES-256-GCM ciphertext ‖ tag₁₆)&gt;</c>, the same header as
/// associated data.</item>
/// </list>
/// The prefix names the version and the algorithm, so both kinds are read whichever is in force (a store moved
/// between machines). The column is bound into the MAC, so a value copied into another column does not verify.
/// Each master key derives its own sub-key per purpose (HMAC with a label): SM4 encryption, HMAC-SM3 MAC,
/// AES-GCM encryption, one blind-index key per field.
/// </summary>
public sealed class PersonalDataCipher
{
    public const string Sm4Prefix = "s4";
    public const string AesGcmPrefix = "ag";
    const int TagLength = NationalCrypto.Sm3Length;
    const int GcmNonce = 12, GcmTag = 16;
    /// <summary>Blind indexes keep 16 of HMAC's 32 bytes (hex): collisions stay negligible, the indexes stay small.</summary>
    const int BlindIndexBytes = 16;

    readonly TimeSpan _reloadEvery;
    readonly ILogger _log;
    volatile State _state;
    DateTime _checkedAt;

    public PersonalDataAlgorithm Algorithm { get; }
    /// <summary>Names too are encrypted (PersonalData:EncryptNames); their blind index exists either way.</summary>
    public bool EncryptNames { get; }

    public PersonalDataCipher(IConfiguration config, ILogger<PersonalDataCipher> log)
    {
        _log = log;
        var asked = (config["PersonalData:Algorithm"] ?? "auto").Trim().ToLowerInvariant();
        var national = NationalCrypto.HasSm4 && NationalCrypto.HasSm3;
        Algorithm = asked switch
        {
            "auto" or "" => national ? PersonalDataAlgorithm.Sm4 : PersonalDataAlgorithm.AesGcm,
            "sm4" => national ? PersonalDataAlgorithm.Sm4 : throw new InvalidOperationException("PersonalData:Algorithm=sm4, but libcrypto.so.3 offers no SM4/SM3 on this machine."),
            "aes-gcm" => PersonalDataAlgorithm.AesGcm,
            _ => throw new InvalidOperationException($"PersonalData:Algorithm '{asked}' is none of auto, sm4, aes-gcm."),
        };
        EncryptNames = config.GetValue("PersonalData:EncryptNames", false);
        _reloadEvery = TimeSpan.FromSeconds(config.GetValue("PersonalData:ReloadSeconds", 5.0));
        var keys = PersonalDataKeys.Load(config, NationalCrypto.HasSm3 ? BlindIndexAlgorithm.HmacSm3 : BlindIndexAlgorithm.HmacSha256, out var created);
        if (created)
            log.LogWarning("Created the personal-data key file {File} (owner-only permissions). Back it up with the database: without it the petitioners' identity numbers, phones and addresses cannot be read.", keys.File);
        _state = new State(keys, Stamp(keys.File));
        _checkedAt = DateTime.UtcNow;
        CheckBlindIndexAlgorithms(keys);
        log.LogInformation("Personal data at rest: {Algorithm}, data key {DataKey}, blind-index key {BlindKey} ({BlindAlgorithm}), keys from {Source}{Names}.",
            Algorithm == PersonalDataAlgorithm.Sm4 ? "SM4-CTR + HMAC-SM3 (libcrypto.so.3)" : national ? "AES-256-GCM (configured)" : "AES-256-GCM (SM4/SM3 not available in libcrypto.so.3 here)",
            keys.ActiveData.Id, keys.ActiveBlindIndex.Id, keys.ActiveBlindIndex.Algorithm == BlindIndexAlgorithm.HmacSm3 ? "HMAC-SM3" : "HMAC-SHA256",
            keys.File ?? "configuration", EncryptNames ? ", names encrypted too" : "");
    }

    /// <summary>The key ring in force (re-read from its file when that changed, at most every PersonalData:ReloadSeconds).</summary>
    public PersonalDataKeys Keys
    {
        get
        {
            Refresh(force: false);
            return _state.Keys;
        }
    }

    /// <summary>Encrypts <paramref name="plain"/> for <paramref name="column"/> under the active data key.</summary>
    public string Protect(string plain, string column)
    {
        var state = Current();
        var key = state.Keys.ActiveData;
        var data = Encoding.UTF8.GetBytes(plain);
        if (Algorithm == PersonalDataAlgorithm.Sm4)
        {
            var header = $"{Sm4Prefix}:{key.Id}:";
            var iv = RandomNumberGenerator.GetBytes(NationalCrypto.Sm4BlockLength);
            var cipher = NationalCrypto.Sm4CounterMode(state.Derived(key, "sm4-ctr encryption", 16), iv, data);
            var body = new byte[iv.Length + cipher.Length + TagLength];
            iv.CopyTo(body, 0);
            cipher.CopyTo(body, iv.Length);
            Sm4Tag(state, key, header, column, body.AsSpan(0, iv.Length + cipher.Length)).CopyTo(body, iv.Length + cipher.Length);
            return header + Convert.ToBase64String(body);
        }
        else
        {
            var header = $"{AesGcmPrefix}:{key.Id}:";
            var body = new byte[GcmNonce + data.Length + GcmTag];
            RandomNumberGenerator.Fill(body.AsSpan(0, GcmNonce));
            using var aes = new AesGcm(state.Derived(key, "aes-256-gcm encryption", 32), GcmTag);
            aes.Encrypt(body.AsSpan(0, GcmNonce), data, body.AsSpan(GcmNonce, data.Length), body.AsSpan(GcmNonce + data.Length), Encoding.UTF8.GetBytes(header + column));
            return header + Convert.ToBase64String(body);
        }
    }

    /// <summary>
    /// The clear value of an envelope read from <paramref name="column"/>. Throws <see cref="PersonalDataUnreadable"/>
    /// when it is no envelope, its key is unknown, or it fails verification (altered outside the application).
    /// </summary>
    public string Unprotect(string envelope, string column)
    {
        if (!TryParse(envelope, out var prefix, out var keyId, out var body))
            throw new PersonalDataUnreadable($"{column} holds a value that is not encrypted personal data (altered outside the application, or a store not upgraded: run `xinfang migrate`).");
        var state = Current();
        var key = state.Keys.Find(keyId);
        if (key is null || key.Use != KeyUse.Data)
        {
            Refresh(force: true); // a rotation in another process may have added it
            state = _state;
            key = state.Keys.Find(keyId);
            if (key is null || key.Use != KeyUse.Data)
                throw new PersonalDataUnreadable($"{column} is encrypted under key '{keyId}', which is not in the personal-data key ring ({state.Keys.File ?? "configuration"}).");
        }
        var header = $"{prefix}:{keyId}:";
        if (prefix == Sm4Prefix)
        {
            if (body.Length < NationalCrypto.Sm4BlockLength + TagLength) throw Tampered(column, keyId);
            var signed = body.AsSpan(0, body.Length - TagLength);
            if (!CryptographicOperations.FixedTimeEquals(Sm4Tag(state, key, header, column, signed), body.AsSpan(body.Length - TagLength)))
                throw Tampered(column, keyId);
            var clear = NationalCrypto.Sm4CounterMode(state.Derived(key, "sm4-ctr encryption", 16), signed[..NationalCrypto.Sm4BlockLength], signed[NationalCrypto.Sm4BlockLength..]);
            return Encoding.UTF8.GetString(clear);
        }
        else
        {
            if (body.Length < GcmNonce + GcmTag) throw Tampered(column, keyId);
            var length = body.Length - GcmNonce - GcmTag;
            var clear = new byte[length];
            using var aes = new AesGcm(state.Derived(key, "aes-256-gcm encryption", 32), GcmTag);
            try
            {
                aes.Decrypt(body.AsSpan(0, GcmNonce), body.AsSpan(GcmNonce, length), body.AsSpan(GcmNonce + length), clear, Encoding.UTF8.GetBytes(header + column));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw Tampered(column, keyId);
            }
            return Encoding.UTF8.GetString(clear);
        }
    }

    /// <summary>Whether <paramref name="value"/> has the shape of an envelope (for names, which may be stored clear).</summary>
    public static bool IsEnvelope(string value) => TryParse(value, out _, out _, out _);

    /// <summary>The key id an envelope names, or null.</summary>
    public static string? KeyIdOf(string value) => TryParse(value, out _, out var id, out _) ? id : null;

    /// <summary>A name as stored: encrypted when PersonalData:EncryptNames is on.</summary>
    public string ProtectName(string name, string column) => EncryptNames ? Protect(name, column) : name;

    /// <summary>A name as read: names may be stored either way (the setting may have changed since).</summary>
    public string UnprotectName(string stored, string column) => IsEnvelope(stored) ? Unprotect(stored, column) : stored;

    /// <summary>
    /// The blind index of a normalised value of <paramref name="field"/> under every blind-index key of the ring,
    /// the active key first: rows keyed before a blind-index rotation finished are still found.
    /// </summary>
    public IReadOnlyList<string> BlindIndexes(string field, string normalised)
    {
        var state = Current();
        return state.Keys.Of(KeyUse.BlindIndex).OrderByDescending(k => k.Active).Select(k => BlindIndex(state, k, field, normalised)).ToList();
    }

    /// <summary>The blind index under the active blind-index key (what a write stores).</summary>
    public string ActiveBlindIndex(string field, string normalised)
    {
        var state = Current();
        return BlindIndex(state, state.Keys.ActiveBlindIndex, field, normalised);
    }

    static string BlindIndex(State state, PersonalDataKeyEntry key, string field, string normalised)
    {
        var sub = state.Derived(key, "blind index " + field, 32);
        var data = Encoding.UTF8.GetBytes(normalised);
        var mac = key.Algorithm == BlindIndexAlgorithm.HmacSm3 ? NationalCrypto.HmacSm3(sub, data) : HMACSHA256.HashData(sub, data);
        return Convert.ToHexStringLower(mac.AsSpan(0, BlindIndexBytes));
    }

    static byte[] Sm4Tag(State state, PersonalDataKeyEntry key, string header, string column, ReadOnlySpan<byte> ivAndCipher)
    {
        var label = Encoding.UTF8.GetBytes(header + column);
        var input = new byte[label.Length + ivAndCipher.Length];
        label.CopyTo(input, 0);
        ivAndCipher.CopyTo(input.AsSpan(label.Length));
        return NationalCrypto.HmacSm3(state.Derived(key, "hmac-sm3 mac", 32), input);
    }

    static PersonalDataUnreadable Tampered(string column, string keyId) =>
        new($"{column} failed its integrity check under key '{keyId}': the stored value was altered outside the application (or the key material is wrong). Refusing to show it.");

    static bool TryParse(string value, out string prefix, out string keyId, out byte[] body)
    {
        prefix = keyId = "";
        body = [];
        if (value.Length < 6 || value[2] != ':') return false;
        prefix = value[..2];
        if (prefix != Sm4Prefix && prefix != AesGcmPrefix) return false;
        var end = value.IndexOf(':', 3);
        if (end < 4 || end > 24) return false;
        keyId = value[3..end];
        try
        {
            body = Convert.FromBase64String(value[(end + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    void CheckBlindIndexAlgorithms(PersonalDataKeys keys)
    {
        if (!NationalCrypto.HasSm3 && keys.Of(KeyUse.BlindIndex).Any(k => k.Algorithm == BlindIndexAlgorithm.HmacSm3))
            throw new InvalidOperationException("The personal-data blind index is keyed with HMAC-SM3, but libcrypto.so.3 offers no SM3 on this machine.");
    }

    State Current()
    {
        Refresh(force: false);
        return _state;
    }

    /// <summary>Re-reads the key file when it changed (another process rotated the keys).</summary>
    void Refresh(bool force)
    {
        var state = _state;
        if (state.Keys.File is null) return;
        var now = DateTime.UtcNow;
        if (!force && now - _checkedAt < _reloadEvery) return;
        _checkedAt = now;
        var stamp = Stamp(state.Keys.File);
        if (stamp == state.Stamp) return;
        lock (this)
        {
            if (_state.Stamp == stamp) return;
            var keys = PersonalDataKeys.ReadFile(state.Keys.File);
            CheckBlindIndexAlgorithms(keys);
            _state = new State(keys, stamp);
            _log.LogInformation("Personal-data keys re-read from {File}: data key {DataKey}, blind-index key {BlindKey} active.", keys.File, keys.ActiveData.Id, keys.ActiveBlindIndex.Id);
        }
    }

    /// <summary>Forgets the cached key ring so the next use re-reads the key file (after this process changed it).</summary>
    public void Reload() => Refresh(force: true);

    static (DateTime, long) Stamp(string? file)
    {
        if (file is null) return default;
        var info = new FileInfo(file);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    sealed class State(PersonalDataKeys keys, (DateTime, long) stamp)
    {
        public PersonalDataKeys Keys { get; } = keys;
        public (DateTime, long) Stamp { get; } = stamp;
        readonly ConcurrentDictionary<(string, string), byte[]> _derived = new();

        /// <summary>A sub-key for one purpose: HMAC(master, "xinfang personal data/" + purpose), SM3 for the national algorithms.</summary>
        public byte[] Derived(PersonalDataKeyEntry key, string purpose, int length) => _derived.GetOrAdd((key.Id, purpose), _ =>
        {
            var label = Encoding.UTF8.GetBytes("xinfang personal data/" + purpose);
            // AES-GCM keys derive with HMAC-SHA256 so that fallback stores are readable on machines without SM3.
            var useSm3 = purpose.StartsWith("aes", StringComparison.Ordinal) ? false
                : key.Use == KeyUse.BlindIndex ? key.Algorithm == BlindIndexAlgorithm.HmacSm3 : true;
            var full = useSm3 ? NationalCrypto.HmacSm3(key.Material, label) : HMACSHA256.HashData(key.Material, label);
            return full[..length];
        });
    }
}

/// <summary>Stored personal data that cannot be shown: altered outside the application, or its key is missing.</summary>
public sealed class PersonalDataUnreadable(string message) : Exception(message);
