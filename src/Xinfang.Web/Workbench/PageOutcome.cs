using Microsoft.AspNetCore.Http.HttpResults;
using Xinfang.Web.Api;

namespace Xinfang.Web.Workbench;

/// <summary>
/// What a use case answered, read for a page: the value on success, or the Chinese title and the field
/// errors of its problem details. Pages call the very use cases the API calls and show their refusals.
/// </summary>
public sealed record PageOutcome(int Status, object? Value, string? Error, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public T? ValueAs<T>() where T : class => Value as T;

    public static PageOutcome Of(IResult result)
    {
        if (result is ETagged tagged) result = tagged.Inner;
        return result switch
        {
            ProblemHttpResult p => new PageOutcome(p.StatusCode, null, p.ProblemDetails.Title,
                p.ProblemDetails.Extensions.TryGetValue("errors", out var e) && e is IDictionary<string, string[]> errors
                    ? errors.ToDictionary() : new Dictionary<string, string[]>()),
            IValueHttpResult v and IStatusCodeHttpResult s => new PageOutcome(s.StatusCode ?? 200, v.Value, null, new Dictionary<string, string[]>()),
            IStatusCodeHttpResult s => new PageOutcome(s.StatusCode ?? 200, null, null, new Dictionary<string, string[]>()),
            _ => new PageOutcome(200, null, null, new Dictionary<string, string[]>()),
        };
    }

    public static PageOutcome Invalid(string field, string message) =>
        new(400, null, "请检查标注的字段", new Dictionary<string, string[]> { [field] = [message] });
}
