using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;
using Xinfang.Web.Routing;

namespace Xinfang.Web.Cli;

/// <summary>
/// A realistic demo province made by the project itself: units at four levels, one user per role and a few
/// hundred synthetic petitions driven through the real workflow into every status. All names, numbers and
/// texts are generated; none is real.
/// </summary>
public static class DemoSeed
{
    public const string Password = "Xinfang2026";

    public static readonly (string User, string Name, string Unit, Role[] Roles)[] Users =
    [
        ("clerk", "王登记", "ks-xfj", [Role.IntakeClerk]),
        ("caseworker", "李承办", "ks-zjj", [Role.Caseworker]),
        ("leader", "张局长", "ks-zjj", [Role.UnitLeader]),
        ("rsj", "陈承办", "ks-rsj", [Role.Caseworker, Role.UnitLeader]),
        ("reviewer", "赵复查", "sz-zjj", [Role.Caseworker, Role.UnitLeader]),
        ("rereviewer", "钱复核", "js-zjt", [Role.Caseworker, Role.UnitLeader]),
        ("supervisor", "孙督查", "sz-xfj", [Role.Supervisor]),
        ("analyst", "周分析", "sz-xfj", [Role.Analyst]),
        ("sysadmin", "吴系统", "js-xfj", [Role.SystemAdmin]),
        ("secadmin", "郑安全", "js-xfj", [Role.SecurityAdmin]),
        ("auditadmin", "冯审计", "js-xfj", [Role.AuditAdmin]),
    ];

    public static string Accounts =>
        "Demo accounts (password " + Password + "):\n" + string.Join("\n", Users.Select(u => $"  {u.User,-11} {string.Join(",", u.Roles.Select(RoleNames.Of)),-24} {u.Name}"));

    static readonly (string Code, string Name, int Level, UnitKind Kind, string Region, string? Parent, string? Superior)[] Units =
    [
        ("js-gov", "江苏省人民政府", 1, UnitKind.Government, "320000", null, null),
        ("js-xfj", "江苏省信访局", 1, UnitKind.PetitionBureau, "320000", "js-gov", null),
        ("js-zjt", "江苏省住房和城乡建设厅", 1, UnitKind.Department, "320000", "js-gov", null),
        ("js-rst", "江苏省人力资源和社会保障厅", 1, UnitKind.Department, "320000", "js-gov", null),
        ("sz-gov", "苏州市人民政府", 2, UnitKind.Government, "320500", "js-gov", null),
        ("sz-xfj", "苏州市信访局", 2, UnitKind.PetitionBureau, "320500", "sz-gov", "js-xfj"),
        ("sz-zjj", "苏州市住房和城乡建设局", 2, UnitKind.Department, "320500", "sz-gov", "js-zjt"),
        ("sz-rsj", "苏州市人力资源和社会保障局", 2, UnitKind.Department, "320500", "sz-gov", "js-rst"),
        ("ks-gov", "昆山市人民政府", 3, UnitKind.Government, "320583", "sz-gov", null),
        ("ks-xfj", "昆山市信访局", 3, UnitKind.PetitionBureau, "320583", "ks-gov", "sz-xfj"),
        ("ks-zjj", "昆山市住房和城乡建设局", 3, UnitKind.Department, "320583", "ks-gov", "sz-zjj"),
        ("ks-rsj", "昆山市人力资源和社会保障局", 3, UnitKind.Department, "320583", "ks-gov", "sz-rsj"),
        ("ks-gaj", "昆山市公安局", 3, UnitKind.PoliticalLegal, "320583", "ks-gov", null),
        ("ks-jw", "昆山市纪委监委", 3, UnitKind.Discipline, "320583", "ks-gov", null),
        ("ks-ys", "玉山镇人民政府", 4, UnitKind.Government, "320583100", "ks-gov", null),
        ("ks-zs", "周市镇人民政府", 4, UnitKind.Government, "320583101", "ks-gov", null),
    ];

