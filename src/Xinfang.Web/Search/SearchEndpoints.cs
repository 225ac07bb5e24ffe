using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Search;

/// <summary>GET /api/v1/petitions/search: staff search (查询) over the caller's jurisdiction.</summary>
public static class SearchEndpoints
{
    public static void MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        // A literal segment: never taken for /api/v1/petitions/{id:guid}.
        app.MapGet("/api/v1/petitions/search", async (string? number, string? name, string? phone, string? idNumber, string? text,
                string? status, string? warning, Guid? unitId, string? categoryCode, string? channel,
                string? receivedFrom, string? receivedTo, string? cursor, int? limit,
                HttpContext http, XinfangDb db, SearchPetitions use, CancellationToken ct) =>
            {
                if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
                var result = await use.HandleAsync(staff, new SearchCriteria(number, name, phone, idNumber, text, status, warning, unitId,
                    categoryCode, channel, receivedFrom, receivedTo, cursor, limit), ct);
                return ToHttp(result);
            })
            .RequireAuthorization().WithTags("Petitions").WithName("SearchPetitions")
            .WithSummary("查询信访事项：编号、信访人姓名/电话/身份证号（精确）、标题与内容全文、状态、预警、单位、类别、渠道、收件日期（键集分页）")
            .Produces<PetitionPage>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static IResult ToHttp(SearchResult result) => result switch
    {
        { Page: { } page } => TypedResults.Ok(page),
        { Errors: { } errors } => Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value)),
        { Refusal: SearchRefusal.UnitNotFound } => Problems.NotFound("单位"),
        _ => Problems.Forbidden(),
    };
}
