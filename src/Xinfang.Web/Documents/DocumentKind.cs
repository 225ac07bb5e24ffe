using Xinfang.Domain.Petitions;

namespace Xinfang.Web.Documents;

/// <summary>The written notices (书面告知、意见书) a matter's steps give rise to.</summary>
public enum DocumentKind
{
    /// <summary>受理告知书: the petitioner is told in writing that the matter was accepted (Art. 23, 31).</summary>
    AcceptanceNotice,
    /// <summary>不予受理告知书: not accepted, and where to go instead (Art. 31, 33).</summary>
    RefusalNotice,
    /// <summary>延期告知书: the handling time extended, and the reason (Art. 34).</summary>
    ExtensionNotice,
    /// <summary>信访处理意见书: the written opinion (Art. 32, 33).</summary>
    WrittenOpinion,
    /// <summary>复查意见书 (Art. 35).</summary>
    ReviewOpinion,
    /// <summary>复核意见书 (Art. 36).</summary>
    ReReviewOpinion,
}

public static class DocumentKinds
{
    public static readonly IReadOnlyList<DocumentKind> All = Enum.GetValues<DocumentKind>();

    public static string Slug(DocumentKind k) => k switch
    {
        DocumentKind.AcceptanceNotice => "acceptance-notice",
        DocumentKind.RefusalNotice => "refusal-notice",
        DocumentKind.ExtensionNotice => "extension-notice",
        DocumentKind.WrittenOpinion => "written-opinion",
        DocumentKind.ReviewOpinion => "review-opinion",
        _ => "re-review-opinion",
    };

    public static DocumentKind? Parse(string? slug) => All.Cast<DocumentKind?>().FirstOrDefault(k => Slug(k!.Value) == slug);

    public static string Name(DocumentKind k) => k switch
    {
        DocumentKind.AcceptanceNotice => "受理告知书",
        DocumentKind.RefusalNotice => "不予受理告知书",
        DocumentKind.ExtensionNotice => "延期告知书",
        DocumentKind.WrittenOpinion => "信访处理意见书",
        DocumentKind.ReviewOpinion => "复查意见书",
        _ => "复核意见书",
    };

    /// <summary>The step a matter must have taken for the document to exist; its latest such event feeds the document.</summary>
    public static PetitionAction Step(DocumentKind k) => k switch
    {
        DocumentKind.AcceptanceNotice => PetitionAction.Accept,
        DocumentKind.RefusalNotice => PetitionAction.Decline,
        DocumentKind.ExtensionNotice => PetitionAction.Extend,
        DocumentKind.WrittenOpinion => PetitionAction.Reply,
        DocumentKind.ReviewOpinion => PetitionAction.ReviewDecision,
        _ => PetitionAction.ReReviewDecision,
    };

    /// <summary>Why the document does not exist yet (the 409's title).</summary>
    public static string NotYet(DocumentKind k) => k switch
    {
        DocumentKind.AcceptanceNotice => "该事项尚未受理，不能出具受理告知书",
        DocumentKind.RefusalNotice => "该事项未作不予受理决定，不能出具不予受理告知书",
        DocumentKind.ExtensionNotice => "该事项未延期，不能出具延期告知书",
        DocumentKind.WrittenOpinion => "该事项尚未出具处理意见，不能生成信访处理意见书",
        DocumentKind.ReviewOpinion => "该事项尚未作出复查意见，不能生成复查意见书",
        _ => "该事项尚未作出复核意见，不能生成复核意见书",
    };
}
