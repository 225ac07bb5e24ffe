using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Xinfang.Web.Data;

/// <summary>
/// SQLite allows one writer at a time. With SQLite's own busy handler (PRAGMA busy_timeout) a waiting writer
/// retries in small steps as soon as the lock frees, instead of the driver's coarse retry sleeps; this keeps
/// the tail latency of concurrent registrations down. WAL mode is set once by the migrator.
/// </summary>
sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        cmd.ExecuteNonQuery();
    }
}
