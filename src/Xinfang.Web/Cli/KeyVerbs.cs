using Xinfang.Web.Cryptography;
using Xinfang.Web.Data;

namespace Xinfang.Web.Cli;

/// <summary>
/// <c>xinfang keys status</c> and <c>xinfang keys rotate [--blind-index]</c>: the personal-data key ring
/// (Cryptography/PersonalDataKeys). Rotation makes a new data key active (and a new blind-index key with
/// --blind-index), re-encrypts every row in batches, and only then drops the old key from the key file.
/// Interrupted, it is simply run again: it resumes the rotation it finds unfinished instead of starting another.
/// </summary>
public static class KeyVerbs
{
    public const string BlindIndexOption = "--blind-index";

    public static bool Handles(string[] rest) => rest.Length > 0 && rest[0] is "status" or "rotate";

    /// <summary>The host's options: what follows the verb, less the verb's own.</summary>
    public static string[] HostArgs(string[] rest) => rest[1..].Where(a => a != BlindIndexOption).ToArray();

    public static async Task<int> RunAsync(IServiceProvider sp, string[] rest)
    {
        await sp.GetRequiredService<Migrator>().MigrateAsync();
        return rest[0] == "status" ? await StatusAsync(sp) : await RotateAsync(sp, rest.Contains(BlindIndexOption));
    }

    static async Task<int> StatusAsync(IServiceProvider sp)
    {
        var cipher = sp.GetRequiredService<PersonalDataCipher>();
        var rewrite = sp.GetRequiredService<PersonalDataRewrite>();
        var keys = cipher.Keys;
        Console.WriteLine($"算法 (algorithm): {(cipher.Algorithm == PersonalDataAlgorithm.Sm4 ? "SM4-CTR + HMAC-SM3" : "AES-256-GCM")}");
        Console.WriteLine($"密钥来源 (keys from): {keys.File ?? "configuration PersonalData:Keys"}");
        Console.WriteLine($"数据密钥 (data keys): {Describe(keys, KeyUse.Data)}");
        Console.WriteLine($"索引密钥 (blind-index keys): {Describe(keys, KeyUse.BlindIndex)}");
        Console.WriteLine($"各数据密钥下的信访人记录 (rows per data key): {Rows(await rewrite.RowsPerKeyAsync(false, default))}");
        Console.WriteLine($"各索引密钥下的信访人记录 (rows per blind-index key): {Rows(await rewrite.RowsPerKeyAsync(true, default))}");
        var pending = await rewrite.PendingAsync(default);
        Console.WriteLine(pending == 0 ? "全部记录均使用当前密钥 (all rows under the active keys)." : $"待轮换 (rows to rotate): {pending}");
        return 0;
    }

    static async Task<int> RotateAsync(IServiceProvider sp, bool blindIndex)
    {
        var cipher = sp.GetRequiredService<PersonalDataCipher>();
        var rewrite = sp.GetRequiredService<PersonalDataRewrite>();
        var config = sp.GetRequiredService<IConfiguration>();
        var keys = cipher.Keys;
        if (keys.File is null)
        {
            // Keys in configuration cannot be written from here: the operator adds the new key and restarts first.
            if (keys.Retiring(KeyUse.Data).Count == 0 && keys.Retiring(KeyUse.BlindIndex).Count == 0)
            {
                Console.Error.WriteLine("密钥来自配置 PersonalData:Keys，无法自动生成新密钥 (keys come from configuration): add a new key with Active=true, set the old one's Active=false, restart the web nodes, then run `xinfang keys rotate` again to re-encrypt.");
                return 2;
            }
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            var changed = false;
            if (keys.Retiring(KeyUse.Data).Count > 0)
                Console.WriteLine($"继续未完成的轮换 (resuming the rotation to data key {keys.ActiveData.Id}).");
            else
            {
                keys = keys.With(keys.NewKey(KeyUse.Data, default, now));
                changed = true;
            }
            if (blindIndex && keys.Retiring(KeyUse.BlindIndex).Count == 0)
            {
                keys = keys.With(keys.NewKey(KeyUse.BlindIndex, NationalCrypto.HasSm3 ? BlindIndexAlgorithm.HmacSm3 : BlindIndexAlgorithm.HmacSha256, now));
                changed = true;
            }
            if (changed)
            {
                keys.Save();
                cipher.Reload();
                keys = cipher.Keys;
                Console.WriteLine($"新密钥已启用 (now active): data key {keys.ActiveData.Id}, blind-index key {keys.ActiveBlindIndex.Id}.");
                // Running web nodes re-read the key file within PersonalData:ReloadSeconds: wait for them, so that
                // nothing is written under the old key once the rows have been moved.
                var wait = config.GetValue("PersonalData:ReloadSeconds", 5.0);
                if (wait > 0)
                {
                    Console.WriteLine($"等待各节点读取新密钥 (waiting {wait + 1:0} s for running web nodes to re-read the key file)…");
                    await Task.Delay(TimeSpan.FromSeconds(wait + 1));
                }
            }
        }

        var bar = new ConsoleProgressBar("重新加密 (re-encrypt)");
        var rows = await rewrite.RotateAsync(bar, default);
        bar.Finish();
        // Rows a web node wrote meanwhile under an old key (it had not yet re-read the key file).
        for (var pass = 0; pass < 3 && await rewrite.PendingAsync(default) > 0; pass++) rows += await rewrite.RotateAsync(null, default);
        var pending = await rewrite.PendingAsync(default);
        var retiring = keys.Retiring(KeyUse.Data).Concat(keys.Retiring(KeyUse.BlindIndex)).ToList();
        var stillUsed = new List<string>();
        foreach (var id in keys.Retiring(KeyUse.Data))
            if (await rewrite.ResponsesUnderAsync(id, default) > 0) stillUsed.Add(id);
        if (pending > 0 || stillUsed.Count > 0)
        {
            Console.Error.WriteLine($"仍有 {pending} 条记录未轮换，旧密钥保留 (rows still under old keys: {pending}; old keys kept). Run `xinfang keys rotate` again.");
            return 1;
        }
        Console.WriteLine($"已重新加密 {rows} 条信访人记录 (re-encrypted {rows} rows).");
        if (retiring.Count == 0) return 0;
        if (keys.File is not null)
        {
            keys.Without(retiring).Save();
            cipher.Reload();
            Console.WriteLine($"旧密钥已删除 (retired): {string.Join(", ", retiring)}.");
        }
        else
            Console.WriteLine($"不再需要的密钥，可从配置中删除 (no row needs these keys any more; remove them from PersonalData:Keys): {string.Join(", ", retiring)}.");
        return 0;
    }

    static string Describe(PersonalDataKeys keys, KeyUse use) => string.Join(", ", keys.Of(use).OrderByDescending(k => k.Active).Select(k =>
        $"{k.Id} ({(k.Active ? "active" : "retiring")}{(use == KeyUse.BlindIndex ? k.Algorithm == BlindIndexAlgorithm.HmacSm3 ? ", HMAC-SM3" : ", HMAC-SHA256" : "")}{(k.Created is { } c ? $", created {c:yyyy-MM-dd}" : "")})"));

    static string Rows(IReadOnlyList<KeyRows> rows) => rows.Count == 0 ? "0" : string.Join(", ", rows.Select(r => $"{r.KeyId ?? "(clear)"}: {r.Rows}"));
}
