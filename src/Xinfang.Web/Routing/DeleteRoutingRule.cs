using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Routing;

/// <summary>A system administrator removes a rule; matters already routed keep their units.</summary>
public static class DeleteRoutingRule
{
    public static async Task<IResult> HandleAsync(Guid id, Staff staff, XinfangDb db, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以维护分流规则");
        var deleted = await db.RoutingRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        if (deleted > 0) await Audit.AuditTrail.For(db).AppendAsync(Audit.AuditRecord.Of(Audit.AuditActions.RoutingRuleDeleted, staff, Audit.AuditTargets.RoutingRule, id), ct);
        return deleted == 0 ? Problems.NotFound("分流规则") : TypedResults.NoContent();
    }
}
