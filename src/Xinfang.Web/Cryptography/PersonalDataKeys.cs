using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Xinfang.Web.Cryptography;

/// <summary>What a key is for. Data keys encrypt; blind-index keys make the exact-lookup columns.</summary>
public enum KeyUse { Data, BlindIndex }

/// <summary>
/// One master key. Its material (32 random bytes) is never used directly: each purpose derives its own sub-key
/// from it (<see cref="PersonalDataCipher"/>). <see cref="Active"/> keys are the ones new writes use, one per use;
/// the others are kept only so that rows not yet rotated can still be read.
/// </summary>
public sealed record PersonalDataKeyEntry(string Id, KeyUse Use, byte[] Material, bool Active, BlindIndexAlgorithm Algorithm, DateTimeOffset? Created)
{
    public const int MaterialLength = 32;
}

/// <summary>The keyed hash of a blind index: HMAC-SM3, or HMAC-SHA256 on a machine without SM3 (fixed per key).</summary>
public enum BlindIndexAlgorithm { HmacSm3, HmacSha256 }

/// <summary>
/// The personal-data key ring: from configuration (<c>PersonalData:Keys:N:Id/Use/Material/Active</c>, material in
/// base64) or from a JSON key file (<c>PersonalData:KeyFile</c>, default ./data/personal-data-keys.json) that is
/// created with owner-only permissions on first start. Exactly one active key per use.
/// </summary>
public sealed class PersonalDataKeys
{
    public const string DefaultKeyFile = "./data/personal-data-keys.json";
    static readonly Regex IdShape = new("^[A-Za-z0-9_-]{1,20}$", RegexOptions.CultureInvariant);

    public IReadOnlyList<PersonalDataKeyEntry> Keys { get; }
    /// <summary>The key file, or null when the keys come from configuration.</summary>
    public string? File { get; }
    public PersonalDataKeyEntry ActiveData { get; }
    public PersonalDataKeyEntry ActiveBlindIndex { get; }

    public PersonalDataKeys(IReadOnlyList<PersonalDataKeyEntry> keys, string? file)
    {
        Keys = keys;
        File = file;
        var problems = new List<string>();
        foreach (var k in keys)
        {
            if (!IdShape.IsMatch(k.Id)) problems.Add($"key id '{k.Id}' must be 1–20 letters, digits, '-' or '_'");
            if (k.Material.Length < PersonalDataKeyEntry.MaterialLength) problems.Add($"key '{k.Id}' has {k.Material.Length} bytes of material, at least {PersonalDataKeyEntry.MaterialLength} needed");
        }
        foreach (var g in keys.GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)) problems.Add($"key id '{g.Key}' appears twice");
        foreach (var use in Enum.GetValues<KeyUse>())
        {
            var active = keys.Count(k => k.Use == use && k.Active);
            if (active != 1) problems.Add($"{active} active {Name(use)} keys, exactly one needed");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException($"Personal-data keys ({file ?? "configuration PersonalData:Keys"}): " + string.Join("; ", problems));
        ActiveData = keys.Single(k => k.Use == KeyUse.Data && k.Active);
        ActiveBlindIndex = keys.Single(k => k.Use == KeyUse.BlindIndex && k.Active);
    }

    public IEnumerable<PersonalDataKeyEntry> Of(KeyUse use) => Keys.Where(k => k.Use == use);

    /// <summary>Keys of <paramref name="use"/> that are kept only for reading (a rotation not finished).</summary>
    public IReadOnlyList<string> Retiring(KeyUse use) => Keys.Where(k => k.Use == use && !k.Active).Select(k => k.Id).ToList();

    public PersonalDataKeyEntry? Find(string id) => Keys.FirstOrDefault(k => k.Id == id);

    public static string Name(KeyUse use) => use == KeyUse.Data ? "data" : "blind-index";

    /// <summary>A fresh key of <paramref name="use"/>, numbered after the ring's others (d1, d2… / b1, b2…).</summary>
    public PersonalDataKeyEntry NewKey(KeyUse use, BlindIndexAlgorithm algorithm, DateTimeOffset now)
    {
        var prefix = use == KeyUse.Data ? "d" : "b";
        var next = 1 + Keys.Select(k => k.Id.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(k.Id[1..], out var n) ? n : 0).DefaultIfEmpty(0).Max();
        return new PersonalDataKeyEntry(prefix + next, use, RandomNumberGenerator.GetBytes(PersonalDataKeyEntry.MaterialLength), true, algorithm, now);
    }

    /// <summary>The ring with <paramref name="fresh"/> active and the former active key of its use kept for reading.</summary>
    public PersonalDataKeys With(PersonalDataKeyEntry fresh) =>
        new(Keys.Select(k => k.Use == fresh.Use && k.Active ? k with { Active = false } : k).Append(fresh).ToList(), File);

    /// <summary>The ring without the keys <paramref name="ids"/> (never an active one).</summary>
    public PersonalDataKeys Without(IEnumerable<string> ids)
    {
        var drop = ids.ToHashSet(StringComparer.Ordinal);
        return new(Keys.Where(k => k.Active || !drop.Contains(k.Id)).ToList(), File);
    }

