using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;

namespace Xinfang.Web.Attachments;

public sealed record AttachmentList(IReadOnlyList<AttachmentView> Items, string? NextCursor);

/// <summary>Adds files to an open petition: recognised by content, within the size and count limits, stored outside the web root.</summary>
public sealed class AddAttachments(XinfangDb db, AttachmentStore store)
{
    public const int MaxPerPetition = 10;

    public async Task<IResult> HandleAsync(Petition petition, IReadOnlyList<IFormFile> files, AttachmentSource source, string location, CancellationToken ct)
    {
        if (!Workflow.IsOpen(petition.Status)) return Problems.Make(409, "matter-not-open", "事项已办结、终结或撤回，不能再补充材料");
        if (files.Count == 0 || files.All(f => f.Length == 0)) return Problems.Validation("files", "请选择要上传的文件");
        var existing = await db.Attachments.CountAsync(a => a.PetitionId == petition.Id, ct);
        if (existing + files.Count > MaxPerPetition) return Problems.Validation("files", $"每件信访事项最多{MaxPerPetition}个附件");
        if (await store.CheckAsync(files, ct) is { Count: > 0 } errors) return Problems.Validation(new Dictionary<string, string[]> { ["files"] = [.. errors] });
        var saved = await store.SaveAsync(petition.Id, files, source, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created(location, new AttachmentList(saved.Select(AttachmentView.Of).ToList(), null));
    }
}