    static readonly (string Category, string Unit, string Title, string Content)[] Matters =
    [
        ("0401", "ks-rsj", "{0}拖欠工资问题", "诉求：请求督促{0}支付拖欠的{1}个月工资。事实：本人于去年在{0}从事装修工作，工程结束后老板以资金困难为由拒不支付。理由：按照保障农民工工资支付条例，用人单位应按时足额支付工资。"),
        ("0102", "ks-zjj", "{2}小区逾期交房", "诉求：请求开发商尽快交付{2}小区住房。事实：合同约定去年底交房，至今工程停工。理由：购房款已全额付清，每月还贷压力巨大。"),
        ("0103", "ks-zjj", "{2}小区物业乱收费", "诉求：请求查处{2}小区物业公司违规收费。事实：物业公司擅自提高停车费并断水断电催缴。理由：收费未经业主大会同意。"),
        ("1101", "ks-ys", "{2}附近工地夜间施工噪声扰民", "诉求：请求制止夜间施工。事实：{2}旁工地每晚十点后仍在打桩。理由：严重影响居民休息，老人孩子无法入睡。"),
        ("0201", "ks-zs", "{3}村土地征收补偿不到位", "诉求：请求落实土地征收补偿款。事实：{3}村集体土地去年被征收，补偿款至今未发放到户。理由：征收补偿应当足额及时支付。"),
        ("0402", "ks-rsj", "{0}未依法缴纳社会保险", "诉求：请求责令{0}补缴社会保险。事实：工作三年单位从未缴纳社保。理由：缴纳社会保险是用人单位的法定义务。"),
    ];

