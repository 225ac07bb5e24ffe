using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Documents;

/// <summary>
/// The annual report on petition work (年度信访工作情况报告, Art. 41) of a unit's jurisdiction for a calendar
/// year (China time), as DOCX: what came in (by channel, type, category — by date received), what was done
/// (acceptances, refusals, opinions, reviews, re-reviews, forwarding, assignment, supervision — by the date of
/// the step), the on-time rate of written opinions, the fields involved, the units most complained about, and
/// proposals. Figures only: no petitioner is named, and the accusations a caller may not see (Art. 30 ¶3,
/// Jurisdiction.NotHiddenFrom) are not counted for them either.
/// </summary>
public sealed class AnnualReport(XinfangDb db, PetitionWorkflow workflow, TimeProvider time)
{
    public const int TopRows = 10;
    public const int MaxProposals = 10_000;

    public sealed record Report(string Title, byte[] Docx, IReadOnlyList<DocumentBlock> Blocks);

    public async Task<(Report? Report, DocumentRefusal? Refusal, IReadOnlyDictionary<string, string[]>? Errors)> HandleAsync(
        Staff staff, int year, Guid? unitId, string? proposals, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return (null, new(403, "您的角色无权查看年度信访工作报告"), null);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        if (year < 2000 || year > today.Year) return (null, null, new Dictionary<string, string[]> { ["year"] = [$"年度应在2000至{today.Year}之间"] });
        if (proposals is { Length: > MaxProposals }) return (null, null, new Dictionary<string, string[]> { ["proposals"] = [$"意见建议不超过{MaxProposals}个字符"] });
        var unit = staff.Unit;
        if (unitId is { } asked && asked != unit.Id)
        {
            var found = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == asked, ct);
            if (found is null || !staff.Unit.Contains(found)) return (null, new(404, "单位不存在或不在本单位管辖范围内"), null);
            unit = found;
        }
        var scope = unit.Id;
        var start = ChinaTime.StartOf(new DateOnly(year, 1, 1));
        var end = ChinaTime.StartOf(new DateOnly(year + 1, 1, 1));

