using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Organisation;
using Xinfang.Web.Petitions;
using Xinfang.Web.Routing;
using Xinfang.Web.Workbench.Pages;
using static Xinfang.Web.Workbench.WorkbenchPages;

namespace Xinfang.Web.Workbench;

/// <summary>
/// 系统管理 (/staff/admin): the unit tree, accounts and roles, routing rules, the work calendar and the category
/// taxonomy. Each page calls the use case the API calls, so the same checks refuse the same things. Who does
/// what follows 三员分立: the system administrator manages the organisation and the rules; the security
/// administrator looks after accounts (unlock, new password); the audit administrator reviews the logs.
/// </summary>
public static class AdminPages
{
    /// <summary>What an administrator may open here.</summary>
    public enum Area { Units, Users, Routing, Calendar, Categories }

    public static bool May(Me me, Area area) => area switch
    {
        Area.Users => me.Staff.HasAny(Role.SystemAdmin, Role.SecurityAdmin),
        _ => me.Staff.Has(Role.SystemAdmin),
    };

    /// <summary>The first year the built-in calendar holds; the page offers up to the year after next.</summary>
    public const int FirstCalendarYear = 2018;

    public static void MapAdminPages(RouteGroupBuilder g)
    {
        var a = g.MapGroup("/admin");

        a.MapGet("/", (HttpContext http, string? m) =>
        {
            var me = MeOf(http);
            return me.Administers ? Page<AdminIndexPage>(new { Me = me, Message = Flash(m) }) : Forbidden(me);
        });

        // ───────────── units ─────────────
        a.MapGet("/units", async (HttpContext http, string? m, XinfangDb db, CancellationToken ct) =>
            Refused(http, Area.Units) ?? await UnitsPageAsync(MeOf(http), db, AdminForm.Empty, null, Flash(m), 200, ct));

        a.MapPost("/units", async (HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (Refused(http, Area.Units) is { } refused) return refused;
            var me = MeOf(http);
            var form = await AdminForm.ReadAsync(http, ct);
            var body = FormJson.Bind<CreateUnitRequest>(form.Fields);
            var outcome = body is null ? Malformed : PageOutcome.Of(await CreateUnit.HandleAsync(body, me.Staff, db, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/units?m=unit-created")
                : await UnitsPageAsync(me, db, form.With(outcome), outcome.Error, null, outcome.Status, ct);
        });

        // ───────────── users ─────────────
        a.MapGet("/users", async (HttpContext http, string? m, XinfangDb db, TimeProvider time, CancellationToken ct) =>
            Refused(http, Area.Users) ?? await UsersPageAsync(MeOf(http), db, time, AdminForm.Empty, null, null, Flash(m), 200, ct));

        a.MapPost("/users", async (HttpContext http, XinfangDb db, UserManager<StaffUser> users, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Users) is { } refused) return refused;
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SystemAdmin)) return Forbidden(me, "只有系统管理员可以新建用户。");
            var form = await AdminForm.ReadAsync(http, ct);
            // Checkboxes send "roles" once per ticked box; the rest binds like the API's body.
            var body = FormJson.Bind<CreateUserRequest>(form.Fields.Where(f => f.Key != "roles"));
            var outcome = body is null ? Malformed
                : PageOutcome.Of(await CreateStaffUser.HandleAsync(body with { Roles = form.All("roles").ToList() }, me.Staff, db, users, time, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/users?m=user-created")
                : await UsersPageAsync(me, db, time, form.With(outcome), null, outcome.Error, null, outcome.Status, ct);
        });

        a.MapPost("/users/{id:guid}/change", async (Guid id, HttpContext http, XinfangDb db, UserManager<StaffUser> users, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Users) is { } refused) return refused;
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SystemAdmin)) return Forbidden(me, "只有系统管理员可以变更用户角色和所属单位。");
            var form = await AdminForm.ReadAsync(http, ct);
            var unit = Guid.TryParse(form["unitId"], out var u) ? u : (Guid?)null;
            var outcome = PageOutcome.Of(await ChangeStaffUser.HandleAsync(id, new ChangeUserRequest(form.All("roles").ToList(), unit), me.Staff, db, users, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/users?m=user-changed")
                : await UsersPageAsync(me, db, time, AdminForm.Empty with { Errors = ChangeErrors(outcome) }, null, outcome.Error, null, outcome.Status, ct, changeFor: id);
        });

        a.MapPost("/users/{id:guid}/unlock", async (Guid id, HttpContext http, XinfangDb db, UserManager<StaffUser> users, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Users) is { } refused) return refused;
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SecurityAdmin)) return Forbidden(me, "只有安全管理员可以解锁账户。");
            var outcome = PageOutcome.Of(await UnlockStaffUser.HandleAsync(id, me.Staff, db, users, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/users?m=user-unlocked")
                : await UsersPageAsync(me, db, time, AdminForm.Empty, null, outcome.Error, null, outcome.Status, ct);
        });

        a.MapPost("/users/{id:guid}/password", async (Guid id, HttpContext http, XinfangDb db, UserManager<StaffUser> users, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Users) is { } refused) return refused;
            var me = MeOf(http);
            if (!me.Staff.Has(Role.SecurityAdmin)) return Forbidden(me, "只有安全管理员可以重置密码。");
            var form = await AdminForm.ReadAsync(http, ct);
            var outcome = PageOutcome.Of(await ResetStaffPassword.HandleAsync(id, new ResetPasswordRequest(form["password"]), me.Staff, db, users, ct));
            if (outcome.Succeeded) return Results.LocalRedirect("/staff/admin/users?m=password-reset");
            // The reset form sits in the user's row; its field is named apart from the new-user form's password.
            var errors = outcome.Errors.ToDictionary(e => e.Key == "password" ? "resetPassword" : e.Key, e => e.Value);
            return await UsersPageAsync(me, db, time, AdminForm.Empty with { Errors = errors }, id, outcome.Error, null, outcome.Status, ct);
        });

        // ───────────── routing rules ─────────────
        a.MapGet("/routing", async (HttpContext http, string? m, string? matchRegion, string? matchCategory, XinfangDb db, CancellationToken ct) =>
        {
            if (Refused(http, Area.Routing) is { } refused) return refused;
            var match = matchRegion is null ? null : PageOutcome.Of(await MatchRoutingRules.HandleAsync(matchRegion.Trim(), NullIfBlank(matchCategory), db, ct));
            return await RoutingPageAsync(MeOf(http), db, AdminForm.Empty, null, Flash(m), match, matchRegion, matchCategory, match is { Succeeded: false } ? 400 : 200, ct);
        });

        a.MapPost("/routing", async (HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (Refused(http, Area.Routing) is { } refused) return refused;
            var me = MeOf(http);
            var form = await AdminForm.ReadAsync(http, ct);
            var body = FormJson.Bind<RoutingRuleRequest>(form.Fields);
            var outcome = body is null ? Malformed : PageOutcome.Of(await CreateRoutingRule.HandleAsync(body, me.Staff, db, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/routing?m=rule-created")
                : await RoutingPageAsync(me, db, form.With(outcome), outcome.Error, null, null, null, null, outcome.Status, ct);
        });

        a.MapPost("/routing/{id:guid}/delete", async (Guid id, HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (Refused(http, Area.Routing) is { } refused) return refused;
            var me = MeOf(http);
            var outcome = PageOutcome.Of(await DeleteRoutingRule.HandleAsync(id, me.Staff, db, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/routing?m=rule-deleted")
                : await RoutingPageAsync(me, db, AdminForm.Empty, outcome.Error, null, null, null, null, outcome.Status, ct);
        });

        // ───────────── work calendar ─────────────
        a.MapGet("/calendar", async (HttpContext http, int? year, string? m, int? days, XinfangDb db, CalendarStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Calendar) is { } refused) return refused;
            var today = ChinaTime.DateOf(time.GetUtcNow());
            var shown = year is { } y && y >= FirstCalendarYear && y <= LastCalendarYear(today) ? y : today.Year;
            var message = m == "imported" && days is { } n ? $"已导入{shown}年节假日安排，共{n}天。" : Flash(m);
            return await CalendarPageAsync(MeOf(http), shown, today, db, store, message, null, null, 200, ct);
        });

        a.MapPost("/calendar", async (HttpContext http, XinfangDb db, CalendarStore store, PetitionWorkflow workflow, TimeProvider time, CancellationToken ct) =>
        {
            if (Refused(http, Area.Calendar) is { } refused) return refused;
            var me = MeOf(http);
            var today = ChinaTime.DateOf(time.GetUtcNow());
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var shown = int.TryParse(form?["year"], out var y) && y >= FirstCalendarYear && y <= LastCalendarYear(today) ? y : today.Year;
            var file = form?.Files.GetFile("file");
            if (file is null || file.Length == 0)
                return await CalendarPageAsync(me, shown, today, db, store, null, "节假日安排未导入，请检查标注的字段", new Dictionary<string, string[]> { ["file"] = ["请选择要导入的 JSON 文件"] }, 400, ct);
            string json;
            using (var reader = new StreamReader(file.OpenReadStream()))
                json = await reader.ReadToEndAsync(ct);
            var outcome = PageOutcome.Of(await ImportCalendarYear.HandleAsync(me.Staff, json, null, db, store, workflow, ct));
            if (outcome.ValueAs<CalendarImported>() is { } imported)
                return Results.LocalRedirect($"/staff/admin/calendar?year={imported.Year}&m=imported&days={imported.Days}");
            var errors = outcome.Errors.ToDictionary(e => e.Key == "body" ? "file" : e.Key, e => e.Value);
            return await CalendarPageAsync(me, shown, today, db, store, null, "节假日安排未导入，请检查标注的字段", errors, outcome.Status, ct);
        });

        // ───────────── categories ─────────────
        a.MapGet("/categories", async (HttpContext http, string? m, XinfangDb db, CancellationToken ct) =>
            Refused(http, Area.Categories) ?? await CategoriesPageAsync(MeOf(http), db, AdminForm.Empty, null, Flash(m), 200, ct));

        a.MapPost("/categories", async (HttpContext http, XinfangDb db, CancellationToken ct) =>
        {
            if (Refused(http, Area.Categories) is { } refused) return refused;
            var me = MeOf(http);
            var form = await AdminForm.ReadAsync(http, ct);
            var body = FormJson.Bind<AddCategoryRequest>(form.Fields);
            var outcome = body is null ? Malformed : PageOutcome.Of(await AddCategory.HandleAsync(body, me.Staff, db, ct));
            return outcome.Succeeded
                ? Results.LocalRedirect("/staff/admin/categories?m=category-added")
                : await CategoriesPageAsync(me, db, form.With(outcome), outcome.Error, null, outcome.Status, ct);
        });
    }

    public static int LastCalendarYear(DateOnly today) => Math.Max(2027, today.Year + 1);

    static readonly PageOutcome Malformed = new(400, null, "填写的内容格式有误，请检查后重新提交", new Dictionary<string, string[]>());

    /// <summary>The 403 page for anyone who may not open <paramref name="area"/>; null when they may.</summary>
    static IResult? Refused(HttpContext http, Area area)
    {
        var me = MeOf(http);
        return May(me, area) ? null : Forbidden(me);
    }

    static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static async Task<IReadOnlyList<UnitView>> UnitsAsync(XinfangDb db, CancellationToken ct) =>
        PageOutcome.Of(await ListUnits.HandleAsync(db, ct)).ValueAs<Listing<UnitView>>()!.Items;

    static async Task<IResult> UnitsPageAsync(Me me, XinfangDb db, AdminForm form, string? error, string? message, int status, CancellationToken ct)
    {
        var tree = UnitTree.Of(await UnitsAsync(db, ct));
        return Page<AdminUnitsPage>(new { Me = me, Tree = tree, F = form, Error = error, Message = message }, status);
    }

    /// <summary>The change form sits in the user's row; its fields are named apart from the new-user form's.</summary>
    static Dictionary<string, string[]> ChangeErrors(PageOutcome outcome) =>
        outcome.Errors.ToDictionary(e => e.Key switch { "roles" => "changeRoles", "unitId" => "changeUnitId", _ => e.Key }, e => e.Value);

    static async Task<IResult> UsersPageAsync(Me me, XinfangDb db, TimeProvider time, AdminForm form, Guid? resetFor, string? error, string? message, int status, CancellationToken ct, Guid? changeFor = null)
    {
        var tree = UnitTree.Of(await UnitsAsync(db, ct));
        var users = PageOutcome.Of(await ListStaffUsers.HandleAsync(me.Staff, db, time, ct)).ValueAs<Listing<UserView>>()!.Items;
        return Page<AdminUsersPage>(new { Me = me, Tree = tree, Users = users, F = form, ResetFor = resetFor, ChangeFor = changeFor, Error = error, Message = message }, status);
    }

    static async Task<IResult> RoutingPageAsync(Me me, XinfangDb db, AdminForm form, string? error, string? message,
        PageOutcome? match, string? matchRegion, string? matchCategory, int status, CancellationToken ct)
    {
        var tree = UnitTree.Of(await UnitsAsync(db, ct));
        var rules = PageOutcome.Of(await ListRoutingRules.HandleAsync(db, ct)).ValueAs<Listing<RoutingRule>>()!.Items;
        var categories = PageOutcome.Of(await ListCategories.HandleAsync(db, ct)).ValueAs<Listing<Category>>()!.Items;
        return Page<AdminRoutingPage>(new
        {
            Me = me, Tree = tree, Rules = rules, Categories = categories, F = form, Error = error, Message = message,
            Match = match, MatchRegion = matchRegion, MatchCategory = matchCategory,
        }, status);
    }

    static async Task<IResult> CalendarPageAsync(Me me, int year, DateOnly today, XinfangDb db, CalendarStore store, string? message, string? error,
        IDictionary<string, string[]>? errors, int status, CancellationToken ct)
    {
        var view = PageOutcome.Of(await ReadCalendarYear.HandleAsync(year, db, store, ct)).ValueAs<CalendarYearView>()!;
        return Page<AdminCalendarPage>(new { Me = me, Year = view, Today = today, LastYear = LastCalendarYear(today), Message = message, Error = error, Errors = errors }, status);
    }

    static async Task<IResult> CategoriesPageAsync(Me me, XinfangDb db, AdminForm form, string? error, string? message, int status, CancellationToken ct)
    {
        var categories = PageOutcome.Of(await ListCategories.HandleAsync(db, ct)).ValueAs<Listing<Category>>()!.Items;
        return Page<AdminCategoriesPage>(new { Me = me, Categories = categories, F = form, Error = error, Message = message }, status);
    }

    /// <summary>Confirmations after a successful post (post/redirect/get); the workbench's own otherwise.</summary>
    static string? Flash(string? m) => m switch
    {
        "unit-created" => "单位已新建。",
        "user-created" => "用户已新建。请将初始密码当面或通过安全渠道告知本人。",
        "user-unlocked" => "账户已解锁。",
        "user-changed" => "角色与所属单位已变更，立即生效，并已记入审计日志。",
        "password-reset" => "密码已重置，账户同时解锁。请将新密码通过安全渠道告知本人。",
        "rule-created" => "分流规则已添加。",
        "rule-deleted" => "分流规则已删除。",
        "category-added" => "分类已新增。",
        _ => WorkbenchPages.Flash(m),
    };

    /// <summary>Chinese names of the organisation's terms (domain.md, "Organisation").</summary>
    public static string KindOf(UnitKind kind) => kind switch
    {
        UnitKind.PetitionBureau => "信访部门",
        UnitKind.Government => "人民政府",
        UnitKind.Department => "工作部门",
        UnitKind.PoliticalLegal => "政法机关",
        UnitKind.Discipline => "纪检监察机关",
        _ => "其他",
    };

    public static string LevelOf(int level) => level switch
    {
        0 => "国家级",
        1 => "省级",
        2 => "市级",
        3 => "县级",
        4 => "乡镇（街道）",
        _ => level.ToString(),
    };
}

