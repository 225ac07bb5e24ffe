using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Audit;

/// <summary>The filters of GET /api/v1/audit and of the audit page, as the query string spells them.</summary>
public sealed record AuditQuery(string? From = null, string? To = null, string? Actor = null, string? Action = null, string? Target = null,
    string? Cursor = null, int? Limit = null);

public sealed record AuditEntryView(long Sequence, DateTimeOffset At, string ActorKind, Guid? ActorUserId, string? ActorUserName, Guid? ActorUnitId,
    string? ClientAddress, string Action, string? TargetKind, string? TargetId, JsonElement? Detail, string Algorithm, string PreviousHash, string Hash)
{
    public static AuditEntryView Of(AuditEntry e) => new(e.Sequence, e.At, e.ActorKind, e.ActorUserId, e.ActorUserName, e.ActorUnitId, e.ClientAddress,
        e.Action, e.TargetKind, e.TargetId, ParseDetail(e.Detail), e.Algorithm, e.PreviousHash, e.Hash);

    static JsonElement? ParseDetail(string? detail)
    {
        if (detail is null) return null;
        try { return JsonDocument.Parse(detail).RootElement.Clone(); }
        catch (JsonException) { return JsonSerializer.SerializeToElement(detail); }
    }
}

/// <summary>A page of audit entries, or the field errors of the query.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, string? NextCursor, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// The audit log for the audit administrator alone (三员分立: the system and security administrators, whose own
/// actions are logged here, cannot read it). Newest first, keyset-paginated on the sequence number.
/// Filters: from/to (a China date, yyyy-MM-dd, both inclusive, or an instant), the actor (user name or id),
/// the action (a code, or a prefix ending with '.' such as <c>signIn.</c>), and the target (an id, or a petition number).
/// </summary>
public static class ListAuditEntries
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static bool MayRead(Staff staff) => staff.Has(Role.AuditAdmin);

    public static async Task<AuditPage> PageAsync(XinfangDb db, AuditQuery q, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var from = ParseTime(q.From, endOfDay: false);
        if (q.From is { Length: > 0 } && from is null) errors["from"] = ["起始时间格式应为 yyyy-MM-dd"];
        var to = ParseTime(q.To, endOfDay: true);
        if (q.To is { Length: > 0 } && to is null) errors["to"] = ["截止时间格式应为 yyyy-MM-dd"];
        if (q.Limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数为1至{MaxLimit}"];
        long? before = null;
        if (!string.IsNullOrEmpty(q.Cursor))
        {
            if (Cursors.Decode(q.Cursor) is { } key && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) before = s;
            else errors["cursor"] = ["分页游标无效"];
        }
        if (errors.Count > 0) return new AuditPage([], null, errors);

        var rows = db.AuditEntries.AsNoTracking();
        if (before is { } b) rows = rows.Where(e => e.Sequence < b);
        if (from is { } f) rows = rows.Where(e => e.At >= f);
        if (to is { } t) rows = rows.Where(e => e.At < t);
        if (q.Actor?.Trim() is { Length: > 0 } actor)
            rows = Guid.TryParse(actor, out var actorId) ? rows.Where(e => e.ActorUserId == actorId) : rows.Where(e => e.ActorUserName == actor);
        if (q.Action?.Trim() is { Length: > 0 } action)
            rows = action.EndsWith('.') ? rows.Where(e => e.Action.StartsWith(action)) : rows.Where(e => e.Action == action);
        if (q.Target?.Trim() is { Length: > 0 } target)
        {
            // A petition number stands for the petition's id, so a clerk's reference finds the matter's history.
            var petition = await db.Petitions.AsNoTracking().Where(p => p.Number == target).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            var id = Guid.TryParse(target, out var g) ? g.ToString() : petition?.ToString() ?? target;
            rows = rows.Where(e => e.TargetId == id);
        }
        var take = q.Limit ?? DefaultLimit;
        var page = await rows.OrderByDescending(e => e.Sequence).Take(take + 1).ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        return new AuditPage(page.Select(AuditEntryView.Of).ToList(),
            more ? Cursors.Encode(page[^1].Sequence.ToString(CultureInfo.InvariantCulture)) : null);
    }

    /// <summary>A China date (the whole day) or an instant with its offset.</summary>
    static DateTimeOffset? ParseTime(string? text, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset((endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
    }
}
