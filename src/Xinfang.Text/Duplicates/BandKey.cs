namespace Xinfang.Text.Duplicates;

/// <summary>
/// One locality-sensitive key of a text: the hash of one band of its MinHash signature, band number mixed in. Two texts
/// that share any band key are candidates for the same matter. A store keeps one row <c>(band_key bigint, petition_id)</c>
/// per key with an index on <c>band_key</c>, and finds candidates with <c>WHERE band_key IN (…keys of the new text…)</c>.
/// </summary>
public readonly record struct BandKey(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
