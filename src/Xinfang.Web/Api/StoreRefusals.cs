using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Xinfang.Web.Api;

/// <summary>
/// Refusals of the store that are the request's doing, not the server's, answered as problems instead of 500:
/// a text with a NUL character (PostgreSQL's text type cannot hold it: SQLSTATE 22021), and a unique key taken
/// between the check and the insert by a concurrent request (two accounts of one name created at once).
/// </summary>
public sealed class StoreRefusals(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (Classify(exception) is not { } refusal || http.Response.HasStarted) return false;
        http.Response.StatusCode = refusal.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = refusal.Status, Type = Problems.TypeBase + refusal.Code, Title = refusal.Title },
        });
    }

    static (int Status, string Code, string Title)? Classify(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            switch (x)
            {
                case Npgsql.PostgresException { SqlState: "22021" or "22P05" }:
                    return (400, "invalid-characters", "请求内容包含不允许的字符（如空字符），请删除后重试");
                case Npgsql.PostgresException { SqlState: "23505" }:
                case Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }:
                    return (409, "conflict", "与同时提交的请求冲突（名称或编号已被占用），请刷新后重试");
            }
        return null;
    }
}
