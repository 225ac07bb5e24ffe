using Microsoft.EntityFrameworkCore;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Intake;

/// <summary>The problem taxonomy (涉及领域), by code: a parent comes before its children.</summary>
public static class ListCategories
{
    public static async Task<IResult> HandleAsync(XinfangDb db, CancellationToken ct) =>
        TypedResults.Ok(new Listing<Category>(await db.Categories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct)));
}
