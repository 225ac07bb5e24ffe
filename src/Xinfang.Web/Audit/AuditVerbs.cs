using Xinfang.Web.Data;

namespace Xinfang.Web.Audit;

/// <summary>`xinfang audit verify` and `xinfang audit purge`: the chain checked, or its expired head cut, from the command line.</summary>
public static class AuditVerbs
{
    public const string Usage = """
        xinfang audit verify [host options]      walk the audit chain, recompute every SM3 hash; exit 1 naming the first broken link
        xinfang audit purge [host options]       remove audit rows older than Audit:RetentionDays (>= 180) behind a checkpoint
        """;

    /// <param name="args">The verb's own words: verify or purge.</param>
    public static async Task<int> RunAsync(IServiceProvider sp, string[] args)
    {
        await sp.GetRequiredService<Migrator>().MigrateAsync();
        var db = sp.GetRequiredService<XinfangDb>();
        switch (args.FirstOrDefault())
        {
            case "verify":
                var result = await VerifyAuditTrail.RunAsync(db, default);
                (result.Intact ? Console.Out : Console.Error).WriteLine(result.Summary);
                return result.Intact ? 0 : 1;
            case "purge":
                var purge = new PurgeAuditTrail(db, sp.GetRequiredService<IConfiguration>());
                var outcome = await purge.RunAsync(default);
                if (outcome.RefusedFor is { } broken)
                {
                    Console.Error.WriteLine($"未清理：审计链在第 {broken.Sequence} 条处断裂 (not purged: chain broken at #{broken.Sequence}): {broken.Description}");
                    return 1;
                }
                Console.WriteLine(outcome.Purged == 0
                    ? $"没有超过 {purge.RetentionDays} 天的审计记录 (nothing older than {purge.RetentionDays} days)."
                    : $"已清理 {outcome.Purged} 条，检查点 #{outcome.CheckpointSequence} (purged {outcome.Purged} entries; checkpoint #{outcome.CheckpointSequence}).");
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 64;
        }
    }
}