/// <summary>
/// The units in territorial tree order (each unit followed by its children, by level and code), with their depth,
/// and lookups by id and by parent.
/// </summary>
public sealed class UnitTree
{
    public required IReadOnlyList<(UnitView Unit, int Depth)> Ordered { get; init; }
    public required IReadOnlyDictionary<Guid, UnitView> ById { get; init; }
    public required ILookup<Guid?, UnitView> Children { get; init; }

    public static UnitTree Of(IReadOnlyList<UnitView> units)
    {
        var byId = units.ToDictionary(u => u.Id);
        var children = units.OrderBy(u => u.Level).ThenBy(u => u.Code, StringComparer.Ordinal)
            .ToLookup(u => u.ParentId is { } p && byId.ContainsKey(p) ? p : (Guid?)null);
        var ordered = new List<(UnitView, int)>();
        void Walk(Guid? parent, int depth)
        {
            foreach (var u in children[parent])
            {
                ordered.Add((u, depth));
                Walk(u.Id, depth + 1);
            }
        }
        Walk(null, 0);
        return new UnitTree { Ordered = ordered, ById = byId, Children = children };
    }

    /// <summary><paramref name="root"/> and the units below it, in tree order, depth counted from it.</summary>
    public IEnumerable<(UnitView Unit, int Depth)> Below(Guid root)
    {
        var start = -1;
        for (var i = 0; i < Ordered.Count; i++)
        {
            var (u, depth) = Ordered[i];
            if (start < 0)
            {
                if (u.Id == root) { start = depth; yield return (u, 0); }
            }
            else if (depth > start) yield return (u, depth - start);
            else yield break;
        }
    }

