using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Xinfang.Web.Tests.Cli;
using Xinfang.Web.Tests.Contract;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Reliability;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// `xinfang backup` and `xinfang restore` (Operations/) run as an operator runs them, against a real server
/// process: data made through the API, backed up while the server serves, changed and damaged, restored — the
/// store then equals the backup row for row and byte for byte, and the server serves it. A damaged archive is
/// refused and leaves the store as it was.
/// </summary>
public abstract class BackupRestoreTests(Provider provider)
{
    static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Restore_after_changes_and_losses_brings_back_exactly_the_backed_up_store_and_the_server_serves_it()
    {
        await using var store = await ProcessStore.CreateAsync(provider);
        var archive = Path.Combine(store.Folder, "backups", "xinfang.zip");
        List<string> ids;
        string attachmentId, firstId;
        byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 信访材料 test\n" + Guid.NewGuid() + "\n%%EOF\n");
        string backedUp;
        await using (var server = await ServerProcess.StartAsync(store))
        {
            var clerk = await ProcessWorld.ClerkAsync(server);
            ids = [];
            for (var i = 0; i < 4; i++)
                ids.Add((await clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(title: $"备份事项{i}-{Guid.NewGuid():N}"[..16]))).Expect(HttpStatusCode.Created)["id"]);
            firstId = ids[0];
            attachmentId = await UploadAsync(clerk, firstId, pdf, "材料.pdf");

            // Online: the server keeps serving while the archive is written.
            var backup = (await XinfangBinary.RunAsync(store.Folder, ["backup", archive, .. store.HostArgs], VerbTimeout)).ExpectExit(0);
            backup.Stdout.ShouldContain("已备份", customMessage: backup.ToString());
            backedUp = await SnapshotAsync(store);
            backedUp.ShouldContain(firstId.ToLowerInvariant(), Case.Insensitive);

            // Changes after the backup: a new petition, a new attachment, a lost file and a lost row.
            (await clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(title: $"备份之后{Guid.NewGuid():N}"[..16]))).Expect(HttpStatusCode.Created);
            await UploadAsync(clerk, ids[1], Encoding.ASCII.GetBytes("%PDF-1.4\nlater\n%%EOF\n"), "后补.pdf");
            (await clerk.GetAsync($"/api/v1/petitions/{firstId}")).Expect(HttpStatusCode.OK);
            await server.StopAsync();
        }
        File.Delete(Directory.EnumerateFiles(store.AttachmentsRoot, "*", SearchOption.AllDirectories).First(f => Path.GetFileName(f) == Guid.Parse(attachmentId).ToString("N")));
        await store.ExecuteAsync($"DELETE FROM petitioners WHERE petition_id IN (SELECT id FROM petitions WHERE number = (SELECT MIN(number) FROM petitions))");
        var changed = await SnapshotAsync(store);
        changed.ShouldNotBe(backedUp);

        // A truncated archive and one with a flipped byte are refused; nothing is touched.
        var truncated = Path.Combine(store.Folder, "truncated.zip");
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var refused = (await XinfangBinary.RunAsync(store.Folder, ["restore", truncated, .. store.HostArgs], VerbTimeout)).ExpectExit(3);
        refused.Stderr.ShouldContain("备份文件已损坏或不完整", customMessage: refused.ToString());
        (await SnapshotAsync(store)).ShouldBe(changed);

        var flipped = Path.Combine(store.Folder, "flipped.zip");
        var damaged = (byte[])bytes.Clone();
        damaged[damaged.Length / 3] ^= 0x5A;
        await File.WriteAllBytesAsync(flipped, damaged);
        var refusedToo = (await XinfangBinary.RunAsync(store.Folder, ["restore", flipped, .. store.HostArgs], VerbTimeout)).ExpectExit(3);
        refusedToo.Stderr.ShouldContain("备份文件已损坏或不完整", customMessage: refusedToo.ToString());
        (await SnapshotAsync(store)).ShouldBe(changed);
        Directory.GetDirectories(store.Folder).Select(Path.GetFileName).Where(d => d!.StartsWith("attachments.", StringComparison.Ordinal)).ShouldBeEmpty("no staging folder is left behind");

        var restored = (await XinfangBinary.RunAsync(store.Folder, ["restore", archive, .. store.HostArgs], VerbTimeout)).ExpectExit(0);
        restored.Stdout.ShouldContain("已从", customMessage: restored.ToString());
        (await SnapshotAsync(store)).ShouldBe(backedUp);

        // The server serves the restored store: the same petitions, the attachment's bytes.
        await using (var server = await ServerProcess.StartAsync(store))
        {
            var clerk = await server.LoginAsync("clerk", ProcessWorld.Password);
            var listed = (await clerk.GetAsync("/api/v1/petitions?limit=100")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(p => p!["id"]!.ToString()).ToList();
            listed.ShouldBe(ids, ignoreOrder: true);
            using var download = await clerk.Http.GetAsync($"/api/v1/petitions/{firstId}/attachments/{attachmentId}");
            download.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await download.Content.ReadAsByteArrayAsync()).ShouldBe(pdf);
            (await clerk.GetAsync($"/api/v1/petitions/{firstId}/events")).Expect(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Restore_of_an_archive_from_the_other_provider_or_a_missing_file_exits_non_zero_and_changes_nothing()
    {
        await using var store = await ProcessStore.CreateAsync(provider);
        (await XinfangBinary.RunAsync(store.Folder, ["migrate", .. store.HostArgs], VerbTimeout)).ExpectExit(0);
        var before = await SnapshotAsync(store);

        var missing = await XinfangBinary.RunAsync(store.Folder, ["restore", Path.Combine(store.Folder, "none.zip"), .. store.HostArgs], VerbTimeout);
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Stderr.ShouldContain("备份文件不存在", customMessage: missing.ToString());

        await using var other = await ProcessStore.CreateAsync(provider == Provider.Sqlite ? Provider.Postgres : Provider.Sqlite);
        (await XinfangBinary.RunAsync(other.Folder, ["migrate", .. other.HostArgs], VerbTimeout)).ExpectExit(0);
        var otherArchive = Path.Combine(other.Folder, "other.zip");
        (await XinfangBinary.RunAsync(other.Folder, ["backup", otherArchive, .. other.HostArgs], VerbTimeout)).ExpectExit(0);
        var wrong = await XinfangBinary.RunAsync(store.Folder, ["restore", otherArchive, .. store.HostArgs], VerbTimeout);
        wrong.ExitCode.ShouldBe(2, wrong.ToString());
        wrong.Stderr.ShouldContain("不能恢复", customMessage: wrong.ToString());
        (await SnapshotAsync(store)).ShouldBe(before);
    }

    [Fact]
    public async Task Restore_over_a_store_with_a_later_migration_replaces_the_sqlite_file_but_refuses_the_postgres_database()
    {
        await using var store = await ProcessStore.CreateAsync(provider);
        (await XinfangBinary.RunAsync(store.Folder, ["migrate", .. store.HostArgs], VerbTimeout)).ExpectExit(0);
        var archive = Path.Combine(store.Folder, "before.zip");
        (await XinfangBinary.RunAsync(store.Folder, ["backup", archive, .. store.HostArgs], VerbTimeout)).ExpectExit(0);
        await store.ExecuteAsync("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_future', 'x')");

        var run = await XinfangBinary.RunAsync(store.Folder, ["restore", archive, .. store.HostArgs], VerbTimeout);

        if (provider == Provider.Sqlite)
        {
            // The whole file is replaced: the later migration's traces go with it.
            run.ExpectExit(0);
            (await store.ScalarAsync("SELECT COUNT(*) FROM schema_migrations WHERE id = '9999_future'")).ShouldBe(0);
        }
        else
        {
            // pg_restore --clean would leave the later migration's tables behind: refused, nothing changed.
            run.ExitCode.ShouldBe(2, run.ToString());
            run.Stderr.ShouldContain("9999_future", customMessage: run.ToString());
            (await store.ScalarAsync("SELECT COUNT(*) FROM schema_migrations WHERE id = '9999_future'")).ShouldBe(1);
        }
    }

    static async Task<string> UploadAsync(Api clerk, string petitionId, byte[] content, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "files", name);
        using var response = await clerk.Http.PostAsync($"/api/v1/petitions/{petitionId}/attachments", form);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["items"]![0]!["id"]!.ToString();
    }

    /// <summary>What a restore must bring back, as text: petitions, events, petitioners, access rows, users, attachments rows and file bytes.</summary>
    static async Task<string> SnapshotAsync(ProcessStore store)
    {
        var text = new StringBuilder();
        async Task Rows(string label, string sql)
        {
            text.AppendLine("## " + label);
            foreach (var row in await store.QueryAsync(sql, r => string.Join(" | ", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)))))
                text.AppendLine(row);
        }
        await Rows("petitions", "SELECT id, number, title, status, version, content FROM petitions ORDER BY number");
        await Rows("events", "SELECT petition_id, sequence, action, to_status, note FROM petition_events ORDER BY petition_id, sequence");
        await Rows("petitioners", "SELECT petition_id, name, id_number, phone, address FROM petitioners ORDER BY petition_id, name, phone");
        await Rows("access", "SELECT unit_id, petition_id FROM petition_access ORDER BY unit_id, petition_id");
        await Rows("users", "SELECT user_name FROM identity_users ORDER BY user_name");
        await Rows("attachments", "SELECT id, petition_id, file_name, sha256, size FROM attachments ORDER BY id");
        text.AppendLine("## files");
        if (Directory.Exists(store.AttachmentsRoot))
            foreach (var f in Directory.EnumerateFiles(store.AttachmentsRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                text.AppendLine($"{Path.GetRelativePath(store.AttachmentsRoot, f)} {Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(f)))}");
        return text.ToString();
    }
}

public sealed class BackupRestoreTests_Sqlite() : BackupRestoreTests(Provider.Sqlite);
public sealed class BackupRestoreTests_Postgres() : BackupRestoreTests(Provider.Postgres);
