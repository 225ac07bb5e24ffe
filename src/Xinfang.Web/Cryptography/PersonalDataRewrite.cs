using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Xinfang.Web.Data;
using Xinfang.Web.Search;

namespace Xinfang.Web.Cryptography;

/// <summary>How many petitioner rows are under one key (or under none: still clear).</summary>
public sealed record KeyRows(string? KeyId, long Rows);

/// <summary>
/// Rewrites stored personal data in batches, in plain SQL (the rows are read as stored, not through the
/// converters): encrypts the clear rows of a store from before migration 0008, and re-encrypts and re-keys the rows
/// still under a key being retired (<c>xinfang keys rotate</c>). Each batch commits on its own and each row is
/// updated only if it is still as it was read, so the work can be interrupted, re-run, or run beside web nodes.
/// </summary>
public sealed class PersonalDataRewrite(XinfangDb db, PersonalDataCipher cipher, ILogger<PersonalDataRewrite> log)
{
    public const int BatchSize = 500;

    /// <summary>Petitioner rows still in clear text (a store written before migration 0008).</summary>
    const string ClearRows = "key_id IS NULL OR blind_key_id IS NULL";

    /// <summary>At start, after the migrations: encrypts whatever is still clear. Cheap when nothing is (an index look-up).</summary>
    public async Task<long> EncryptClearRowsAsync(CancellationToken ct)
    {
        await CheckKeysFitStoreAsync(ct);
        var pending = await CountAsync("petitioners", ClearRows, ct);
        var responses = await CountAsync("idempotency_records", ClearResponses, ct);
        if (pending == 0 && responses == 0) return 0;
        log.LogWarning("Encrypting the personal data of {Rows} petitioner rows stored in clear text (upgrade to migration 0008)…", pending);
        var done = await RewriteAsync(ClearRows, null, ct);
        await RewriteResponsesAsync(ClearResponses, ct);
        if (db.IsSqlite)
        {
            // The clear values are still in freed pages and in the write-ahead log: rebuild the file and empty the log.
            await ExecAsync("VACUUM", ct);
            await ExecAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        }
        log.LogWarning("Encrypted the personal data of {Rows} petitioner rows.{Hint}", done,
            db.IsSqlite ? "" : " Run VACUUM FULL petitioners, idempotency_records in PostgreSQL to drop the old clear row versions.");
        return done;
    }

