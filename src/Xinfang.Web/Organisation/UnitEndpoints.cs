using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;

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
        g.MapGet("/", ListAsync).WithName("ListUnits").WithSummary("单位列表（根单位在前）");
        g.MapGet("/{id:guid}", async (Guid id, XinfangDb db, CancellationToken ct) =>
            await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } u ? Results.Ok(UnitView.Of(u)) : Problems.NotFound("单位"))
            .WithName("GetUnit");
        g.MapPost("/", CreateAsync).WithName("CreateUnit").WithSummary("新建单位（系统管理员）");
    }

    /// <summary>Units in tree order (depth, then name), so the root comes first. Units are organisational facts, listed to every signed-in user (they pick forwarding targets).</summary>
    static async Task<IResult> ListAsync(XinfangDb db, CancellationToken ct)
    {
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var ordered = units.OrderBy(u => u.Path.Count(c => c == '/')).ThenBy(u => u.Level).ThenBy(u => u.Code, StringComparer.Ordinal).Select(UnitView.Of).ToList();
        return TypedResults.Ok(new { items = ordered, nextCursor = (string?)null });
    }

    static async Task<IResult> CreateAsync([FromBody] CreateUnitRequest body, HttpContext http, XinfangDb db, CancellationToken ct)
    {
        if (await Staff.LoadAsync(db, http.User, ct) is not { } staff) return Problems.Unauthenticated();
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以管理单位");
        var errors = new Dictionary<string, string[]>();
        var kind = RegisterPetition.ParseEnum<UnitKind>(body.Kind);
        if (string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 64) errors["code"] = ["请填写单位代码（不超过64字符）"];
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200) errors["name"] = ["请填写单位名称（不超过200字）"];
        if (body.Level is null or < 0 or > Unit.MaxLevel) errors["level"] = ["层级应为0（国家）至4（乡镇街道）"];
        if (kind is null) errors["kind"] = ["单位类型应为 petitionBureau、government、department、politicalLegal、discipline 或 other"];
        if (!Unit.IsRegionCode(body.RegionCode)) errors["regionCode"] = ["行政区划代码应为6位（乡镇9位）数字"];
        var parent = body.ParentId is { } pid ? await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == pid, ct) : null;
        if (body.ParentId is null) errors["parentId"] = ["请选择上级单位（属地）"];
        else if (parent is null) errors["parentId"] = ["上级单位不存在"];
        else if (!staff.Unit.Contains(parent)) errors["parentId"] = ["只能在本单位及下级单位中新建单位"];
        else if (body.Level is { } level && level < parent.Level) errors["level"] = ["层级不能高于上级单位"];
        if (body.SuperiorId is { } sid)
        {
            var superior = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == sid, ct);
            if (superior is null) errors["superiorId"] = ["上级主管部门不存在"];
            else if (body.Level is { } level && superior.Level >= level) errors["superiorId"] = ["上级主管部门应在更高层级"];
        }
        if (body.Code is not null && await db.Units.AnyAsync(u => u.Code == body.Code.Trim(), ct)) errors["code"] = ["单位代码已存在"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var unit = new Unit
        {
            Code = body.Code!.Trim(), Name = body.Name!.Trim(), Level = body.Level!.Value, Kind = kind!.Value,
            RegionCode = body.RegionCode!, ParentId = parent!.Id, SuperiorId = body.SuperiorId,
        };
        unit.Path = Unit.PathOf(parent, unit.Id);
        db.Units.Add(unit);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            return Problems.Validation("code", "单位代码已存在");
        }
        return TypedResults.Created($"/api/v1/units/{unit.Id}", UnitView.Of(unit));
    }
}
