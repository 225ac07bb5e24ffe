using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Routing;

/// <summary>Every routing rule, by region and category.</summary>
public static class ListRoutingRules
{
    public static async Task<IResult> HandleAsync(XinfangDb db, CancellationToken ct) =>
        TypedResults.Ok(new Listing<RoutingRule>(await db.RoutingRules.AsNoTracking().OrderBy(r => r.RegionCode).ThenBy(r => r.CategoryCode).ToListAsync(ct)));
}
