using System.Text.RegularExpressions;

namespace Xinfang.Browser.Tests;

/// <summary>
/// What a page did behind its looks: console errors (CSP violations and failed loads show up there too),
/// uncaught exceptions, failed requests, and every URL it asked for. Attach before the first navigation.
/// </summary>
public sealed class PageWatch
{
    readonly object _gate = new();
    readonly List<string> _consoleErrors = [];
    readonly List<string> _pageErrors = [];
    readonly List<string> _failedRequests = [];
    readonly List<string> _requests = [];

    PageWatch() { }

    public static PageWatch Attach(IPage page)
    {
        var watch = new PageWatch();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsBrowsersOwnFaviconProbe(message.Location))
                watch.Add(watch._consoleErrors, $"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => watch.Add(watch._pageErrors, error);
        page.Request += (_, request) => watch.Add(watch._requests, request.Url);
        page.RequestFailed += (_, request) => watch.Add(watch._failedRequests, $"{request.Method} {request.Url}: {request.Failure}");
        return watch;
    }

    /// <summary>
    /// Chromium asks for /favicon.ico on its own when a page names no icon, and logs the 404 as a console error.
    /// That is the browser's request, not the page's, so only that path is let through (location is "url:line:column").
    /// </summary>
    static bool IsBrowsersOwnFaviconProbe(string location) =>
        Uri.TryCreate(Regex.Replace(location, @":\d+:\d+$", ""), UriKind.Absolute, out var uri) && uri.AbsolutePath == "/favicon.ico";

    void Add(List<string> list, string entry)
    {
        lock (_gate) list.Add(entry);
    }

    IReadOnlyList<string> Read(List<string> list)
    {
        lock (_gate) return list.ToList();
    }

    public IReadOnlyList<string> ConsoleErrors => Read(_consoleErrors);
    public IReadOnlyList<string> PageErrors => Read(_pageErrors);
    public IReadOnlyList<string> FailedRequests => Read(_failedRequests);
    public IReadOnlyList<string> Requests => Read(_requests);

    /// <summary>Requests that would leave the machine: a public page must not load fonts, scripts or trackers from elsewhere.</summary>
    public IReadOnlyList<string> OffLoopbackRequests => Requests.Where(url => !StaysOnMachine(url)).ToList();

    static bool StaysOnMachine(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme is "data" or "blob" or "about" || uri.IsLoopback);

    /// <summary>No console error, no uncaught exception, no failed request, nothing fetched from off this machine.</summary>
    /// <param name="refusedForms">
    /// Paths a test posted wrong on purpose: the page answers them with 4xx and the form again, and Chromium logs
    /// every 4xx document as a console error. Only those paths' 4xx entries are let through.
    /// </param>
    public void ShouldBeClean(params string[] refusedForms)
    {
        Requests.ShouldNotBeEmpty("the page was watched but made no request: was PageWatch attached before navigating?");
        ConsoleErrors.Where(e => !(Regex.IsMatch(e, @"status of 4\d\d") && refusedForms.Any(path => e.Contains(path + ":0:0)", StringComparison.Ordinal))))
            .ShouldBeEmpty("console errors");
        PageErrors.ShouldBeEmpty("uncaught exceptions");
        FailedRequests.ShouldBeEmpty("failed requests");
        OffLoopbackRequests.ShouldBeEmpty("requests to hosts other than loopback");
    }
}