    static readonly string[] Employers = ["昆山某某装饰工程有限公司", "玉山某电子厂", "周市某物流公司", "某建筑劳务公司"];
    static readonly string[] Estates = ["阳光花园", "锦绣华庭", "翡翠湾", "书香名苑", "东湖新城"];
    static readonly string[] Villages = ["新乐", "陆杨", "永平", "朱家"];
    static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡"];
    static readonly string[] Given = ["建国", "秀英", "伟", "芳", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"];

    public static async Task<string> RunAsync(IServiceProvider sp, CancellationToken ct, int petitions = 300)
    {
        var db = sp.GetRequiredService<XinfangDb>();
        if (await db.Units.AnyAsync(u => u.Code == "ks-xfj", ct)) return "Demo data already present.\n" + Accounts;
        var root = await db.Units.FirstAsync(u => u.ParentId == null, ct);
        var units = new Dictionary<string, Unit>();
        foreach (var (code, name, level, kind, region, parent, superior) in Units)
        {
            var p = parent is null ? root : units[parent];
            var u = new Unit { Code = code, Name = name, Level = Math.Max(level, p.Level), Kind = kind, RegionCode = region, ParentId = p.Id, SuperiorId = superior is null ? null : units[superior].Id };
            u.Path = Unit.PathOf(p, u.Id);
            units[code] = u;
            db.Units.Add(u);
        }
        await db.SaveChangesAsync(ct);

        var userManager = sp.GetRequiredService<UserManager<StaffUser>>();
        var time = sp.GetRequiredService<TimeProvider>();
        var staff = new Dictionary<string, Actor>();
        foreach (var (userName, display, unit, roles) in Users)
        {
            var user = new StaffUser { UserName = userName, DisplayName = display, UnitId = units[unit].Id, CreatedAt = time.GetUtcNow(), PasswordChangedAt = TimeProvider.System.GetUtcNow(), LockoutEnabled = true };
            var result = await userManager.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await userManager.AddToRolesAsync(user, roles.Select(RoleNames.Of));
            staff[userName] = new Actor(ActorKind.Staff, user.Id, units[unit].Id, roles.ToHashSet());
        }
        foreach (var (category, unit, _, _) in Matters)
            if (!await db.RoutingRules.AnyAsync(r => r.RegionCode == "320583" && r.CategoryCode == category, ct))
                db.RoutingRules.Add(new RoutingRule { RegionCode = "320583", CategoryCode = category, UnitId = units[unit].Id });
        await db.SaveChangesAsync(ct);

        var made = await MakePetitionsAsync(db, sp, units, staff, petitions, ct);
        return $"Demo province created: {units.Count} units, {Users.Length} users, {made} petitions.\n" + Accounts;
    }

    static async Task<int> MakePetitionsAsync(XinfangDb db, IServiceProvider sp, Dictionary<string, Unit> units, Dictionary<string, Actor> staff, int count, CancellationToken ct)
    {
        var random = new Random(20260501);
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var deadlines = sp.GetRequiredService<CalendarStore>().Deadlines;
        var options = sp.GetRequiredService<IOptions<WorkflowOptions>>().Value;
        var clerk = staff["clerk"];
        var bureau = units["ks-xfj"];
        var sequences = new Dictionary<int, long>();
        var granted = new HashSet<(Guid, Guid)>();
        var targets = Enum.GetValues<PetitionStatus>();
        for (var i = 0; i < count; i++)
        {
            var target = targets[i % targets.Length];
            var needsDays = target is PetitionStatus.Final or PetitionStatus.UnderReReview or PetitionStatus.Reviewed or PetitionStatus.UnderReview or PetitionStatus.Closed ? 110 : 20;
            var received = now.AddDays(-(needsDays + random.Next(0, 60))).AddHours(-random.Next(0, 8));
            var at = received;
            WorkflowContext Ctx() => new(at, deadlines, options.Lengths, options.YellowWorkingDays);
            var (category, unitCode, titleT, contentT) = Matters[random.Next(Matters.Length)];
            object[] fill = [Employers[random.Next(Employers.Length)], random.Next(2, 9), Estates[random.Next(Estates.Length)], Villages[random.Next(Villages.Length)]];
            var people = Enumerable.Range(0, random.Next(0, 10) == 0 ? 6 : 1).Select(k => new Petitioner
            {
                Name = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)],
                IdNumber = SyntheticId(random), Phone = "139" + random.Next(10000000, 99999999).ToString(),
                Address = $"昆山市{(random.Next(2) == 0 ? "玉山镇" : "周市镇")}{Estates[random.Next(Estates.Length)]}{random.Next(1, 30)}栋{random.Next(101, 2801)}室",
                IsRepresentative = k < 5 && k > 0, Position = k,
            }).ToList();
            var year = ChinaTime.DateOf(at).Year;
            sequences[year] = sequences.GetValueOrDefault(year) + 1;
            var number = PetitionNumber.Format(bureau.RegionCode, year, sequences[year]);
            var channel = (Channel)random.Next(0, 5);
            var registration = new Registration(channel, received, people, false, people.Count, string.Format(titleT, fill), string.Format(contentT, fill),
                "320583", category, PetitionType.Claim, null, null);
            var (p, registered) = Petition.Register(registration, number, QueryCodes.Hash(number, QueryCodes.New()), bureau.Id, true, clerk, Ctx());
            db.Petitions.Add(p);
            db.PetitionEvents.Add(registered);
            Grant(db, p, bureau, granted);
            var handler = units[unitCode];
            var worker = unitCode switch { "ks-zjj" => staff["caseworker"], "ks-rsj" => staff["rsj"], _ => staff["rsj"] with { UnitId = handler.Id } };
            void Step(PetitionCommand command, Actor actor, int days, WorkflowContext? context = null)
            {
                var next = at.AddDays(days);
                at = next > now ? now : next;
                var outcome = p.Apply(command, actor, context ?? Ctx());
                if (outcome.Error is { } e) throw new InvalidOperationException($"Demo step {command.Action} refused: {e.Title}");
                db.PetitionEvents.Add(outcome.Event!);
                var targetUnit = outcome.Event!.TargetUnitId is { } t ? units.Values.First(u => u.Id == t) : null;
                if (targetUnit is not null) Grant(db, p, targetUnit, granted);
            }
            var today = ChinaTime.DateOf(at);
            if (target == PetitionStatus.Registered) continue;
            if (target == PetitionStatus.Withdrawn) { Step(new Withdraw("信访人主动撤回"), clerk, 2); continue; }
            if (target == PetitionStatus.Declined) { Step(new Decline("属于诉讼程序解决的事项", Redirect.Litigation), clerk, 3); continue; }
            var assign = random.Next(3) == 0;
            Step(assign ? new Assign(handler.Id, null, "请按期报送办理结果") : new Forward(handler.Id, "请依法处理"), clerk, random.Next(1, 5));
            if (target is PetitionStatus.Forwarded or PetitionStatus.Assigned) continue;
            Step(new Accept(HandlingRoute.PetitionProcedure), worker, random.Next(1, 4));
            if (target == PetitionStatus.Accepted) continue;
            if (target == PetitionStatus.Closed && random.Next(2) == 0)
            {
                // A replied matter whose review window lapsed: closed by the sweep when the server starts.
                at = now.AddDays(-45);
                Step(new Reply(Decision.Support, "经调查核实，您反映的问题属实，已责令相关单位限期解决。", ChinaTime.DateOf(at)), worker, 0);
                continue;
            }
            var repliedAt = at.AddDays(random.Next(10, 20));
            at = repliedAt > now ? now : repliedAt;
            Step(new Reply((Decision)random.Next(0, 3), "经调查核实，现答复如下：……（信访处理意见书正文）", ChinaTime.DateOf(at)), worker, 0);
            if (target is PetitionStatus.Replied or PetitionStatus.Closed) continue;
            var review = units.Values.First(u => u.Id == (handler.SuperiorId ?? handler.ParentId));
            var reviewer = staff["reviewer"] with { UnitId = review.Id };
            var reviewBodies = new HashSet<Guid> { handler.ParentId!.Value };
            if (handler.SuperiorId is { } s) reviewBodies.Add(s);
            at = at.AddDays(5);
            Step(new RequestReview(ChinaTime.DateOf(at), "对处理意见不服，请求复查", review.Id), reviewer, 0, Ctx() with { ReviewBodies = reviewBodies });
            if (target == PetitionStatus.UnderReview) continue;
            at = at.AddDays(20);
            Step(new ReviewDecision(Decision.NotSupport, "经复查，原处理意见认定事实清楚，予以维持。", ChinaTime.DateOf(at)), reviewer, 0);
            if (target == PetitionStatus.Reviewed) continue;
            var reReview = units.Values.First(u => u.Id == (review.SuperiorId ?? review.ParentId));
            var reReviewer = staff["rereviewer"] with { UnitId = reReview.Id };
            at = at.AddDays(5);
            Step(new RequestReReview(ChinaTime.DateOf(at), "对复查意见不服，请求复核", reReview.Id), reReviewer, 0,
                Ctx() with { ReviewBodies = new HashSet<Guid> { reReview.Id } });
            if (target == PetitionStatus.UnderReReview) continue;
            at = at.AddDays(20);
            Step(new ReReviewDecision(Decision.NotSupport, "经复核，维持复查意见。本复核意见为终结意见。", ChinaTime.DateOf(at)), reReviewer, 0);
            _ = today;
        }
        foreach (var (year, last) in sequences)
            db.NumberSequences.Add(new NumberSequence { RegionCode = bureau.RegionCode[..6], Year = year, LastValue = last });
        await db.SaveChangesAsync(ct);
        // Bring every warning up to today; lapsed windows are closed by the sweep.
        var current = new WorkflowContext(now, deadlines, options.Lengths, options.YellowWorkingDays);
        foreach (var p in db.ChangeTracker.Entries<Petition>().Select(e => e.Entity)) p.Refresh(current);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return count;
    }

    static void Grant(XinfangDb db, Petition p, Unit unit, HashSet<(Guid, Guid)> granted)
    {
        foreach (var id in Jurisdiction.PathOf(unit))
        {
            if (!granted.Add((p.Id, id))) continue;
            db.PetitionAccess.Add(new PetitionAccess { UnitId = id, PetitionId = p.Id, RegisteredAt = p.RegisteredAt, Number = p.Number });
        }
    }

    /// <summary>A synthetic resident number with a valid check character (region 320583, a birth date, a sequence).</summary>
    public static string SyntheticId(Random random)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 50));
        var first17 = $"320583{birth:yyyyMMdd}{random.Next(100, 999)}";
        return first17 + ResidentId.CheckCharacter(first17);
    }
}
