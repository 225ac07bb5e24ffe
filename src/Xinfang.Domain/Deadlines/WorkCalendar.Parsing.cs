using System.Globalization;
using System.Text.Json;

namespace Xinfang.Domain.Deadlines;

// Reading holiday notices: our own line format (the embedded Calendars/*.txt files and an administrator's
// import) and the holiday-cn JSON shape. Errors are FormatExceptions whose message (in Chinese, since it
// is shown to the importing administrator) names the offending line or entry.
public sealed partial class WorkCalendar
{
    // A notice's longest break is 9 days (2026 春节); anything much longer is a typo in a date.
    private const int MaxHolidayRangeDays = 31;

    /// <summary>
    /// Parses our notice format, one entry per line; blank lines and lines starting with '#' are ignored:
    /// <code>
    /// year 2026
    /// holiday 2026-01-01..2026-01-03 元旦
    /// workday 2026-01-04 元旦
    /// </code>
    /// <c>holiday A..B NAME</c> or <c>holiday A NAME</c> are days off; <c>workday D NAME</c> is a make-up
    /// working day, which must fall on a weekend. The optional <c>year</c> line bounds the dates to that
    /// year ± 1 (a notice may reach into the neighbouring December or January).
    /// </summary>
    /// <exception cref="FormatException">Bad input; the message gives the line number.</exception>
    public static IReadOnlyList<CalendarDay> ParseNotice(string text) => ParseNoticeWithYear(text).Days;

    /// <summary>Parses the holiday-cn JSON shape: <c>{"year":2026,"days":[{"name","date","isOffDay"}]}</c>.</summary>
    /// <exception cref="FormatException">Not JSON, or a field is missing or malformed.</exception>
    public static (int Year, IReadOnlyList<CalendarDay> Days) ParseHolidayCnJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("JSON 顶层应为对象。");
            }

            if (!root.TryGetProperty("year", out var yearElement)
                || yearElement.ValueKind != JsonValueKind.Number
                || !yearElement.TryGetInt32(out var year))
            {
                throw new FormatException("JSON 缺少整数字段 year。");
            }

            if (!root.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("JSON 缺少数组字段 days。");
            }

            var days = new List<CalendarDay>();
            var seen = new HashSet<DateOnly>();
            var index = 0;
            foreach (var item in daysElement.EnumerateArray())
            {
                var day = ReadJsonDay(item, index);
                if (!seen.Add(day.Date))
                {
                    throw new FormatException($"days[{index}]：日期 {Iso(day.Date)} 重复。");
                }

                days.Add(day);
                index++;
            }

            return (year, days);
        }
        catch (JsonException e)
        {
            throw new FormatException($"不是有效的 JSON：{e.Message}", e);
        }
    }

    private static CalendarDay ReadJsonDay(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("date", out var date) || date.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("isOffDay", out var isOffDay)
            || isOffDay.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException($"days[{index}]：应包含字符串 name、date 和布尔值 isOffDay。");
        }

        if (!TryParseDate(date.GetString(), out var parsed))
        {
            throw new FormatException($"days[{index}]：日期“{date.GetString()}”应为 yyyy-MM-dd。");
        }

        return new CalendarDay(parsed, isOffDay.GetBoolean(), name.GetString()!);
    }

    /// <summary>Parses our notice format and also returns the value of its <c>year</c> line, if any.</summary>
    private static (int? Year, IReadOnlyList<CalendarDay> Days) ParseNoticeWithYear(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? year = null;
        var days = new List<CalendarDay>();
        var seen = new HashSet<DateOnly>();

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var lineNumber = i + 1;
            FormatException Error(string problem) => new($"第{lineNumber}行：{problem}（“{line}”）");

            // keyword, date or range, and the rest of the line as the festival name.
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            switch (parts[0])
            {
                case "year":
                    if (year is not null)
                    {
                        throw Error("year 只能出现一次");
                    }

                    if (parts.Length != 2
                        || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
                        || y is < 1900 or > 9999)
                    {
                        throw Error("year 后应为四位年份");
                    }

                    if (days.Count > 0)
                    {
                        throw Error("year 应写在所有日期之前");
                    }

                    year = y;
                    break;

                case "holiday" or "workday":
                    var isOffDay = parts[0] == "holiday";
                    if (parts.Length < 3)
                    {
                        throw Error("应为“holiday 日期[..日期] 名称”或“workday 日期 名称”");
                    }

                    var (from, to) = ParseRange(parts[1], Error);
                    if (!isOffDay && from != to)
                    {
                        throw Error("workday 只能写单个日期");
                    }

                    if (!isOffDay && from.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    {
                        throw Error($"调休上班日 {Iso(from)} 不是周六或周日");
                    }

                    for (var d = from; d <= to; d = d.AddDays(1))
                    {
                        if (year is { } noticeYear && Math.Abs(d.Year - noticeYear) > 1)
                        {
                            throw Error($"日期 {Iso(d)} 超出 {noticeYear} 年通知的范围");
                        }

                        if (!seen.Add(d))
                        {
                            throw Error($"日期 {Iso(d)} 重复");
                        }

                        days.Add(new CalendarDay(d, isOffDay, parts[2]));
                    }

                    break;

                default:
                    throw Error($"无法识别的关键字“{parts[0]}”，应为 year、holiday 或 workday");
            }
        }

        if (days.Count == 0)
        {
            throw new FormatException("通知中没有任何 holiday 或 workday 行。");
        }

        return (year, days);
    }

    private static (DateOnly From, DateOnly To) ParseRange(string token, Func<string, FormatException> error)
    {
        var ends = token.Split("..");
        if (ends.Length > 2 || !TryParseDate(ends[0], out var from))
        {
            throw error($"日期“{token}”应为 yyyy-MM-dd 或 yyyy-MM-dd..yyyy-MM-dd");
        }

        var to = from;
        if (ends.Length == 2 && !TryParseDate(ends[1], out to))
        {
            throw error($"日期“{token}”应为 yyyy-MM-dd..yyyy-MM-dd");
        }

        if (to < from)
        {
            throw error($"日期范围“{token}”的结束早于开始");
        }

        if (to.DayNumber - from.DayNumber >= MaxHolidayRangeDays)
        {
            throw error($"日期范围“{token}”超过 {MaxHolidayRangeDays} 天");
        }

        return (from, to);
    }

    private static bool TryParseDate(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