    public string NameOf(Guid? id) => id is { } i && ById.TryGetValue(i, out var u) ? u.Name : "";

    /// <summary>An option's text indented by depth, so a flat select still shows the tree.</summary>
    public static string Indented(UnitView u, int depth) => new string('　', depth) + u.Name;
}

/// <summary>
/// A posted form as a page re-renders it after a refusal (nothing typed is lost), with the refusal's field errors.
/// </summary>
public sealed record AdminForm(IReadOnlyDictionary<string, StringValues> Values, IDictionary<string, string[]> Errors)
{
    public static AdminForm Empty { get; } = new(new Dictionary<string, StringValues>(), new Dictionary<string, string[]>());

    public static async Task<AdminForm> ReadAsync(HttpContext http, CancellationToken ct)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        return new AdminForm(form?.ToDictionary(f => f.Key, f => f.Value) ?? [], new Dictionary<string, string[]>());
    }

    /// <summary>The fields to bind, without the antiforgery token.</summary>
    public IEnumerable<KeyValuePair<string, StringValues>> Fields => Values.Where(v => !v.Key.StartsWith("__", StringComparison.Ordinal));

    public AdminForm With(PageOutcome outcome) => this with { Errors = outcome.Errors.ToDictionary() };

    public string? this[string name] => Values.TryGetValue(name, out var v) ? v.LastOrDefault() : null;

    public IEnumerable<string> All(string name) => Values.TryGetValue(name, out var v) ? v.OfType<string>() : [];

    public bool Has(string name, string value) => All(name).Contains(value);

    public string? Invalid(string name) => Errors.ContainsKey(name) ? "true" : null;

    /// <summary>aria-describedby for a field: its hint (if any) and its error (when it has one).</summary>
    public string? Describe(string name, string? hint = null)
    {
        var ids = new[] { hint, Errors.ContainsKey(name) ? "err-" + name : null }.OfType<string>().ToArray();
        return ids.Length == 0 ? null : string.Join(' ', ids);
    }
}
