using System.Globalization;
using Xinfang.Domain.Deadlines;

namespace Xinfang.Web.Ledgers;

/// <summary>
/// One column of a ledger (台账): its Chinese header and how a row gives its value. A value may be a string,
/// a number (a numeric cell in XLSX), a date or time (printed in China time), a bool (是/否), a list of
/// strings (joined with 、) or null (an empty cell).
/// </summary>
public sealed record LedgerColumn<T>(string Header, Func<T, object?> Value, double Width = 14);

/// <summary>The file formats a ledger is written in.</summary>
public enum LedgerFormat { Xlsx, Csv }

public static class LedgerFormats
{
    public static string ContentType(LedgerFormat f) => f == LedgerFormat.Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    public static string Extension(LedgerFormat f) => f == LedgerFormat.Xlsx ? "xlsx" : "csv";
}

/// <summary>How a ledger value reads in a cell.</summary>
public static class LedgerCells
{
    /// <summary>XLSX cells hold at most 32,767 characters.</summary>
    public const int MaxCellLength = 32_767;

    public static bool IsNumber(object? value) => value is int or long or short or decimal or double or float;

    public static string Text(object? value)
    {
        var s = value switch
        {
            null => "",
            string x => x,
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            bool b => b ? "是" : "否",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable<string> list => string.Join("、", list),
            _ => value.ToString() ?? "",
        };
        return XmlSafe(s);
    }

    /// <summary>Drops the characters XML 1.0 cannot hold (control characters but tab and line breaks, lone surrogates).</summary>
    public static string XmlSafe(string s)
    {
        var i = 0;
        while (i < s.Length && IsXmlChar(s, i, out var w)) i += w;
        if (i == s.Length) return Cut(s);
        var sb = new System.Text.StringBuilder(s.Length).Append(s, 0, i);
        while (i < s.Length)
        {
            if (IsXmlChar(s, i, out var w)) { sb.Append(s, i, w); i += w; }
            else i++;
        }
        return Cut(sb.ToString());
    }

    static string Cut(string s)
    {
        if (s.Length <= MaxCellLength) return s;
        var n = char.IsHighSurrogate(s[MaxCellLength - 1]) ? MaxCellLength - 1 : MaxCellLength;
        return s[..n];
    }

    static bool IsXmlChar(string s, int i, out int width)
    {
        width = 1;
        var c = s[i];
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { width = 2; return true; }
            return false;
        }
        if (char.IsLowSurrogate(c)) return false;
        return c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF');
    }

    /// <summary>
    /// Whether a spreadsheet would take the text for a formula (CSV injection): = + - @, and tab or carriage
    /// return, which some spreadsheets skip before looking for one.
    /// </summary>
    public static bool LooksLikeFormula(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
}
