using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Organisation;

/// <summary>A system administrator adds a unit under a unit of their own subtree.</summary>
public static class CreateUnit
{
    public static async Task<IResult> HandleAsync(CreateUnitRequest body, Staff staff, XinfangDb db, CancellationToken ct)
    {
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
            await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.UnitCreated, staff, Audit.AuditTargets.Unit, unit.Id, new { unit.Code, unit.Name, unit.ParentId, unit.SuperiorId }), ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            return Problems.Validation("code", "单位代码已存在");
        }
        return TypedResults.Created($"/api/v1/units/{unit.Id}", UnitView.Of(unit));
    }
}
