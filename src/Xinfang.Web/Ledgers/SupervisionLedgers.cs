using Xinfang.Domain.Backlog;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Backlog;
using Xinfang.Web.Identity;
using Xinfang.Web.Ownership;
using Xinfang.Web.Supervision;

namespace Xinfang.Web.Ledgers;

/// <summary>
/// The supervision ledgers (督办台账, 包案台账, 积案台账) as XLSX/CSV: the same rows their list pages and APIs read
/// (ListSupervisions, OwnershipLedger, MemberLedger — each cut to the caller's jurisdiction), with the same filters.
/// </summary>
public static class SupervisionLedgers
{
    public static readonly Ledger<SupervisionRow> Supervision = new("督办台账", "supervisions",
    [
        new("信访事项编号", r => r.Number, 22), new("标题", r => r.Title, 36), new("督办方式", r => r.FormName, 12),
        new("督办事由", r => r.ReasonNames, 36), new("督办单位", r => r.IssuerUnitName, 24), new("受督办单位", r => r.AddresseeUnitName, 24),
        new("督办日期", r => r.IssuedOn, 12), new("反馈期限", r => r.DueOn, 12), new("反馈日期", r => r.FeedbackOn, 12),
        new("状态", r => r.StatusName, 12), new("反馈逾期", r => r.Late, 8), new("上报至", r => r.EscalatedToUnitName, 24),
    ]);

    public static readonly Ledger<OwnershipRow> Ownership = new("包案台账", "ownerships",
    [
        new("信访事项编号", r => r.Number, 22), new("标题", r => r.Title, 36),
        new("包案领导", r => r.Leaders.Select(l => $"{l.Name}（{(l.Capacity == LeaderCapacity.Territory ? "属地" : "部门")}，{l.UnitName}）").ToList(), 40),
        new("包案日期", r => r.AssignedOn, 12), new("方案步骤", r => $"{r.StepsDone}/{r.StepsTotal}", 10),
        new("下一步骤", r => r.NextStep?.Title, 24), new("下一步骤时限", r => r.NextStep?.DueOn, 12), new("逾期步骤", r => r.OverdueSteps, 8),
        new("办理预警", r => Names.Of(r.Warning), 8),
        new("状态", r => r.Status switch { OwnershipStatus.Active => "包案中", OwnershipStatus.Released => "已解除", _ => "已结案" }, 8),
        new("三到位一处理", r => r.Outcome is not { } o ? null : new[]
        {
            o.Resolved.Achieved ? "解决到位" : null, o.Counselled.Achieved ? "教育疏导到位" : null,
            o.Relieved.Achieved ? "帮扶救助到位" : null, o.HandledByLaw.Achieved ? "依法处理" : null,
        }.OfType<string>().ToList(), 36),
    ]);

    public static readonly Ledger<MemberLedgerRow> Backlog = new("积案台账", "backlog",
    [
        new("信访事项编号", r => r.Number, 22), new("标题", r => r.Title, 36), new("化解责任人", r => r.OwnerName, 12),
        new("责任单位", r => r.ResponsibleUnitNames, 30), new("化解状态", r => r.StatusName, 10), new("列入时间", r => r.ListedAt, 18),
        new("上报化解时间", r => r.ReportedAt, 18), new("化解情况", r => r.ReportSummary, 36), new("审核时间", r => r.AuditedAt, 18),
        new("退回理由", r => r.AuditReasons, 30), new("销号时间", r => r.StruckOffAt, 18), new("回头看日期", r => r.RecheckDueOn, 12),
        new("回头看结果", r => r.RecheckResult switch { null => null, RecheckResult.Stable => "稳定", _ => "反弹" }, 10),
        new("退回次数", r => r.Returns, 8), new("反弹次数", r => r.Relapses, 8),
    ]);

