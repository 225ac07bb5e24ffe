using Xinfang.Web.Data;

namespace Xinfang.Web.Notifications;

/// <summary>
/// A way out of the building for a notice: e-mail or SMS gateways plug in here. None is reachable from a
/// petition office's network by default, so the one shipped implementation writes to the log.
/// </summary>
public interface INotificationChannel
{
    Task DeliverAsync(Notification notice, CancellationToken ct);
}

/// <summary>The default channel: a structured log line per notice (no personal data is ever in a notice).</summary>
public sealed class LoggingNotificationChannel(ILogger<LoggingNotificationChannel> log) : INotificationChannel
{
    public Task DeliverAsync(Notification notice, CancellationToken ct)
    {
        log.LogInformation("Notice {Kind} to unit {Unit} user {User}: {Title} ({Link})",
            notice.Kind, notice.RecipientUnitId, notice.RecipientUserId, notice.Title, notice.Link);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every notice goes through here: it is added to the caller's unit of work (so it is saved, or not, together
/// with the change that caused it) for the in-app notification centre, and handed to each registered channel.
/// </summary>
public sealed class Notifier(XinfangDb db, TimeProvider time, IEnumerable<INotificationChannel> channels)
{
    public async Task SendAsync(Notification notice, CancellationToken ct)
    {
        if (notice.CreatedAt == default) notice.CreatedAt = time.GetUtcNow();
        db.Notifications.Add(notice);
        foreach (var channel in channels) await channel.DeliverAsync(notice, ct);
    }

    public static void AddNotifications(IServiceCollection services)
    {
        services.AddScoped<Notifier>();
        services.AddSingleton<INotificationChannel, LoggingNotificationChannel>();
    }
}
