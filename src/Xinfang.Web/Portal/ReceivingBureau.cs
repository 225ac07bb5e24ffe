using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Data;

namespace Xinfang.Web.Portal;

/// <summary>
/// Which petition bureau receives an online petition: the bureau of the matter's own region (township, then
/// county), else of its city, else of its province (GB/T 2260 prefixes), else the deployment's root unit.
/// </summary>
public static class ReceivingBureau
{
    public static async Task<Unit> ForRegionAsync(XinfangDb db, string regionCode, CancellationToken ct)
    {
        var six = regionCode[..6];
        string[] candidates = [regionCode, six, six[..4] + "00", six[..2] + "0000"];
        var bureaus = await db.Units.AsNoTracking()
            .Where(u => u.Kind == UnitKind.PetitionBureau && candidates.Contains(u.RegionCode)).ToListAsync(ct);
        return bureaus.OrderBy(u => Array.IndexOf(candidates, u.RegionCode)).ThenByDescending(u => u.Level).FirstOrDefault()
            ?? await db.Units.AsNoTracking().FirstAsync(u => u.ParentId == null, ct);
    }
}
