using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Xinfang.Web.Tests.Infrastructure;

/// <summary>A page as the browser received it: status, redirect target and the parsed document.</summary>
public sealed record Page(HttpStatusCode Status, string? Location, IDocument Doc, string Html)
{
    public Page Expect(HttpStatusCode status)
    {
        Status.ShouldBe(status, Text.Length > 600 ? Text[..600] : Text);
        return this;
    }

    /// <summary>The visible text, whitespace collapsed.</summary>
    public string Text => string.Join(" ", (Doc.Body?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The alert (page error) text, or "" when there is none.</summary>
    public string Alert => Doc.QuerySelector("[role=alert]")?.TextContent.Trim() ?? "";
    public string Notice => Doc.QuerySelector("[role=status]")?.TextContent.Trim() ?? "";

    /// <summary>The error shown under a field (FieldError renders id="err-{field}").</summary>
    public string? FieldError(string field) => Doc.GetElementById("err-" + field)?.TextContent.Trim();
}

/// <summary>
/// A staff member's browser without the browser: a cookie jar, the antiforgery token of the last page, and form
/// posts the way an HTML form sends them. Redirects are not followed, so a test sees post/redirect/get.
/// </summary>
public sealed class PageClient
{
    static readonly HtmlParser Parser = new();
    readonly HttpClient _http;
    string? _token;

    public PageClient(XinfangFactory factory) =>
        _http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<PageClient> SignInAsync(XinfangFactory factory, string userName, string password = World.Password)
    {
        var c = new PageClient(factory);
        var page = await c.PostAsync("/staff/login", new() { ["userName"] = userName, ["password"] = password }, from: "/staff/login");
        page.Status.ShouldBe(HttpStatusCode.Redirect, page.Alert);
        return c;
    }

    public async Task<Page> GetAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        return await ReadAsync(response);
    }

    /// <summary>Posts a form as application/x-www-form-urlencoded with the antiforgery token of <paramref name="from"/> (or of the last page).</summary>
    public async Task<Page> PostAsync(string url, Dictionary<string, string> fields, string? from = null, bool withToken = true)
    {
        if (from is not null) await GetAsync(from);
        var all = new List<KeyValuePair<string, string>>(fields);
        if (withToken && _token is not null) all.Add(new("__RequestVerificationToken", _token));
        using var response = await _http.PostAsync(url, new FormUrlEncodedContent(all));
        return await ReadAsync(response);
    }

    /// <summary>Posts multipart form data (file uploads) with the token of the last page.</summary>
    public async Task<Page> PostMultipartAsync(string url, MultipartFormDataContent content)
    {
        if (_token is not null) content.Add(new StringContent(_token), "__RequestVerificationToken");
        using var response = await _http.PostAsync(url, content);
        return await ReadAsync(response);
    }

    public Task<HttpResponseMessage> RawGetAsync(string url) => _http.GetAsync(url);

    async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var doc = await Parser.ParseDocumentAsync(html);
        var token = doc.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        if (token is not null) _token = token;
        return new Page(response.StatusCode, response.Headers.Location?.ToString(), doc, html);
    }
}
