using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Notifications;

/// <summary>A notice as the API and the page show it.</summary>
public sealed record NotificationView(
    Guid Id, string Kind, string Title, string? Body, Guid? PetitionId, string? Link, bool Personal,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, Guid? ReadByUserId);

public sealed record UnreadCount(int Unread);

/// <summary>
/// 消息提醒: the notices of the caller — those of their unit and those addressed to them — newest first; the unread
/// count of the workbench's header; marking one or all as read. A unit's notice is read for the whole unit (whoever
/// of it dealt with the matter): the first reader is recorded.
/// </summary>
public sealed class NotificationCentre(XinfangDb db, TimeProvider time)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Who reads notices: the staff who work on matters (the three administrators receive none).</summary>
    public static bool MayRead(Staff staff) => staff.WorksOnPetitions;

    /// <summary>The caller's notices: their unit's for everyone, and their own (over the recipient unit index).</summary>
    IQueryable<Notification> Mine(Staff staff)
    {
        var unit = staff.Unit.Id;
        var user = staff.User.Id;
        return db.Notifications.Where(n => n.RecipientUnitId == unit && (n.RecipientUserId == null || n.RecipientUserId == user));
    }

    public async Task<IResult> ListAsync(Staff staff, bool? unread, string? cursor, int? limit, CancellationToken ct)
    {
        var page = await PageAsync(staff, unread, cursor, limit, ct);
        return page.Errors is { } e ? Problems.Validation(e.ToDictionary()) : page.Forbidden ? Problems.Forbidden() : TypedResults.Ok(page.Listing);
    }

    public sealed record Page(Listing<NotificationView>? Listing, IReadOnlyDictionary<string, string[]>? Errors = null, bool Forbidden = false);

    public async Task<Page> PageAsync(Staff staff, bool? unread, string? cursor, int? limit, CancellationToken ct)
    {
        if (!MayRead(staff)) return new(null, Forbidden: true);
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        (DateTimeOffset At, Guid Id)? after = null;
        if (cursor is not null)
        {
            after = Cursors.DecodeInstant(cursor);
            if (after is null) errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return new(null, errors);
        var take = limit ?? DefaultLimit;
        var rows = Mine(staff);
        if (unread == true) rows = rows.Where(n => n.ReadAt == null);
        if (after is { } a) rows = rows.Where(n => n.CreatedAt < a.At || (n.CreatedAt == a.At && n.Id.CompareTo(a.Id) < 0));
        var page = await rows.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take + 1).AsNoTracking().ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        return new(new Listing<NotificationView>(page.Select(ViewOf).ToList(), more ? Cursors.EncodeInstant(page[^1].CreatedAt, page[^1].Id) : null));
    }

    /// <summary>The header's badge: one count over the (recipient unit, read at) index.</summary>
    public Task<int> UnreadAsync(Staff staff, CancellationToken ct) =>
        MayRead(staff) ? Mine(staff).CountAsync(n => n.ReadAt == null, ct) : Task.FromResult(0);

    public async Task<IResult> CountAsync(Staff staff, CancellationToken ct) =>
        MayRead(staff) ? TypedResults.Ok(new UnreadCount(await UnreadAsync(staff, ct))) : Problems.Forbidden();

    /// <summary>Marks one notice read (again is no change). Someone else's notice is 404, as if absent.</summary>
    public async Task<IResult> ReadAsync(Staff staff, Guid id, CancellationToken ct)
    {
        if (!MayRead(staff)) return Problems.Forbidden();
        var notice = await Mine(staff).FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null) return Problems.NotFound("消息");
        if (notice.ReadAt is null)
        {
            notice.ReadAt = time.GetUtcNow();
            notice.ReadByUserId = staff.User.Id;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(ViewOf(notice));
    }

    /// <summary>Marks every unread notice of the caller read; answers how many.</summary>
    public async Task<IResult> ReadAllAsync(Staff staff, CancellationToken ct)
    {
        if (!MayRead(staff)) return Problems.Forbidden();
        var now = time.GetUtcNow();
        var user = staff.User.Id;
        var marked = await Mine(staff).Where(n => n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now).SetProperty(n => n.ReadByUserId, user), ct);
        return TypedResults.Ok(new { marked });
    }

    static NotificationView ViewOf(Notification n) => new(
        n.Id, n.Kind, n.Title, n.Body, n.PetitionId, n.Link, n.RecipientUserId is not null,
        n.CreatedAt.ToOffset(Domain.Deadlines.ChinaTime.Offset), n.ReadAt?.ToOffset(Domain.Deadlines.ChinaTime.Offset), n.ReadByUserId);

    /// <summary>The Chinese name of a kind, for the page.</summary>
    public static string KindName(string kind) => kind switch
    {
        NotificationKinds.ClockWarning => "临期预警",
        NotificationKinds.Overdue => "逾期",
        NotificationKinds.Supervision => "督办",
        NotificationKinds.SupervisionOverdue => "督办逾期",
        NotificationKinds.Ownership => "领导包案",
        NotificationKinds.Backlog => "积案化解",
        NotificationKinds.Cluster => "类案",
        NotificationKinds.FollowUp => "回访",
        NotificationKinds.UrgentReport => "紧急上报",
        _ => "提醒",
    };

}
