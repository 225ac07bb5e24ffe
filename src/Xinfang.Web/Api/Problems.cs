using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Xinfang.Domain.Petitions;

namespace Xinfang.Web.Api;

/// <summary>
/// Turns error values into RFC 9457 problem details: a stable <c>type</c> (/problems/{code}), a Chinese title,
/// and for 400 an <c>errors</c> map by field. One place, so every capability answers alike.
/// </summary>
public static class Problems
{
    public const string TypeBase = "/problems/";

    public static ProblemHttpResult Of(WorkflowError e, IDictionary<string, object?>? extensions = null) => e.Kind switch
    {
        WorkflowErrorKind.Invalid => Validation(e.Field ?? "body", e.Title, e.Code),
        WorkflowErrorKind.Forbidden => Make(StatusCodes.Status403Forbidden, e.Code, e.Title, extensions: extensions),
        _ => Make(StatusCodes.Status409Conflict, e.Code, e.Title, extensions: extensions),
    };

    public static ProblemHttpResult Make(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var p = new ProblemDetails { Status = status, Type = TypeBase + code, Title = title, Detail = detail };
        if (extensions is not null) foreach (var (k, v) in extensions) p.Extensions[k] = v;
        return TypedResults.Problem(p);
    }

    public static ProblemHttpResult Validation(string field, string message, string code = "validation") =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, code, message);

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string code = "validation", string? title = null) =>
        Make(StatusCodes.Status400BadRequest, code, title ?? "请求内容有误，请检查标注的字段", extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>A valid token whose account no longer exists, or no token at all.</summary>
    public static ProblemHttpResult Unauthenticated() => Make(StatusCodes.Status401Unauthorized, "unauthenticated", "请先登录");

    public static ProblemHttpResult NotFound(string what = "信访事项") => Make(StatusCodes.Status404NotFound, "not-found", $"{what}不存在或不在本单位管辖范围内");
    public static ProblemHttpResult Forbidden(string title = "您的角色无权执行此操作") => Make(StatusCodes.Status403Forbidden, "forbidden", title);
    public static ProblemHttpResult StaleVersion(int current) =>
        Make(StatusCodes.Status412PreconditionFailed, "stale-version", "该事项已被他人修改，请刷新后重试", extensions: new Dictionary<string, object?> { ["currentVersion"] = current });
    public static ProblemHttpResult ConcurrentChange() =>
        Make(StatusCodes.Status409Conflict, "concurrent-change", "该事项正被他人同时办理，请刷新后重试");

    /// <summary>Titles for statuses the framework produces itself (unparseable JSON, oversized bodies, unknown routes).</summary>
    public static (string Code, string Title) ForStatus(int status) => status switch
    {
        400 => ("bad-request", "请求格式有误（例如JSON无法解析）"),
        401 => ("unauthenticated", "请先登录"),
        403 => ("forbidden", "您无权访问此资源"),
        404 => ("not-found", "资源不存在"),
        405 => ("method-not-allowed", "不支持该请求方法"),
        409 => ("conflict", "操作与当前状态冲突"),
        412 => ("stale-version", "该事项已被他人修改，请刷新后重试"),
        413 => ("payload-too-large", "请求内容过大"),
        415 => ("unsupported-media-type", "请求内容类型不受支持，请使用 application/json"),
        429 => ("too-many-requests", "请求过于频繁，请稍后再试"),
        _ when status >= 500 => ("server-error", "服务器内部错误，请稍后重试；已记录"),
        _ => ("error", "请求失败"),
    };
}
