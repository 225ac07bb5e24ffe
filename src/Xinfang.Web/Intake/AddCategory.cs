using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;

namespace Xinfang.Web.Intake;

public sealed record AddCategoryRequest(string? ParentCode, string? Name);

/// <summary>
/// A system administrator adds a second-level category under a top-level one (the top level is the fixed
/// list of 涉及领域). Its code is the parent's followed by the next free two digits: 01 → 0105.
/// </summary>
public static class AddCategory
{
    public static async Task<IResult> HandleAsync(AddCategoryRequest body, Staff staff, XinfangDb db, CancellationToken ct)
    {
        if (!staff.Has(Role.SystemAdmin)) return Problems.Forbidden("只有系统管理员可以维护问题分类");
        var errors = new Dictionary<string, string[]>();
        var name = body.Name?.Trim();
        var parent = body.ParentCode is null ? null : await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Code == body.ParentCode, ct);
        if (parent is null) errors["parentCode"] = ["请选择一级分类"];
        else if (parent.Level != 1) errors["parentCode"] = ["只能在一级分类下新增二级分类"];
        if (string.IsNullOrEmpty(name) || name.Length > 100) errors["name"] = ["请填写分类名称（不超过100字）"];
        if (errors.Count > 0) return Problems.Validation(errors);
        var siblings = await db.Categories.AsNoTracking().Where(c => c.ParentCode == parent!.Code).ToListAsync(ct);
        if (siblings.Any(c => c.Name == name)) return Problems.Validation("name", "该一级分类下已有同名分类");
        var next = siblings.Select(c => int.TryParse(c.Code.AsSpan(parent!.Code.Length), out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
        if (next > 99) return Problems.Validation("parentCode", "该一级分类下的二级分类已满99个");
        var category = new Category { Code = parent!.Code + next.ToString("D2"), Name = name!, ParentCode = parent.Code, Level = 2 };
        db.Categories.Add(category);
        try
        {
            await Audit.AuditTrail.For(db).SaveAsync(Audit.AuditRecord.Of(Audit.AuditActions.CategoryAdded, staff, Audit.AuditTargets.Category, category.Code, new { category.Code, category.Name, category.ParentCode }), ct);
        }
        catch (DbUpdateException ex) when (Petitions.PetitionWorkflow.IsUniqueViolation(ex))
        {
            // Two administrators took the same next code at once.
            return Problems.Make(409, "concurrent-change", "分类编码被同时占用，请重试");
        }
        return TypedResults.Created($"/api/v1/categories/{category.Code}", category);
    }
}
