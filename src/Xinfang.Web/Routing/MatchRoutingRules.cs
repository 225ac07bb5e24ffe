using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Routing;

/// <summary>A unit the rules suggest as responsible, most specific first.</summary>
public sealed record SuggestedUnit(Guid Id, string Name, int Level);

/// <summary>
/// Suggests responsible units: the most specific rule wins — the exact region before its city and province
/// (GB/T 2260 prefixes), a rule for the category before a rule for any category.
/// </summary>
public static class MatchRoutingRules
{
    public static async Task<IResult> HandleAsync(string? regionCode, string? categoryCode, XinfangDb db, CancellationToken ct)
    {
        if (!Unit.IsRegionCode(regionCode)) return Problems.Validation("regionCode", "行政区划代码应为6位或9位数字");
        return TypedResults.Ok(new Listing<SuggestedUnit>(await SuggestAsync(regionCode!, categoryCode, db, ct)));
    }

    /// <summary>The suggested units for a valid region code and an optional category, most specific first.</summary>
    public static async Task<IReadOnlyList<SuggestedUnit>> SuggestAsync(string regionCode, string? categoryCode, XinfangDb db, CancellationToken ct)
    {
        var candidates = new List<string> { regionCode };
        var six = regionCode[..6];
        if (regionCode.Length == 9) candidates.Add(six);
        candidates.Add(six[..4] + "00");
        candidates.Add(six[..2] + "0000");
        var rules = await db.RoutingRules.AsNoTracking().Where(r => candidates.Contains(r.RegionCode)).ToListAsync(ct);
        var ranked = rules
            .Where(r => r.CategoryCode is null || (categoryCode is not null && categoryCode.StartsWith(r.CategoryCode, StringComparison.Ordinal)))
            .OrderBy(r => candidates.IndexOf(r.RegionCode)).ThenByDescending(r => r.CategoryCode?.Length ?? 0)
            .Select(r => r.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => ranked.Contains(u.Id)).ToListAsync(ct);
        return ranked.Select(id => units.First(u => u.Id == id)).Select(u => new SuggestedUnit(u.Id, u.Name, u.Level)).ToList();
    }
}
