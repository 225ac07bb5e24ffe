using Xinfang.Web.Workbench;

namespace Xinfang.Web.Notifications;

/// <summary>消息提醒 (/staff/notifications): the caller's notices; opening one marks it read.</summary>
public static class NotificationPages
{
    public static void MapNotificationPages(RouteGroupBuilder g)
    {
        g.MapGet("/notifications", async (string? unread, string? cursor, string? m, HttpContext http, NotificationCentre use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!NotificationCentre.MayRead(me.Staff)) return WorkbenchPages.Forbidden(me);
            var onlyUnread = unread is "1" or "true";
            var page = await use.PageAsync(me.Staff, onlyUnread, cursor, null, ct);
            return WorkbenchPages.Page<NotificationsPage>(new
            {
                Me = me, P = page, OnlyUnread = onlyUnread,
                Message = m switch { "read-all" => "已全部标为已读。", "read" => "已标为已读。", _ => null },
            }, page.Errors is { Count: > 0 } ? 400 : 200);
        });

        // Opening a notice (or only marking it) reads it; then on to where it leads, if that is a workbench page.
        g.MapPost("/notifications/{id:guid}/read", async (Guid id, HttpContext http, NotificationCentre use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var outcome = PageOutcome.Of(await use.ReadAsync(me.Staff, id, ct));
            if (outcome.Status == 403) return WorkbenchPages.Forbidden(me);
            if (!outcome.Succeeded)
                return WorkbenchPages.Page<Workbench.Pages.MessagePage>(new { Me = me, Title = "消息提醒", Error = "该消息不存在或不是发给您的。" }, 404);
            var link = outcome.ValueAs<NotificationView>()?.Link;
            return form["open"] == "1" && WorkbenchPages.IsLocal(link) && link!.StartsWith("/staff/", StringComparison.Ordinal)
                ? Results.LocalRedirect(link)
                : Results.LocalRedirect("/staff/notifications?m=read");
        });

        g.MapPost("/notifications/read-all", async (HttpContext http, NotificationCentre use, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!NotificationCentre.MayRead(me.Staff)) return WorkbenchPages.Forbidden(me);
            await use.ReadAllAsync(me.Staff, ct);
            return Results.LocalRedirect("/staff/notifications?m=read-all");
        });
    }
}
