namespace Xinfang.Domain.Deadlines;

/// <summary>
/// One date that the State Council's annual holiday notice (国务院办公厅关于部分节假日安排的通知)
/// changes from the normal week: a day off (<see cref="IsOffDay"/> = true) or a make-up working day
/// on a weekend (调休上班, <see cref="IsOffDay"/> = false). <see cref="Name"/> is the festival, e.g. "春节".
/// </summary>
public sealed record CalendarDay(DateOnly Date, bool IsOffDay, string Name);
