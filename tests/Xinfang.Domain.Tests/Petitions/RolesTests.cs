using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>三员分立: the system, security and audit administrator roles are never held by one account.</summary>
public class RolesTests
{
    [Theory]
    [InlineData(Role.SystemAdmin, Role.SecurityAdmin)]
    [InlineData(Role.SystemAdmin, Role.AuditAdmin)]
    [InlineData(Role.SecurityAdmin, Role.AuditAdmin)]
    public void AreSeparated_TwoAdministratorRoles_False(Role first, Role second)
    {
        Roles.AreSeparated([first, second]).ShouldBeFalse();
        Roles.AreSeparated([Role.Analyst, first, Role.Caseworker, second]).ShouldBeFalse();
    }

    [Fact]
    public void AreSeparated_AllThreeAdministratorRoles_False()
    {
        Roles.AreSeparated([Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    [InlineData(Role.AuditAdmin)]
    public void AreSeparated_OneAdministratorRoleWithOtherRoles_True(Role admin)
    {
        Roles.AreSeparated([admin]).ShouldBeTrue();
        Roles.AreSeparated([admin, Role.Analyst, Role.Supervisor]).ShouldBeTrue();
    }

    [Fact]
    public void AreSeparated_SameAdministratorRoleListedTwice_True()
    {
        Roles.AreSeparated([Role.AuditAdmin, Role.AuditAdmin]).ShouldBeTrue();
    }

    [Fact]
    public void AreSeparated_NoAdministratorRole_True()
    {
        Roles.AreSeparated([]).ShouldBeTrue();
        Roles.AreSeparated([Role.IntakeClerk, Role.Caseworker, Role.UnitLeader, Role.Supervisor, Role.Analyst]).ShouldBeTrue();
    }

    [Fact]
    public void Administrators_ExactlyTheThreeAdminRoles()
    {
        Roles.Administrators.ShouldBe([Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin], ignoreOrder: true);
    }
}