        var inScope = db.Petitions.Where(Jurisdiction.NotHiddenFrom(staff)).Where(p => db.PetitionAccess.Any(a => a.PetitionId == p.Id && a.UnitId == scope));
        var received = inScope.Where(p => p.ReceivedAt >= start && p.ReceivedAt < end);
        var total = await received.CountAsync(ct);
        var byChannel = await received.GroupBy(p => p.Channel).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byType = await received.GroupBy(p => p.Type).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byCategory = await received.GroupBy(p => p.CategoryCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var accused = await received.Where(p => p.Type == PetitionType.Accusation && p.AccusedUnitId != null)
            .GroupBy(p => p.AccusedUnitId).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(x => x.Count).Take(TopRows).ToListAsync(ct);

        // Steps by the date they were taken, on the matters of the jurisdiction whenever they came in.
        var steps = db.PetitionEvents.Where(e => e.At >= start && e.At < end).Join(inScope, e => e.PetitionId, p => p.Id, (e, p) => e);
        var counted = new[]
        {
            PetitionAction.Accept, PetitionAction.Decline, PetitionAction.Reply, PetitionAction.ReviewDecision, PetitionAction.ReReviewDecision,
            PetitionAction.Forward, PetitionAction.Assign, PetitionAction.Object, PetitionAction.Extend,
            PetitionAction.Supervise, PetitionAction.SupervisionFeedback, PetitionAction.SupervisionEscalate,
        };
        var byAction = await steps.Where(e => counted.Contains(e.Action)).GroupBy(e => e.Action).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var supervisedMatters = await steps.Where(e => e.Action == PetitionAction.Supervise).Select(e => e.PetitionId).Distinct().CountAsync(ct);
        var onTime = await OnTimeAsync(inScope, start, end, today, ct);

        var unitNames = await db.Units.AsNoTracking().Where(u => accused.Select(a => a.Key).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        int Of<TKey>(IReadOnlyDictionary<TKey, int> d, TKey k) where TKey : notnull => d.GetValueOrDefault(k);
        string Share(int n) => total == 0 ? "—" : (100.0 * n / total).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);

        var title = $"{unit.Name}{year}年度信访工作情况报告";
        var blocks = new List<DocumentBlock>();
        void P(ParagraphStyle style, string text) => blocks.Add(new ParagraphBlock(new DocumentParagraph(style, text)));
        void T(params IReadOnlyList<string>[] rows) => blocks.Add(new TableBlock(rows));

        P(ParagraphStyle.Title, title);
        P(ParagraphStyle.Centered, $"（统计期间：{year}年1月1日至{year}年12月31日）");
        P(ParagraphStyle.Body, "");
        P(ParagraphStyle.Body, $"依照《信访工作条例》第四十一条，现将{unit.Name}及所辖单位{year}年度信访工作情况报告如下。收件情况按收到日期统计，办理情况按办理行为发生的日期统计；本报告只含统计数字，不含信访人个人信息。");

        P(ParagraphStyle.Heading, "一、信访事项总体情况");
        P(ParagraphStyle.Body, $"本年度共收到信访事项{N(total)}件。其中网上信访{N(Of(byChannel, Channel.Online))}件，占{Share(Of(byChannel, Channel.Online))}。");
        T([["信访渠道", "件数", "占比"], .. Enum.GetValues<Channel>().Select(c => (IReadOnlyList<string>)[Names.Of(c), N(Of(byChannel, c)), Share(Of(byChannel, c))])]);
        P(ParagraphStyle.Body, "");
        T([["信访类型", "件数", "占比"], .. Enum.GetValues<PetitionType>().Select(t => (IReadOnlyList<string>)[Names.Of(t), N(Of(byType, t)), Share(Of(byType, t))])]);
        P(ParagraphStyle.Body, "");

        P(ParagraphStyle.Heading, "二、办理情况");
        P(ParagraphStyle.Body, onTime.Due == 0
            ? "本年度无到期应出具的处理意见。"
            : $"本年度到期应出具处理意见{N(onTime.Due)}件，按期出具{N(onTime.OnTime)}件，逾期出具{N(onTime.Late)}件，超期未出具{N(onTime.Overdue)}件，按期办结率{(100.0 * onTime.OnTime / onTime.Due).ToString("0.0", CultureInfo.InvariantCulture)}%" +
              (onTime.AverageDays is { } avg ? $"；自受理至出具处理意见平均{avg.ToString("0.0", CultureInfo.InvariantCulture)}日。" : "。"));
        T(["办理事项", "件数"],
            ["受理", N(Of(byAction, PetitionAction.Accept))],
            ["不予受理", N(Of(byAction, PetitionAction.Decline))],
            ["延期办理", N(Of(byAction, PetitionAction.Extend))],
            ["出具信访处理意见书", N(Of(byAction, PetitionAction.Reply))],
            ["出具复查意见书", N(Of(byAction, PetitionAction.ReviewDecision))],
            ["出具复核意见书", N(Of(byAction, PetitionAction.ReReviewDecision))]);
        P(ParagraphStyle.Body, "");

        P(ParagraphStyle.Heading, "三、信访事项涉及的领域");
        var fields = byCategory.GroupBy(c => c.Key is { Length: >= 2 } k ? k[..2] : null)
            .Select(g => (Name: g.Key is null ? "未分类" : categories.GetValueOrDefault(g.Key) ?? g.Key, Count: g.Sum(x => x.Count)))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Name, StringComparer.Ordinal).Take(TopRows).ToList();
        if (fields.Count == 0) P(ParagraphStyle.Body, "本年度无信访事项。");
        else
        {
            P(ParagraphStyle.Body, $"信访事项较多的领域依次为：{string.Join("、", fields.Take(3).Select(f => f.Name))}。");
            T([["领域（问题分类）", "件数", "占比"], .. fields.Select(f => (IReadOnlyList<string>)[f.Name, N(f.Count), Share(f.Count)])]);
            P(ParagraphStyle.Body, "");
        }

        P(ParagraphStyle.Heading, "四、被投诉较多的单位");
        if (accused.Count == 0) P(ParagraphStyle.Body, "本年度无针对具体单位的检举控告事项。");
        else
        {
            P(ParagraphStyle.Body, "以下为检举控告事项涉及较多的单位（仅统计件数，检举控告人信息依法保密）。");
            T([["单位", "检举控告件数"], .. accused.Select(a => (IReadOnlyList<string>)[unitNames.GetValueOrDefault(a.Key!.Value) ?? "（已撤销的单位）", N(a.Count)])]);
            P(ParagraphStyle.Body, "");
        }

        P(ParagraphStyle.Heading, "五、转送、交办情况");
        P(ParagraphStyle.Body, $"本年度转送信访事项{N(Of(byAction, PetitionAction.Forward))}件次，交办{N(Of(byAction, PetitionAction.Assign))}件次；收件单位提出异议退回{N(Of(byAction, PetitionAction.Object))}件次。");

        P(ParagraphStyle.Heading, "六、督查督办情况");
        P(ParagraphStyle.Body, $"本年度督办{N(Of(byAction, PetitionAction.Supervise))}次，涉及信访事项{N(supervisedMatters)}件；收到督办反馈{N(Of(byAction, PetitionAction.SupervisionFeedback))}次，提级督办{N(Of(byAction, PetitionAction.SupervisionEscalate))}次。");

