using Xinfang.Domain.Petitions;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Workbench;

/// <summary>The signed-in staff member as the page header and navigation show them.</summary>
public sealed record Me(Staff Staff, string UnitName)
{
    public string DisplayName => Staff.User.DisplayName;
    public string RoleNames => string.Join("、", Staff.Roles.OrderBy(r => r).Select(RoleTitles.Of));
    public bool WorksOnPetitions => Staff.WorksOnPetitions;
    public bool Registers => Staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader);
    public bool Administers => Staff.HasAny(Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin);
    /// <summary>Unread notices of the notification centre (消息提醒), for the header's badge.</summary>
    public int UnreadNotices { get; init; }

    public static Me Of(Staff staff) => new(staff, staff.Unit.Name);
}

/// <summary>The roles' Chinese names.</summary>
public static class RoleTitles
{
    public static string Of(Role r) => r switch
    {
        Role.IntakeClerk => "登记员",
        Role.Caseworker => "承办人",
        Role.UnitLeader => "单位负责人",
        Role.Supervisor => "督查员",
        Role.Analyst => "统计分析员",
        Role.SystemAdmin => "系统管理员",
        Role.SecurityAdmin => "安全管理员",
        Role.AuditAdmin => "审计管理员",
        _ => r.ToString(),
    };
}

/// <summary>Enum values as the API and the pages' form fields spell them (camelCase: "notSupport").</summary>
public static class Wire
{
    public static string Of<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
