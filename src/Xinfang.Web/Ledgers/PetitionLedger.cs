using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Ledgers;

/// <summary>One line of the petition ledger, as the caller may see it (masked, or the confidentiality notice).</summary>
public sealed record PetitionLedgerRow(
    string Number, DateOnly ReceivedOn, DateTimeOffset RegisteredAt, Channel Channel, PetitionType Type, string? Category, string RegionCode,
    string Title, string Petitioners, string Phones, int Headcount, PetitionStatus Status, Warning Warning, string HoldingUnit,
    IReadOnlyList<string> ResponsibleUnits, DateTimeOffset? DisposedAt, DateTimeOffset? AcceptedAt, DateOnly? RepliedOn,
    DateOnly? ReviewedOn, DateOnly? ReReviewedOn, DateTimeOffset? ClosedAt, string ClocksDue);

/// <summary>
/// The petition ledger (信访事项台账): the petition list's rows and filters (status, warning, unitId, q — as
/// GET /api/v1/petitions — plus received dates from/to, channel and categoryCode as the search page has them),
/// read newest first in keyset pages of <see cref="Batch"/> over petition_access, never all at once.
/// <para>
/// Personal data (个人信息保护法 Art. 51; domain.md): a file leaves the system, so a caller without a handling
/// role (supervisor, analyst) gets names and phones masked, not only phones as on screen; an accusation the
/// caller holds only as a notice (Art. 30 ¶3) shows the notice for its title and no petitioner; one hidden from
/// the caller (the accused unit's subtree, the accused person) is not in the ledger at all.
/// </para>
/// </summary>
public sealed class PetitionLedger(XinfangDb db)
{
    public const int Batch = 500;

    public static readonly Ledger<PetitionLedgerRow> Ledger = new("信访事项台账", "petitions",
    [
        new("信访事项编号", r => r.Number, 22),
        new("收到日期", r => r.ReceivedOn, 12),
        new("登记时间", r => r.RegisteredAt, 17),
        new("信访渠道", r => Names.Of(r.Channel), 10),
        new("信访类型", r => Names.Of(r.Type), 10),
        new("问题分类", r => r.Category, 16),
        new("行政区划", r => r.RegionCode, 10),
        new("标题", r => r.Title, 36),
        new("信访人", r => r.Petitioners, 14),
        new("联系电话", r => r.Phones, 16),
        new("人数", r => r.Headcount, 6),
        new("状态", r => Names.Of(r.Status), 10),
        new("预警", r => Names.Of(r.Warning), 8),
        new("当前办理单位", r => r.HoldingUnit, 24),
        new("责任单位", r => r.ResponsibleUnits, 30),
        new("转送交办时间", r => r.DisposedAt, 17),
        new("受理时间", r => r.AcceptedAt, 17),
        new("答复日期", r => r.RepliedOn, 12),
        new("复查意见日期", r => r.ReviewedOn, 12),
        new("复核意见日期", r => r.ReReviewedOn, 12),
        new("办结时间", r => r.ClosedAt, 17),
        new("期限", r => r.ClocksDue, 36),
    ]);

    /// <summary>The filters of one export, checked; the query string as the list and search pages send it.</summary>
    public sealed record Filter(PetitionStatus? Status, Warning? Warning, Guid Scope, string? Q, DateOnly? From, DateOnly? To, Channel? Channel, string? CategoryCode);

