using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;

namespace Xinfang.Web.Portal;

/// <summary>Why the portal refused something; the API turns it into a problem, a page shows the title.</summary>
public sealed record PortalError(int Status, string Code, string Title, IDictionary<string, string[]>? Errors = null)
{
    /// <summary>A wrong number and a wrong code look the same: nothing tells which numbers exist.</summary>
    public static readonly PortalError NotFound = new(404, "not-found", "未找到该信访事项，请核对编号和查询码");
    public static PortalError Locked(DateTimeOffset until) => new(429, "too-many-attempts", $"查询码错误次数过多，请于{until.ToOffset(TimeSpan.FromHours(8)):HH:mm}后再试");
    public static PortalError Invalid(IDictionary<string, string[]> errors) => new(400, "validation", "请检查标注的内容", errors);
    public static PortalError Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static PortalError Of(WorkflowError e) => e.Kind switch
    {
        WorkflowErrorKind.Invalid => new(400, e.Code, e.Title, new Dictionary<string, string[]> { [e.Field ?? "body"] = [e.Title] }),
        WorkflowErrorKind.Forbidden => new(403, e.Code, e.Title),
        _ => new(409, e.Code, e.Title),
    };

    public IResult ToProblem() => Status == 400 && Errors is not null
        ? Problems.Validation(Errors, Code, Title)
        : Problems.Make(Status, Code, Title);
}