    /// <summary>
    /// Reads the keys from configuration if there are any, else from the key file, which is created (with a new
    /// data key and a new blind-index key) when it does not exist. <paramref name="created"/> tells whether it was.
    /// </summary>
    public static PersonalDataKeys Load(IConfiguration config, BlindIndexAlgorithm newBlindIndex, out bool created)
    {
        created = false;
        var configured = config.GetSection("PersonalData:Keys").GetChildren().ToList();
        if (configured.Count > 0)
        {
            var keys = configured.Select(c => new PersonalDataKeyEntry(
                c["Id"] ?? "",
                ParseUse(c["Use"]),
                Material(c["Material"], c["Id"]),
                bool.TryParse(c["Active"], out var a) && a,
                ParseAlgorithm(c["Algorithm"]),
                null)).ToList();
            return new PersonalDataKeys(keys, null);
        }
        var file = Path.GetFullPath(config["PersonalData:KeyFile"] is { Length: > 0 } f ? f : DefaultKeyFile);
        if (!System.IO.File.Exists(file))
        {
            var now = DateTimeOffset.UtcNow;
            var empty = new List<PersonalDataKeyEntry>();
            var fresh = new List<PersonalDataKeyEntry>
            {
                new("d1", KeyUse.Data, RandomNumberGenerator.GetBytes(PersonalDataKeyEntry.MaterialLength), true, BlindIndexAlgorithm.HmacSm3, now),
                new("b1", KeyUse.BlindIndex, RandomNumberGenerator.GetBytes(PersonalDataKeyEntry.MaterialLength), true, newBlindIndex, now),
            };
            created = TryCreate(new PersonalDataKeys(fresh, file));
        }
        return ReadFile(file);
    }

    public static PersonalDataKeys ReadFile(string file)
    {
        KeyFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<KeyFile>(System.IO.File.ReadAllText(file), FileJson);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Personal-data key file {file} is not valid JSON: {e.Message}");
        }
        var keys = (parsed?.Keys ?? []).Select(k => new PersonalDataKeyEntry(
            k.Id ?? "", ParseUse(k.Use), Material(k.Material, k.Id), k.Active, ParseAlgorithm(k.Algorithm), k.Created)).ToList();
        return new PersonalDataKeys(keys, file);
    }

    /// <summary>Writes the ring to its file: a new file with owner-only permissions, then renamed over the old one.</summary>
    public void Save()
    {
        if (File is null) throw new InvalidOperationException("These keys come from configuration, not from a key file.");
        var temp = Write(this, File + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        System.IO.File.Move(temp, File, overwrite: true);
    }

    /// <summary>Creates the key file unless another process did first (then theirs is kept).</summary>
    static bool TryCreate(PersonalDataKeys ring)
    {
        var dir = Path.GetDirectoryName(ring.File!);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = Write(ring, ring.File + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            System.IO.File.Move(temp, ring.File!, overwrite: false);
            return true;
        }
        catch (IOException) when (System.IO.File.Exists(ring.File!))
        {
            System.IO.File.Delete(temp);
            return false;
        }
    }

    static string Write(PersonalDataKeys ring, string path)
    {
        var body = new KeyFile(
            "Xinfang personal-data keys (GB/T 32907 SM4 / GB/T 32905 SM3). Keep a copy with the backups: without it the encrypted personal data cannot be read. Change only with `xinfang keys rotate`.",
            ring.Keys.Select(k => new KeyFileEntry(k.Id, Name(k.Use), k.Active, k.Created,
                k.Use == KeyUse.BlindIndex ? (k.Algorithm == BlindIndexAlgorithm.HmacSm3 ? "hmac-sm3" : "hmac-sha256") : null,
                Convert.ToBase64String(k.Material))).ToList());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600
        using (var stream = new FileStream(path, options))
            JsonSerializer.Serialize(stream, body, FileJson);
        return path;
    }

    static KeyUse ParseUse(string? use) => use?.Trim().ToLowerInvariant() switch
    {
        null or "" or "data" => KeyUse.Data,
        "blind-index" or "blindindex" => KeyUse.BlindIndex,
        _ => throw new InvalidOperationException($"Personal-data key use '{use}' is neither 'data' nor 'blind-index'."),
    };

    static BlindIndexAlgorithm ParseAlgorithm(string? algorithm) => algorithm?.Trim().ToLowerInvariant() switch
    {
        null or "" or "hmac-sm3" => BlindIndexAlgorithm.HmacSm3,
        "hmac-sha256" => BlindIndexAlgorithm.HmacSha256,
        _ => throw new InvalidOperationException($"Blind-index algorithm '{algorithm}' is neither 'hmac-sm3' nor 'hmac-sha256'."),
    };

    static byte[] Material(string? base64, string? id)
    {
        try
        {
            return Convert.FromBase64String(base64 ?? "");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Personal-data key '{id}': material is not base64.");
        }
    }

    static readonly JsonSerializerOptions FileJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    sealed record KeyFile(string? Comment, List<KeyFileEntry>? Keys);

    sealed record KeyFileEntry(string? Id, string? Use, bool Active, DateTimeOffset? Created, string? Algorithm, string? Material);
}
