using Xinfang.Domain.Petitions;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Handling;

/// <summary>受理 with the handling route of Art. 31: 6 is the petition procedure (60 days), 1–5 divert it to other legal channels.</summary>
public sealed record AcceptRequest(int? Route, string? Note);

public static class AcceptPetition
{
    public static StepInput Input(AcceptRequest r) => StepInput.Check(
        () => new Accept((HandlingRoute)r.Route!.Value, r.Note),
        (r.Route is null or < 1 or > 6, "route", "请选择办理途径：1诉讼 2仲裁 3党员申诉 4行政程序 5直接履职 6信访程序（条例第三十一条）"),
        (r.Note?.Length > StepInput.MaxText, "note", StepInput.TooLong));
}
