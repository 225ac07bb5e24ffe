using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Organisation;

public sealed record CreateUnitRequest(string? Code, string? Name, int? Level, string? Kind, string? RegionCode, Guid? ParentId, Guid? SuperiorId);
public sealed record UnitView(Guid Id, string Code, string Name, int Level, UnitKind Kind, string RegionCode, Guid? ParentId, Guid? SuperiorId, int Version)
{
    public static UnitView Of(Unit u) => new(u.Id, u.Code, u.Name, u.Level, u.Kind, u.RegionCode, u.ParentId, u.SuperiorId, u.Version);
}

/// <summary>The unit tree: territorial parents and functional superiors.</summary>
public static class UnitEndpoints
{
    public static void MapUnitEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/units").WithTags("Organisation").RequireAuthorization();
        g.MapGet("/", ListUnits.HandleAsync).WithName("ListUnits").WithSummary("单位列表（根单位在前）");
        g.MapGet("/{id:guid}", async (Guid id, XinfangDb db, CancellationToken ct) =>
            await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } u ? Results.Ok(UnitView.Of(u)) : Problems.NotFound("单位"))
            .WithName("GetUnit");
        g.MapPost("/", CreateAsync).WithName("CreateUnit").WithSummary("新建单位（系统管理员）");
    }

    static async Task<IResult> CreateAsync([FromBody] CreateUnitRequest body, HttpContext http, XinfangDb db, CancellationToken ct) =>
        await Staff.LoadAsync(db, http.User, ct) is { } staff ? await CreateUnit.HandleAsync(body, staff, db, ct) : Problems.Unauthenticated();
}
