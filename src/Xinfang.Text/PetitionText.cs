namespace Xinfang.Text;

/// <summary>The text of one petition as the engine sees it: an id (the store's), a title and the detail (facts and request).</summary>
public sealed record PetitionText(long Id, string Title, string Detail)
{
    /// <summary>Title and detail as one text, for classification and clustering (the title names the matter most densely).</summary>
    public string Full => string.IsNullOrWhiteSpace(Detail) ? Title : Title + "\n" + Detail;

    /// <summary>
    /// The text near-duplicates are judged on: the detail, or the title when there is none. Petitioners resubmit the
    /// same detail under a reworded title, so titles would only add noise.
    /// </summary>
    public string Body => string.IsNullOrWhiteSpace(Detail) ? Title : Detail;
}
