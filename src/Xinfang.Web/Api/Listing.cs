namespace Xinfang.Web.Api;

/// <summary>A list as api.md shapes it: <c>{ "items": [...], "nextCursor": ... }</c>; a typed value, so pages read it too.</summary>
public sealed record Listing<T>(IReadOnlyList<T> Items, string? NextCursor = null);