    static Task<LedgerRows<SupervisionRow>> SupervisionRowsAsync(HttpContext http, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Task.FromResult(LedgerRows<SupervisionRow>.Refused(403, "您的角色无权导出台账"));
        var q = http.Request.Query;
        Guid? unitId = Guid.TryParse(q["unitId"], out var u) ? u : null;
        if (!string.IsNullOrEmpty(q["unitId"]) && unitId is null) return Task.FromResult(LedgerRows<SupervisionRow>.Refused(400, "请检查筛选条件", new Dictionary<string, string[]> { ["unitId"] = ["单位标识无效"] }));
        var (filter, errors) = ListSupervisions.Parse(q["status"], q["form"], unitId, q["side"], q["from"], q["to"]);
        if (errors.Count > 0) return Task.FromResult(LedgerRows<SupervisionRow>.Refused(400, "请检查筛选条件", errors));
        var use = http.RequestServices.GetRequiredService<ListSupervisions>();
        return Task.FromResult(new LedgerRows<SupervisionRow>(use.RowsAsync(staff, filter!, ct), filter));
    }

    static Task<LedgerRows<OwnershipRow>> OwnershipRowsAsync(HttpContext http, Staff staff, CancellationToken ct)
    {
        if (!staff.WorksOnPetitions) return Task.FromResult(LedgerRows<OwnershipRow>.Refused(403, "您的角色无权导出台账"));
        var q = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        Guid? leaderId = Guid.TryParse(q["leaderId"], out var l) ? l : null;
        Guid? unitId = Guid.TryParse(q["unitId"], out var u) ? u : null;
        if (!string.IsNullOrEmpty(q["leaderId"]) && leaderId is null) errors["leaderId"] = ["领导标识无效"];
        if (!string.IsNullOrEmpty(q["unitId"]) && unitId is null) errors["unitId"] = ["单位标识无效"];
        var status = Intake.RegisterPetition.ParseEnum<OwnershipStatus>(q["status"]);
        if (!string.IsNullOrEmpty(q["status"]) && status is null) errors["status"] = ["状态应为 active、released 或 closed"];
        if (errors.Count > 0) return Task.FromResult(LedgerRows<OwnershipRow>.Refused(400, "请检查筛选条件", errors));
        var filter = new OwnershipFilter(leaderId, status, unitId);
        var ledger = http.RequestServices.GetRequiredService<OwnershipLedger>();
        return Task.FromResult(new LedgerRows<OwnershipRow>(ledger.RowsAsync(staff, filter, ct), new { leaderId, status, unitId }));
    }

    static async Task<LedgerRows<MemberLedgerRow>> BacklogRowsAsync(HttpContext http, Staff staff, CancellationToken ct)
    {
        // The readers of campaigns (积案化解): caseworkers, leaders, supervisors and analysts.
        if (!staff.HasAny(Domain.Petitions.Role.Caseworker, Domain.Petitions.Role.UnitLeader, Domain.Petitions.Role.Supervisor, Domain.Petitions.Role.Analyst))
            return LedgerRows<MemberLedgerRow>.Refused(403, "您的角色无权导出积案台账");
        if (!Guid.TryParse(http.Request.Query["campaignId"], out var campaignId))
            return LedgerRows<MemberLedgerRow>.Refused(400, "请选择积案专项", new Dictionary<string, string[]> { ["campaignId"] = ["请指定积案专项（campaignId）"] });
        var db = http.RequestServices.GetRequiredService<Data.XinfangDb>();
        if (await BacklogAccess.ReachAsync(db, staff, campaignId, ct) is not { } reach) return LedgerRows<MemberLedgerRow>.Refused(404, "积案专项不存在或不在本单位范围内");
        var ledger = http.RequestServices.GetRequiredService<MemberLedger>();
        return new LedgerRows<MemberLedgerRow>(ledger.RowsAsync(reach, staff, ct), new { campaignId });
    }

    public static void Map(RouteGroupBuilder api)
    {
        LedgerEndpoints.MapLedger(api, Supervision, SupervisionRowsAsync, "SupervisionLedger", "督办台账");
        LedgerEndpoints.MapLedger(api, Ownership, OwnershipRowsAsync, "OwnershipLedger", "包案台账");
        LedgerEndpoints.MapLedger(api, Backlog, BacklogRowsAsync, "BacklogLedger", "积案台账");
    }

    public static void MapPages(RouteGroupBuilder staffPages)
    {
        LedgerEndpoints.MapLedgerPage(staffPages, Supervision, SupervisionRowsAsync);
        LedgerEndpoints.MapLedgerPage(staffPages, Ownership, OwnershipRowsAsync);
        LedgerEndpoints.MapLedgerPage(staffPages, Backlog, BacklogRowsAsync);
    }
}
