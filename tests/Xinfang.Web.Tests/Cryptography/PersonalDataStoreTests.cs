using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xinfang.Web.Cli;
using Xinfang.Web.Data;
using Xinfang.Web.Tests.Cli;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Cryptography;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using SqliteFactory = Xinfang.Web.Tests.Infrastructure.SqliteFactory;

/// <summary>
/// Personal data at rest (issue #8), seen from the store itself: rows read with a plain connection hold no
/// clear identity number, phone or address after a registration through the API; search and repeat detection
/// still find the same person; staff with the right see the clear values; an altered ciphertext is refused;
/// <c>xinfang keys rotate</c> re-encrypts under a new key beside a running host; the AES-GCM fallback works;
/// a store with clear rows is encrypted when a host starts on it.
/// </summary>
public abstract class PersonalDataStoreTests(XinfangFactory factory)
{
    static readonly Random Random = new();
    static readonly Lock Gate = new();

    sealed record Person(string IdNumber, string Phone, string Address);

    static Person NewPerson()
    {
        lock (Gate)
            return new Person(DemoSeed.SyntheticId(Random), "139" + Random.Next(10_000_000, 99_999_999),
                $"昆山市玉山镇{Random.Next(1000, 9999)}号{Random.Next(100, 999)}室");
    }

    /// <summary>A registration by <paramref name="p"/> whose text is the person's own: no other test's petition is a near-duplicate of it.</summary>
    static JsonObject Body(Person p, string title) => World.Petition(b =>
    {
        var x = b["petitioners"]![0]!;
        x["idNumber"] = p.IdNumber;
        x["phone"] = p.Phone;
        x["address"] = p.Address;
        var own = new Random(p.IdNumber.GetHashCode());
        var words = new string(Enumerable.Range(0, 60).Select(_ => (char)own.Next(0x4E00, 0x9FA5)).ToArray());
        b["content"] = $"诉求：{words[..20]}。事实：{words[20..40]}。理由：{words[40..]}。";
    }, p.IdNumber, title);

    sealed record Row(string Name, string? IdNumber, string? Phone, string? Address, string? KeyId, string? BlindKeyId, string? IdNumberKey, string? PhoneKey);

    static DbConnection Raw(XinfangFactory f) => f.Provider == Provider.Sqlite
        ? new SqliteConnection(new SqliteConnectionStringBuilder(f.ConnectionString) { Pooling = false }.ToString())
        : new NpgsqlConnection(f.ConnectionString);

