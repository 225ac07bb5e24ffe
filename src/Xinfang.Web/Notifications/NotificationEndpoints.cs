using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Notifications;

/// <summary>/api/v1/notifications: the caller's notification centre (消息提醒).</summary>
public static class NotificationEndpoints
{
    public static void AddNotificationCentre(IServiceCollection services) => services.AddScoped<NotificationCentre>();

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization();

        g.MapGet("/", async (bool? unread, string? cursor, int? limit, HttpContext http, XinfangDb db, NotificationCentre use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ListAsync(staff, unread, cursor, limit, ct) : Problems.Unauthenticated())
            .WithName("ListNotifications").WithSummary("我的消息提醒（本单位的和发给本人的，新的在前）")
            .Produces<Listing<NotificationView>>().ProducesProblem(400).ProducesProblem(403);

        g.MapGet("/count", async (HttpContext http, XinfangDb db, NotificationCentre use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.CountAsync(staff, ct) : Problems.Unauthenticated())
            .WithName("CountUnreadNotifications").WithSummary("未读消息数").Produces<UnreadCount>().ProducesProblem(403);

        g.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, XinfangDb db, NotificationCentre use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ReadAsync(staff, id, ct) : Problems.Unauthenticated())
            .WithName("ReadNotification").WithSummary("标为已读").Produces<NotificationView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/read-all", async (HttpContext http, XinfangDb db, NotificationCentre use, CancellationToken ct) =>
            await Staff.LoadAsync(db, http.User, ct) is { } staff ? await use.ReadAllAsync(staff, ct) : Problems.Unauthenticated())
            .WithName("ReadAllNotifications").WithSummary("全部标为已读").ProducesProblem(403);
    }
}
