namespace Xinfang.Text.Duplicates;

/// <summary>
/// The parameters of near-duplicate detection. Changing <see cref="ShingleLength"/>, <see cref="Bands"/>,
/// <see cref="RowsPerBand"/> or <see cref="Seed"/> changes every band key: a store must then recompute its key rows.
/// The thresholds only change the re-ranking and can be changed freely.
/// </summary>
/// <param name="ShingleLength">Characters per shingle (3: a 2-gram set is too common between unrelated Chinese texts).</param>
/// <param name="Bands">Band keys per text (rows in the store per petition).</param>
/// <param name="RowsPerBand">MinHash values per band: more rows, fewer and better candidates.</param>
/// <param name="Seed">Seed of the MinHash functions: fixed, so keys are stable across processes and machines.</param>
/// <param name="MinContainment">Shared shingles over the smaller text's: a truncated or shortened resubmission is contained in the original.</param>
/// <param name="MinJaccard">Shared over all shingles: keeps a short note that happens to sit inside a long letter from matching it.</param>
/// <param name="ShortText">Below this many shingles a text is too short for containment alone; it must then reach <see cref="MinJaccardShort"/>.</param>
/// <param name="MinJaccardShort">Jaccard required when either text is short.</param>
public sealed record NearDuplicateOptions(
    int ShingleLength = 3,
    int Bands = 24,
    int RowsPerBand = 3,
    ulong Seed = 0x58696E66616E6701UL,
    double MinContainment = 0.7,
    double MinJaccard = 0.3,
    int ShortText = 16,
    double MinJaccardShort = 0.7)
{
    public static readonly NearDuplicateOptions Default = new();
}