    public async Task<LedgerRows<PetitionLedgerRow>> RowsAsync(HttpContext http, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return LedgerRows<PetitionLedgerRow>.Refused(403, "您的角色无权导出信访事项台账");
        var query = http.Request.Query;
        string? Arg(string name) => string.IsNullOrWhiteSpace(query[name]) ? null : query[name].ToString().Trim();
        var errors = new Dictionary<string, string[]>();

        var status = RegisterPetition.ParseEnum<PetitionStatus>(Arg("status"));
        if (Arg("status") is not null && status is null) errors["status"] = ["未知的状态"];
        var warning = RegisterPetition.ParseEnum<Warning>(Arg("warning"));
        if (Arg("warning") is not null && warning is null) errors["warning"] = ["预警应为 none、yellow 或 red"];
        var channel = RegisterPetition.ParseEnum<Channel>(Arg("channel"));
        if (Arg("channel") is not null && channel is null) errors["channel"] = ["信访渠道应为 online、letter、visit、phone 或 fax"];
        var category = Arg("categoryCode");
        if (category is not null && (category.Length > 32 || !category.All(char.IsAsciiLetterOrDigit))) errors["categoryCode"] = ["问题类别代码应为不超过32位的字母或数字"];
        var q = Arg("q");
        if (q is { Length: > 100 }) errors["q"] = ["检索内容不超过100个字符"];
        else if (q is not null && q.Any(char.IsControl)) errors["q"] = ["检索内容包含不允许的字符"];
        var from = Date(Arg("from"));
        if (Arg("from") is not null && from is null) errors["from"] = ["起始日期格式应为 yyyy-MM-dd，例如 2026-03-01"];
        var to = Date(Arg("to"));
        if (Arg("to") is not null && to is null) errors["to"] = ["截止日期格式应为 yyyy-MM-dd，例如 2026-03-31"];
        if (from > to) errors["to"] = ["截止日期不能早于起始日期"];
        Guid? unitId = null;
        if (Arg("unitId") is { } u)
        {
            if (Guid.TryParse(u, out var parsed)) unitId = parsed;
            else errors["unitId"] = ["单位标识无效"];
        }
        if (errors.Count > 0) return LedgerRows<PetitionLedgerRow>.Refused(400, "导出条件有误，请检查标注的字段", errors);

        var scope = staff.Unit.Id;
        if (unitId is { } asked && asked != scope)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(x => x.Id == asked, ct);
            if (unit is null || !staff.Unit.Contains(unit)) return LedgerRows<PetitionLedgerRow>.Refused(404, "单位不存在或不在本单位管辖范围内");
            scope = unit.Id;
        }
        var filter = new Filter(status, warning, scope, q, from, to, channel, category);
        var recorded = new { status = Arg("status"), warning = Arg("warning"), unitId = scope, q = q is null ? null : "(有)", from, to, channel = Arg("channel"), categoryCode = category };
        return new(Read(staff, filter, ct), recorded);
    }

    static DateOnly? Date(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 1900 ? d : null;

    /// <summary>The rows, newest first, a keyset page at a time.</summary>
    public async IAsyncEnumerable<PetitionLedgerRow> Read(Staff staff, Filter f, [EnumeratorCancellation] CancellationToken ct)
    {
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var units = new Dictionary<Guid, string>();
        (DateTimeOffset At, string Number)? after = null;
        while (true)
        {
            var access = db.PetitionAccess.Where(a => a.UnitId == f.Scope);
            if (after is { } k)
                access = access.Where(a => a.RegisteredAt < k.At || (a.RegisteredAt == k.At && string.Compare(a.Number, k.Number) < 0));
            var query = access.Join(db.Petitions.Where(Jurisdiction.NotHiddenFrom(staff)), a => a.PetitionId, p => p.Id, (a, p) => new { a, p });
            if (f.Status is { } s) query = query.Where(x => x.p.Status == s);
            if (f.Warning is { } w) query = query.Where(x => x.p.Warning == w);
            if (f.Channel is { } ch) query = query.Where(x => x.p.Channel == ch);
            if (f.CategoryCode is { } cat) query = query.Where(x => x.p.CategoryCode != null && x.p.CategoryCode.StartsWith(cat));
            if (f.From is { } fromDay) { var start = ChinaTime.StartOf(fromDay); query = query.Where(x => x.p.ReceivedAt >= start); }
            if (f.To is { } toDay) { var end = ChinaTime.StartOf(toDay.AddDays(1)); query = query.Where(x => x.p.ReceivedAt < end); }
            if (f.Q is { } term)
            {
                // Art. 30 ¶3: a title the caller sees only as a notice must not be confirmable by filtering on it (as ListPetitions).
                var titled = db.Petitions.Where(Jurisdiction.SeenInFullBy(staff)).Where(p => p.Title.Contains(term)).Select(p => p.Id);
                query = query.Where(x => x.p.Number == term || titled.Contains(x.p.Id));
            }
            var page = await query.OrderByDescending(x => x.a.RegisteredAt).ThenByDescending(x => x.a.Number).Take(Batch)
                .Select(x => x.p).Include(p => p.Petitioners).AsNoTracking().AsSplitQuery().ToListAsync(ct);
            if (page.Count == 0) yield break;

            var missing = page.SelectMany(p => p.ResponsibleUnitIds.Append(p.HoldingUnitId)).Distinct().Where(id => !units.ContainsKey(id)).ToList();
            if (missing.Count > 0)
                foreach (var u in await db.Units.AsNoTracking().Where(u => missing.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct))
                    units[u.Id] = u.Name;
            foreach (var p in page) yield return RowOf(p, staff, categories, units);
            if (page.Count < Batch) yield break;
            after = (page[^1].RegisteredAt, page[^1].Number);
        }
    }

    static PetitionLedgerRow RowOf(Petition p, Staff staff, IReadOnlyDictionary<string, string> categories, IReadOnlyDictionary<Guid, string> units)
    {
        var notice = Jurisdiction.IsAccused(staff, p);
        var full = Jurisdiction.SeesPersonalData(staff, p);
        var people = notice ? [] : p.Petitioners.OrderBy(x => x.Position).ToList();
        var names = string.Join("、", people.Select(x => full ? x.Name : MaskName(x.Name)));
        var phones = string.Join("、", people.Where(x => x.Phone is not null).Select(x => full ? x.Phone! : PhoneNumber.Mask(x.Phone!)));
        var clocks = string.Join("；", p.Clocks.Select(c =>
            $"{Names.Of(c.Name)} {c.DueOn:yyyy-MM-dd}" + (c.State == ClockState.Paused ? "（暂停）" : c.Warning == Warning.None ? "" : $"（{Names.Of(c.Warning)}）")));
        string Unit(Guid id) => units.GetValueOrDefault(id) ?? id.ToString();
        return new PetitionLedgerRow(
            p.Number, ChinaTime.DateOf(p.ReceivedAt), p.RegisteredAt, p.Channel, p.Type,
            p.CategoryCode is { } code ? categories.GetValueOrDefault(code) ?? code : null, p.RegionCode,
            notice ? PetitionView.Confidential : p.Title, names, phones, p.Headcount, p.Status, p.Warning, Unit(p.HoldingUnitId),
            p.ResponsibleUnitIds.Select(Unit).ToList(), p.DisposedAt, p.AcceptedAt, p.RepliedOn, p.ReviewedOn, p.ReReviewedOn, p.ClosedAt, clocks);
    }

    /// <summary>张三 → 张*, 欧阳娜娜 → 欧***: the surname stays, so a clerk can still tell lines apart.</summary>
    public static string MaskName(string name)
    {
        var chars = System.Globalization.StringInfo.ParseCombiningCharacters(name);
        if (chars.Length <= 1) return "*";
        return name[..chars[1]] + new string('*', chars.Length - 1);
    }
}
