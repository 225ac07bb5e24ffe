namespace Xinfang.Domain.Petitions;

/// <summary>The 18-character resident identity number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.</summary>
public static class ResidentId
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckCharacters = "10X98765432";

    public static bool IsValid(string? id)
    {
        if (id is not { Length: 18 }) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i])) return false;
            sum += (id[i] - '0') * Weights[i];
        }
        if (char.ToUpperInvariant(id[17]) != CheckCharacters[sum % 11]) return false;
        // Birth date (positions 7–14) must be a real date.
        return DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", out var birth) && birth.Year >= 1900;
    }

    /// <summary>Computes the check character for 17 digits (used to make valid synthetic numbers for demo data).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Keeps the first 6 and last 4 characters, the rest masked (shown by default; revealing is recorded).</summary>
    public static string Mask(string id) => id.Length <= 10 ? new string('*', id.Length) : id[..6] + new string('*', id.Length - 10) + id[^4..];
}

public static class PhoneNumber
{
    /// <summary>Mainland mobile (11 digits starting 1) or a landline with area code, digits and dashes.</summary>
    public static bool IsValid(string? phone) =>
        phone is { Length: >= 7 and <= 20 } && phone.All(ch => char.IsAsciiDigit(ch) || ch is '-' or '+' or ' ')
        && phone.Count(char.IsAsciiDigit) >= 7;

    public static string Mask(string phone) => phone.Length <= 7 ? new string('*', phone.Length) : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
}

/// <summary>Petition numbers: readable, unique per receiving region and year, e.g. 320481-2026-000123.</summary>
public static class PetitionNumber
{
    public static string Format(string regionCode, int year, long sequence) => $"{regionCode}-{year:D4}-{sequence:D6}";
}
