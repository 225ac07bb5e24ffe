using System.Text;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;

namespace Xinfang.Web.Portal;

/// <summary>A written answer (处理意见书, 复查意见, 复核意见) of the petitioner's matter, as a plain-text document to keep.</summary>
public sealed class DownloadAnswer(XinfangDb db, PetitionerAccess access)
{
    /// <summary>The document as a UTF-8 text file with a byte-order mark (so Windows editors show the Chinese right).</summary>
    public static IResult File(string fileName, string text) =>
        Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), "text/plain; charset=utf-8", fileName);

    public async Task<(string? FileName, string? Text, PortalError? Error)> HandleAsync(string number, int sequence, string? queryCode, CancellationToken ct)
    {
        var (petition, error) = await access.OpenAsync(number, queryCode, ct, track: false);
        if (petition is null) return (null, null, error);
        var e = await db.PetitionEvents.AsNoTracking().FirstOrDefaultAsync(x => x.PetitionId == petition.Id && x.Sequence == sequence, ct);
        if (e is null || e.Action is not (PetitionAction.Reply or PetitionAction.ReviewDecision or PetitionAction.ReReviewDecision))
            return (null, null, PortalError.NotFound);
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == e.ActorUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        var title = e.Action switch
        {
            PetitionAction.Reply => "信访处理意见书",
            PetitionAction.ReviewDecision => "信访事项复查意见书",
            _ => "信访事项复核意见书",
        };
        var decision = TrackPetition.DecisionOf(e);
        var text = new StringBuilder()
            .AppendLine(title).AppendLine()
            .AppendLine($"信访事项编号：{petition.Number}")
            .AppendLine($"事项：{petition.Title}")
            .AppendLine($"出具单位：{unit}")
            .AppendLine($"处理意见：{(decision is { } x ? Names.Of(x) : "")}")
            .AppendLine($"日期：{ChinaTime.DateOf(e.At):yyyy年M月d日}").AppendLine()
            .AppendLine(e.Note).ToString();
        return ($"{title}-{petition.Number}.txt", text, null);
    }
}