        P(ParagraphStyle.Heading, "七、意见建议");
        var proposalText = string.IsNullOrWhiteSpace(proposals)
            ? "针对信访事项集中反映的领域和问题，建议有关部门研究完善相关政策，从源头上预防和减少信访问题的发生。（请在此填写对改进工作、完善政策、解决问题的建议。）"
            : proposals;
        foreach (var line in proposalText.Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0)) P(ParagraphStyle.Body, line.Trim());
        P(ParagraphStyle.Body, "");
        P(ParagraphStyle.Right, unit.Name);
        P(ParagraphStyle.Right, GenerateDocument.Date(today));

        await AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditActions.Export("annualReport"), staff, AuditTargets.Unit, scope, new { year, total }), ct);
        return (new Report(title, Docx.Build(title, blocks), blocks), null, null);
    }

    sealed record OnTimeFigures(int OnTime, int Late, int Overdue, double? AverageDays)
    {
        public int Due => OnTime + Late + Overdue;
    }

    /// <summary>
    /// 按期办结率 (domain.md, "Measures"): opinions issued on time ÷ (on time + late + overdue unanswered). An opinion
    /// (reply) of the year is on time when delivered by its handling clock's due date: 60 days from acceptance
    /// plus any extension (Art. 34), counted on the work calendar as the clock itself is. Overdue unanswered:
    /// matters whose handling clock ran out within the year (by today for the current year) without an opinion.
    /// </summary>
    async Task<OnTimeFigures> OnTimeAsync(IQueryable<Petition> inScope, DateTimeOffset start, DateTimeOffset end, DateOnly today, CancellationToken ct)
    {
        var context = workflow.Context();
        var replies = await db.PetitionEvents.Where(e => e.Action == PetitionAction.Reply && e.At >= start && e.At < end)
            .Join(inScope.Where(p => p.Route == HandlingRoute.PetitionProcedure), e => e.PetitionId, p => p.Id, (e, p) => new { e.PetitionId, e.Sequence, e.Data, e.At })
            .ToListAsync(ct);
        var ids = replies.Select(r => r.PetitionId).Distinct().ToList();
        var earlier = new List<(Guid PetitionId, int Sequence, PetitionAction Action, DateTimeOffset At, string? Data)>();
        foreach (var chunk in ids.Chunk(500))
            earlier.AddRange((await db.PetitionEvents.Where(e => chunk.Contains(e.PetitionId) && (e.Action == PetitionAction.Accept || e.Action == PetitionAction.Extend))
                .Select(e => new { e.PetitionId, e.Sequence, e.Action, e.At, e.Data }).ToListAsync(ct)).Select(e => (e.PetitionId, e.Sequence, e.Action, e.At, e.Data)));
        var byPetition = earlier.ToLookup(e => e.PetitionId);
        int onTime = 0, late = 0;
        var days = new List<int>();
        foreach (var r in replies)
        {
            var before = byPetition[r.PetitionId].Where(e => e.Sequence < r.Sequence).OrderBy(e => e.Sequence).ToList();
            var accept = before.LastOrDefault(e => e.Action == PetitionAction.Accept);
            if (accept.PetitionId == Guid.Empty) continue;
            var acceptedOn = ChinaTime.DateOf(accept.At);
            var clock = Clock.Start(ClockName.Handle, acceptedOn, context.Deadlines, context.Lengths);
            foreach (var x in before.Where(e => e.Action == PetitionAction.Extend && e.Sequence > accept.Sequence))
                clock = clock.Extend(IntIn(x.Data, "days"), context.Deadlines);
            var delivered = DateIn(r.Data, "deliveredOn") ?? ChinaTime.DateOf(r.At);
            if (delivered <= clock.DueOn) onTime++; else late++;
            days.Add(delivered.DayNumber - acceptedOn.DayNumber);
        }
        // Still open with a handling clock that ran out in the period.
        var cutoff = end <= ChinaTime.StartOf(today) ? ChinaTime.DateOf(end).AddDays(-1) : today.AddDays(-1);
        var firstDay = ChinaTime.DateOf(start);
        var open = await inScope.Where(p => p.Status == PetitionStatus.Accepted && p.Route == HandlingRoute.PetitionProcedure).Select(p => p.Clocks).ToListAsync(ct);
        var overdue = open.Count(clocks => clocks.Any(c => c.Name == ClockName.Handle && c.DueOn >= firstDay && c.DueOn <= cutoff));
        return new OnTimeFigures(onTime, late, overdue, days.Count == 0 ? null : days.Average());
    }

    static DateOnly? DateIn(string? json, string name)
    {
        if (json is null) return null;
        using var d = JsonDocument.Parse(json);
        return d.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && DateOnly.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var x) ? x : null;
    }

    static int IntIn(string? json, string name)
    {
        if (json is null) return 0;
        using var d = JsonDocument.Parse(json);
        return d.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
    }
}