    static async Task<Row> RowAsync(XinfangFactory f, string number)
    {
        await using var conn = Raw(f);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT pr.name, pr.id_number, pr.phone, pr.address, pr.key_id, pr.blind_key_id, pr.id_number_key, pr.phone_key
            FROM petitioners pr JOIN petitions p ON p.id = pr.petition_id WHERE p.number = @n
            """;
        cmd.AddParameter("@n", number);
        await using var r = await cmd.ExecuteReaderAsync();
        (await r.ReadAsync()).ShouldBeTrue($"no petitioner row for {number}");
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new Row(r.GetString(0), S(1), S(2), S(3), S(4), S(5), S(6), S(7));
    }

    static async Task<int> ExecAsync(XinfangFactory f, string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = Raw(f);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in parameters) cmd.AddParameter(n, v);
        return await cmd.ExecuteNonQueryAsync();
    }

    static void ShouldBeEncrypted(Row row, Person p, string prefix = "s4:")
    {
        foreach (var (stored, clear) in new[] { (row.IdNumber, p.IdNumber), (row.Phone, p.Phone), (row.Address, p.Address) })
        {
            stored.ShouldNotBeNull();
            stored.ShouldStartWith(prefix + row.KeyId + ":");
            stored.ShouldNotContain(clear);
        }
        row.KeyId.ShouldNotBeNull();
        row.BlindKeyId.ShouldNotBeNull();
        row.IdNumberKey!.Length.ShouldBe(32);
        row.PhoneKey!.Length.ShouldBe(32);
    }

    /// <summary>Every byte of the SQLite file and its write-ahead log, read beside the running host.</summary>
    static byte[] SqliteBytes(XinfangFactory f)
    {
        var file = new SqliteConnectionStringBuilder(f.ConnectionString).DataSource;
        var all = new List<byte>();
        foreach (var path in new[] { file, file + "-wal" })
        {
            if (!File.Exists(path)) continue;
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var m = new MemoryStream();
            s.CopyTo(m);
            all.AddRange(m.ToArray());
        }
        return all.ToArray();
    }

    static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    static async Task<List<string>> FoundAsync(Api api, string query)
    {
        var items = (await api.GetAsync("/api/v1/petitions/search?limit=100&" + query)).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        return items.Select(i => i!["id"]!.ToString()).ToList();
    }

    /// <summary>A host of its own (own store, own key file) for the tests that change keys or settings.</summary>
    sealed class OwnHost : IAsyncDisposable
    {
        public required XinfangFactory Factory { get; init; }
        public required string Folder { get; init; }
        public string KeyFile => Path.Combine(Folder, "keys.json");
        public async ValueTask DisposeAsync()
        {
            await ((IAsyncLifetime)Factory).DisposeAsync();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    async Task<OwnHost> OwnHostAsync(params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("xinfang-pd-").FullName;
        XinfangFactory f = factory.Provider == Provider.Sqlite ? new SqliteFactory() : new PostgresFactory();
        f.With("PersonalData:KeyFile", Path.Combine(folder, "keys.json")).With("PersonalData:ReloadSeconds", "0");
        foreach (var (k, v) in settings) f.With(k, v);
        await f.InitializeAsync();
        return new OwnHost { Factory = f, Folder = folder };
    }

    [Fact]
    public async Task Registering_through_the_api_stores_identity_number_phone_and_address_only_encrypted()
    {
        var w = await World.OfAsync(factory);
        var p = NewPerson();
        var created = await w.RegisterAsync(body: Body(p, "个人信息加密存储"));
        var row = await RowAsync(factory, created["number"]!.ToString());
        ShouldBeEncrypted(row, p);
        row.Name.ShouldBe("张三"); // names stay clear unless PersonalData:EncryptNames
        if (factory.Provider == Provider.Sqlite)
        {
            var bytes = SqliteBytes(factory);
            Contains(bytes, created["number"]!.ToString()).ShouldBeTrue(); // the scan does see clear text
            Contains(bytes, p.IdNumber).ShouldBeFalse();
            Contains(bytes, p.Phone).ShouldBeFalse();
            Contains(bytes, p.Address).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Searching_by_id_number_or_phone_and_detecting_a_repeat_of_the_same_person_find_the_encrypted_rows()
    {
        var w = await World.OfAsync(factory);
        var p = NewPerson();
        var first = await w.RegisterAsync(body: Body(p, "加密后查询与重复件识别"));
        var id = first["id"]!.ToString();

        (await FoundAsync(w.Clerk, "idNumber=" + p.IdNumber)).ShouldBe([id]);
        (await FoundAsync(w.Clerk, "idNumber=" + p.IdNumber.ToLowerInvariant())).ShouldBe([id]);
        (await FoundAsync(w.Clerk, "phone=" + p.Phone)).ShouldBe([id]);
        (await FoundAsync(w.Clerk, "phone=" + NewPerson().Phone)).ShouldNotContain(id);

        var again = await w.RegisterAsync(body: Body(p, "加密后查询与重复件识别"));
        again["flags"]!["repeat"]!.GetValue<bool>().ShouldBeTrue();
        again["repeatOf"]!.ToString().ShouldBe(id);
    }

    [Fact]
    public async Task Reading_a_petition_as_its_registering_clerk_shows_the_clear_values()
    {
        var w = await World.OfAsync(factory);
        var p = NewPerson();
        var id = (await w.RegisterAsync(body: Body(p, "完整个人信息")))["id"]!.ToString();
        var person = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["petitioners"]![0]!;
        person["idNumber"]!.ToString().ShouldBe(p.IdNumber);
        person["phone"]!.ToString().ShouldBe(p.Phone);
        person["address"]!.ToString().ShouldBe(p.Address);
        person["masked"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Reading_a_petitioner_whose_ciphertext_was_altered_in_the_store_fails_with_an_integrity_error()
    {
        var w = await World.OfAsync(factory);
        var p = NewPerson();
        var created = await w.RegisterAsync(body: Body(p, "密文被篡改"));
        var row = await RowAsync(factory, created["number"]!.ToString());
        // Flip one bit of the ciphertext (past the IV), as someone editing the table by hand would.
        var stored = row.Phone!;
        var header = stored[..(stored.LastIndexOf(':') + 1)];
        var body = Convert.FromBase64String(stored[header.Length..]);
        body[17] ^= 0x04;
        (await ExecAsync(factory, "UPDATE petitioners SET phone = @altered WHERE phone = @stored",
            ("@altered", header + Convert.ToBase64String(body)), ("@stored", stored))).ShouldBe(1);

        try
        {
            var read = await w.Clerk.GetAsync($"/api/v1/petitions/{created["id"]}");
            read.Code.ShouldBe(500);
            read.Body.ShouldNotContain(p.Phone[..5]);

            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
            var petitionId = Guid.Parse(created["id"]!.ToString());
            var e = await Should.ThrowAsync<Exception>(() => db.Petitioners.AsNoTracking().Where(x => x.PetitionId == petitionId).ToListAsync());
            e.ToString().ShouldContain("petitioners.phone failed its integrity check");
        }
        finally
        {
            // The fixture's store is shared with the other tests of the class (and its deadline sweep): put it back.
            await ExecAsync(factory, "UPDATE petitioners SET phone = @stored WHERE phone = @altered", ("@altered", header + Convert.ToBase64String(body)), ("@stored", stored));
        }
        (await w.Clerk.GetAsync($"/api/v1/petitions/{created["id"]}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Replaying_a_registration_with_its_idempotency_key_answers_the_same_from_an_encrypted_record()
    {
        var w = await World.OfAsync(factory);
        var p = NewPerson();
        var key = Guid.NewGuid().ToString();
        var first = (await w.Clerk.PostAsync("/api/v1/petitions", Body(p, "幂等登记"), ("Idempotency-Key", key))).Expect(HttpStatusCode.Created);
        var second = (await w.Clerk.PostAsync("/api/v1/petitions", Body(p, "幂等登记"), ("Idempotency-Key", key))).Expect(HttpStatusCode.Created);
        second["id"].ShouldBe(first["id"]);
        second.Json["petitioners"]![0]!["phone"]!.ToString().ShouldBe(p.Phone);

        await using var conn = Raw(factory);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT response FROM idempotency_records WHERE key = @k";
        cmd.AddParameter("@k", key);
        var stored = (string)(await cmd.ExecuteScalarAsync())!;
        stored.ShouldStartWith("s4:");
        stored.ShouldNotContain(p.Phone);
    }

    [Fact]
    public async Task Rotating_keys_with_the_binary_beside_a_running_host_re_encrypts_every_row_and_all_still_reads_and_searches()
    {
        await using var own = await OwnHostAsync();
        var w = await World.OfAsync(own.Factory);
        var people = new[] { NewPerson(), NewPerson() };
        var created = new List<JsonNode>();
        foreach (var p in people) created.Add(await w.RegisterAsync(body: Body(p, "密钥轮换" + p.Phone)));
        var before = await RowAsync(own.Factory, created[0]["number"]!.ToString());
        before.KeyId.ShouldBe("d1");
        before.BlindKeyId.ShouldBe("b1");

        string[] host = [
            "--Database:Provider=" + (own.Factory.Provider == Provider.Sqlite ? "sqlite" : "postgres"),
            "--ConnectionStrings:Xinfang=" + own.Factory.ConnectionString,
            "--PersonalData:KeyFile=" + own.KeyFile, "--PersonalData:ReloadSeconds=0"];
        var run = (await XinfangBinary.RunAsync(own.Folder, ["keys", "rotate", KeyVerbs.BlindIndexOption, .. host])).ExpectExit(0);
        run.Stdout.ShouldContain("retired", customMessage: run.ToString());

        for (var i = 0; i < people.Length; i++)
        {
            var row = await RowAsync(own.Factory, created[i]["number"]!.ToString());
            row.KeyId.ShouldBe("d2");
            row.BlindKeyId.ShouldBe("b2");
            ShouldBeEncrypted(row, people[i]);
            if (i == 0) row.IdNumberKey.ShouldNotBe(before.IdNumberKey);
        }
        var keys = JsonNode.Parse(await File.ReadAllTextAsync(own.KeyFile))!["keys"]!.AsArray().Select(k => k!["id"]!.ToString()).ToList();
        keys.ShouldBe(["d2", "b2"], ignoreOrder: true);

        // The running host re-reads the key file: it reads, searches and writes under the new keys.
        var person = (await w.Clerk.GetAsync($"/api/v1/petitions/{created[0]["id"]}")).Expect(HttpStatusCode.OK).Json["petitioners"]![0]!;
        person["idNumber"]!.ToString().ShouldBe(people[0].IdNumber);
        (await FoundAsync(w.Clerk, "idNumber=" + people[1].IdNumber)).ShouldBe([created[1]["id"]!.ToString()]);
        (await FoundAsync(w.Clerk, "phone=" + people[0].Phone)).ShouldBe([created[0]["id"]!.ToString()]);
        var later = NewPerson();
        var third = await w.RegisterAsync(body: Body(later, "轮换后登记"));
        (await RowAsync(own.Factory, third["number"]!.ToString())).KeyId.ShouldBe("d2");

        var status = (await XinfangBinary.RunAsync(own.Folder, ["keys", "status", .. host])).ExpectExit(0);
        status.Stdout.ShouldContain("d2 (active", customMessage: status.ToString());
        status.Stdout.ShouldContain("d2: 3");
        status.Stdout.ShouldContain("all rows under the active keys");
    }

    [Fact]
    public async Task Registering_with_aes_gcm_and_names_encrypted_stores_aes_envelopes_that_read_and_search()
    {
        await using var own = await OwnHostAsync(("PersonalData:Algorithm", "aes-gcm"), ("PersonalData:EncryptNames", "true"));
        var w = await World.OfAsync(own.Factory);
        var p = NewPerson();
        var created = await w.RegisterAsync(body: Body(p, "国密不可用时的回退"));
        var row = await RowAsync(own.Factory, created["number"]!.ToString());
        ShouldBeEncrypted(row, p, "ag:");
        row.Name.ShouldStartWith("ag:");
        row.Name.ShouldNotContain("张三");
        var person = (await w.Clerk.GetAsync($"/api/v1/petitions/{created["id"]}")).Expect(HttpStatusCode.OK).Json["petitioners"]![0]!;
        person["phone"]!.ToString().ShouldBe(p.Phone);
        person["name"]!.ToString().ShouldBe("张三");
        (await FoundAsync(w.Clerk, "idNumber=" + p.IdNumber)).ShouldBe([created["id"]!.ToString()]);
        (await FoundAsync(w.Clerk, "name=" + Uri.EscapeDataString("张三"))).ShouldBe([created["id"]!.ToString()]);
    }

    [Fact]
    public async Task Starting_a_host_whose_key_file_did_not_write_the_store_refuses_to_start()
    {
        await using var own = await OwnHostAsync();
        var w = await World.OfAsync(own.Factory);
        await w.RegisterAsync(body: Body(NewPerson(), "另一节点的密钥"));

        // A second web node that was not given the key file creates its own on first start.
        await using var second = new SecondHost(own.Factory.Provider, own.Factory.ConnectionString);
        second.With("PersonalData:KeyFile", Path.Combine(own.Folder, "elsewhere", "keys.json"));
        var e = await Should.ThrowAsync<Exception>(() => second.InitializeAsync());
        e.ToString().ShouldContain("cannot be read with the keys of");
        File.Exists(Path.Combine(own.Folder, "elsewhere", "keys.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Starting_a_host_on_a_store_with_clear_rows_encrypts_them_and_they_still_read_and_search()
    {
        await using var own = await OwnHostAsync();
        var w = await World.OfAsync(own.Factory);
        var p = NewPerson();
        var created = await w.RegisterAsync(body: Body(p, "升级前的明文记录"));
        var number = created["number"]!.ToString();
        // What a store written before migration 0008 holds: clear values, no keys.
        (await ExecAsync(own.Factory, """
            UPDATE petitioners SET id_number = @id, phone = @phone, address = @address,
                key_id = NULL, blind_key_id = NULL, id_number_key = NULL, phone_key = NULL, name_key = NULL
            WHERE petition_id IN (SELECT id FROM petitions WHERE number = @n)
            """, ("@id", p.IdNumber), ("@phone", p.Phone), ("@address", p.Address), ("@n", number))).ShouldBe(1);
        (await RowAsync(own.Factory, number)).IdNumber.ShouldBe(p.IdNumber);

        await using var second = new SecondHost(own.Factory.Provider, own.Factory.ConnectionString);
        second.With("PersonalData:KeyFile", own.KeyFile);
        await second.InitializeAsync(); // migrations, then the clear rows are encrypted

        ShouldBeEncrypted(await RowAsync(own.Factory, number), p);
        if (own.Factory.Provider == Provider.Sqlite)
        {
            var bytes = SqliteBytes(own.Factory);
            Contains(bytes, p.IdNumber).ShouldBeFalse();
            Contains(bytes, p.Address).ShouldBeFalse();
        }
        var clerk = await Api.LoginAsync(second, "clerk", World.Password);
        (await FoundAsync(clerk, "idNumber=" + p.IdNumber)).ShouldBe([created["id"]!.ToString()]);
        var person = (await clerk.GetAsync($"/api/v1/petitions/{created["id"]}")).Expect(HttpStatusCode.OK).Json["petitioners"]![0]!;
        person["address"]!.ToString().ShouldBe(p.Address);
    }
}

public sealed class PersonalDataStoreTests_Sqlite(SqliteFactory f) : PersonalDataStoreTests(f), IClassFixture<SqliteFactory>;
public sealed class PersonalDataStoreTests_Postgres(PostgresFactory f) : PersonalDataStoreTests(f), IClassFixture<PostgresFactory>;
