using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Organisation;

/// <summary>
/// Units in tree order (depth, then level, then code), so the root comes first. Units are organisational facts,
/// listed to every signed-in user (they pick forwarding targets).
/// </summary>
public static class ListUnits
{
    public static async Task<IResult> HandleAsync(XinfangDb db, CancellationToken ct)
    {
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var ordered = units.OrderBy(u => u.Path.Count(c => c == '/')).ThenBy(u => u.Level).ThenBy(u => u.Code, StringComparer.Ordinal).Select(UnitView.Of).ToList();
        return TypedResults.Ok(new Listing<UnitView>(ordered));
    }
}
