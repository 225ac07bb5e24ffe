namespace Xinfang.Web.Operations;

/// <summary>The `backup FILE` and `restore FILE` verbs (dispatched from Cli/Verbs.cs).</summary>
public static class OperationsVerbs
{
    public static async Task<int> BackupAsync(IServiceProvider sp, string file)
    {
        try
        {
            var m = await ActivatorUtilities.CreateInstance<BackupStore>(sp).RunAsync(file, default);
            Console.WriteLine($"已备份到 {Path.GetFullPath(file)} (backed up): {Describe(m)}");
            // The personal-data keys stay out of the archive on purpose: a stolen backup must not carry its own keys.
            Console.WriteLine("注意：个人信息密钥不在备份内，请另行备份密钥文件并与备份分开保管 (the personal-data key file is not in the archive; back it up separately).");
            return 0;
        }
        catch (OperationsException e)
        {
            Console.Error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    public static async Task<int> RestoreAsync(IServiceProvider sp, string file)
    {
        try
        {
            var m = await ActivatorUtilities.CreateInstance<RestoreStore>(sp).RunAsync(file, default);
            Console.WriteLine($"已从 {Path.GetFullPath(file)} 恢复 (restored), 备份时间 {m.CreatedAt:O}: {Describe(m)}");
            return 0;
        }
        catch (OperationsException e)
        {
            Console.Error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    static string Describe(BackupManifest m) =>
        $"{m.Provider}, 信访事项 {Count(m, "petitions")} 件 (petitions), 办理记录 {Count(m, "petition_events")} 条 (events), " +
        $"信访人 {Count(m, "petitioners")} 名 (petitioners), 附件 {m.Members.Count(x => x.Name.StartsWith(BackupArchive.AttachmentsPrefix, StringComparison.Ordinal))} 个 (attachment files)";

    static long Count(BackupManifest m, string table) => m.Counts.TryGetValue(table, out var n) ? n : 0;
}