    /// <summary>
    /// Refuses to go on when the store's rows were encrypted under other keys than this ring's: a web node started
    /// with a key file of its own (created on its first start) instead of the one its peers use. One row, by index.
    /// </summary>
    async Task CheckKeysFitStoreAsync(CancellationToken ct)
    {
        (string KeyId, string? IdNumber, string? Phone, string? Address)? sample = null;
        await WithConnectionAsync(async conn =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT key_id, id_number, phone, address FROM petitioners WHERE key_id IS NOT NULL LIMIT 1";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) sample = (r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3));
        }, ct);
        if (sample is not { } row) return;
        try
        {
            if (row.IdNumber is not null) cipher.Unprotect(row.IdNumber, PersonalDataColumns.IdNumber);
            if (row.Phone is not null) cipher.Unprotect(row.Phone, PersonalDataColumns.Phone);
            if (row.Address is not null) cipher.Unprotect(row.Address, PersonalDataColumns.Address);
        }
        catch (PersonalDataUnreadable e)
        {
            var keys = cipher.Keys;
            throw new InvalidOperationException(
                $"The personal data in this store cannot be read with the keys of {keys.File ?? "configuration PersonalData:Keys"} ({e.Message}). " +
                "Every web node and verb must use the same keys: copy the key file of the nodes that wrote the store (or configure PersonalData:Keys), then start again.", e);
        }
    }

    /// <summary>Rows not yet under the active data and blind-index keys.</summary>
    public Task<long> PendingAsync(CancellationToken ct) => CountAsync("petitioners", Pending(cipher.Keys), ct);

    /// <summary>
    /// Re-encrypts every row not under the active data key, and re-keys every row whose blind indexes were not
    /// computed with the active blind-index key; also the stored registration responses. Returns the rows rewritten.
    /// </summary>
    public async Task<long> RotateAsync(IProgress<(long Done, long Total)>? progress, CancellationToken ct)
    {
        var keys = cipher.Keys;
        var done = await RewriteAsync(Pending(keys), progress, ct);
        var old = keys.Retiring(KeyUse.Data);
        if (old.Count > 0)
            await RewriteResponsesAsync(ClearResponses + " OR " + string.Join(" OR ", old.SelectMany(id => new[] { $"response LIKE '{PersonalDataCipher.Sm4Prefix}:{id}:%'", $"response LIKE '{PersonalDataCipher.AesGcmPrefix}:{id}:%'" })), ct);
        return done;
    }

    /// <summary>Stored registration responses under <paramref name="keyId"/> (still needed while this is not zero).</summary>
    public Task<long> ResponsesUnderAsync(string keyId, CancellationToken ct) =>
        CountAsync("idempotency_records", $"response LIKE '{PersonalDataCipher.Sm4Prefix}:{keyId}:%' OR response LIKE '{PersonalDataCipher.AesGcmPrefix}:{keyId}:%'", ct);

    /// <summary>Petitioner rows per data key (<paramref name="blindIndex"/>: per blind-index key).</summary>
    public async Task<IReadOnlyList<KeyRows>> RowsPerKeyAsync(bool blindIndex, CancellationToken ct)
    {
        var column = blindIndex ? "blind_key_id" : "key_id";
        var result = new List<KeyRows>();
        await WithConnectionAsync(async conn =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT {column}, COUNT(*) FROM petitioners GROUP BY {column} ORDER BY {column}";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                result.Add(new KeyRows(reader.IsDBNull(0) ? null : reader.GetString(0), Convert.ToInt64(reader.GetValue(1))));
        }, ct);
        return result;
    }

    const string ClearResponses = "response LIKE '{%'";

    static string Pending(PersonalDataKeys keys)
    {
        // Key ids are checked to be [A-Za-z0-9_-] when the ring is read: safe as literals. IN lists use the indexes.
        var sql = ClearRows;
        if (keys.Retiring(KeyUse.Data) is { Count: > 0 } data) sql += $" OR key_id IN ({string.Join(", ", data.Select(id => $"'{id}'"))})";
        if (keys.Retiring(KeyUse.BlindIndex) is { Count: > 0 } blind) sql += $" OR blind_key_id IN ({string.Join(", ", blind.Select(id => $"'{id}'"))})";
        return sql;
    }

    async Task<long> RewriteAsync(string where, IProgress<(long Done, long Total)>? progress, CancellationToken ct)
    {
        var total = await CountAsync("petitioners", where, ct);
        long done = 0;
        progress?.Report((0, total));
        while (true)
        {
            var rows = new List<(object Id, string Name, string? IdNumber, string? Phone, string? Address, string? KeyId)>();
            var changed = 0;
            await WithConnectionAsync(async conn =>
            {
                await using (var select = conn.CreateCommand())
                {
                    select.CommandText = $"SELECT id, name, id_number, phone, address, key_id FROM petitioners WHERE {where} LIMIT {BatchSize}";
                    await using var reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                        rows.Add((reader.GetValue(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5)));
                }
                if (rows.Count == 0) return;
                await using var tx = await conn.BeginTransactionAsync(ct);
                foreach (var r in rows)
                {
                    // A row with no key id is clear text from before 0008; otherwise every column is an envelope.
                    var clear = r.KeyId is null;
                    string? Open(string? v, string column) => v is null ? null : clear ? v : cipher.Unprotect(v, column);
                    var name = clear ? r.Name : cipher.UnprotectName(r.Name, PersonalDataColumns.Name);
                    var idNumber = Open(r.IdNumber, PersonalDataColumns.IdNumber);
                    var phone = Open(r.Phone, PersonalDataColumns.Phone);
                    var address = Open(r.Address, PersonalDataColumns.Address);
                    var keys = cipher.Keys;
                    await using var update = conn.CreateCommand();
                    update.Transaction = tx;
                    update.CommandText = """
                        UPDATE petitioners SET name = @name, id_number = @id_number, phone = @phone, address = @address,
                            key_id = @key_id, blind_key_id = @blind_key_id, id_number_key = @id_number_key, phone_key = @phone_key, name_key = @name_key
                        WHERE id = @id AND 
                        """ + (r.KeyId is null ? "key_id IS NULL" : "key_id = @old_key_id");
                    update.AddParameter("@name", cipher.ProtectName(name, PersonalDataColumns.Name));
                    update.AddParameter("@id_number", Db(idNumber is null ? null : cipher.Protect(idNumber, PersonalDataColumns.IdNumber)));
                    update.AddParameter("@phone", Db(phone is null ? null : cipher.Protect(phone, PersonalDataColumns.Phone)));
                    update.AddParameter("@address", Db(address is null ? null : cipher.Protect(address, PersonalDataColumns.Address)));
                    update.AddParameter("@key_id", keys.ActiveData.Id);
                    update.AddParameter("@blind_key_id", keys.ActiveBlindIndex.Id);
                    update.AddParameter("@id_number_key", Db(PersonalDataStorage.KeyOf(cipher, PersonalField.IdNumber, idNumber)));
                    update.AddParameter("@phone_key", Db(PersonalDataStorage.KeyOf(cipher, PersonalField.Phone, phone)));
                    update.AddParameter("@name_key", Db(PersonalDataStorage.KeyOf(cipher, PersonalField.Name, name)));
                    update.AddParameter("@id", r.Id);
                    if (r.KeyId is not null) update.AddParameter("@old_key_id", r.KeyId);
                    changed += await update.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }, ct);
            if (rows.Count == 0) break;
            done += changed;
            progress?.Report((Math.Min(done, Math.Max(total, done)), Math.Max(total, done)));
        }
        return done;
    }

    async Task RewriteResponsesAsync(string where, CancellationToken ct)
    {
        while (true)
        {
            var rows = new List<(object UserId, string Key, string Response)>();
            await WithConnectionAsync(async conn =>
            {
                await using (var select = conn.CreateCommand())
                {
                    select.CommandText = $"SELECT user_id, key, response FROM idempotency_records WHERE {where} LIMIT {BatchSize}";
                    await using var reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) rows.Add((reader.GetValue(0), reader.GetString(1), reader.GetString(2)));
                }
                if (rows.Count == 0) return;
                await using var tx = await conn.BeginTransactionAsync(ct);
                foreach (var r in rows)
                {
                    var clear = PersonalDataCipher.IsEnvelope(r.Response) ? cipher.Unprotect(r.Response, PersonalDataColumns.IdempotencyResponse) : r.Response;
                    await using var update = conn.CreateCommand();
                    update.Transaction = tx;
                    update.CommandText = "UPDATE idempotency_records SET response = @response WHERE user_id = @user_id AND key = @key AND response = @old";
                    update.AddParameter("@response", cipher.Protect(clear, PersonalDataColumns.IdempotencyResponse));
                    update.AddParameter("@user_id", r.UserId);
                    update.AddParameter("@key", r.Key);
                    update.AddParameter("@old", r.Response);
                    await update.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }, ct);
            if (rows.Count == 0) break;
        }
    }

    async Task<long> CountAsync(string table, string where, CancellationToken ct)
    {
        long count = 0;
        await WithConnectionAsync(async conn =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
            count = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
        }, ct);
        return count;
    }

    Task ExecAsync(string sql, CancellationToken ct) => WithConnectionAsync(async conn =>
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }, ct);

    async Task WithConnectionAsync(Func<DbConnection, Task> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await work(db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    static object Db(string? value) => (object?)value ?? DBNull.Value;
}
