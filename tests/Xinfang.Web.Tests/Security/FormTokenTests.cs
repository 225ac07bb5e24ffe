using System.Net;
using AngleSharp.Dom;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Security;

/// <summary>
/// Every page a user can reach, walked by following links as each role and anonymously (issue #8): every form that
/// posts carries the antiforgery token, a post without it changes nothing and is refused with a Chinese page, and
/// no page holds inline script or style (the CSP would block them).
/// </summary>
public abstract class FormTokenTests(XinfangFactory factory)
{
    sealed record Form(string Page, string Action, List<KeyValuePair<string, string>> Fields, bool HasToken);

    /// <summary>Follows same-site links from <paramref name="starts"/> (breadth first, at most <paramref name="limit"/> pages).</summary>
    static async Task<Dictionary<string, Page>> WalkAsync(Browser b, int limit, params string[] starts)
    {
        var pages = new Dictionary<string, Page>();
        var queue = new Queue<string>(starts);
        var seen = new HashSet<string>(starts);
        while (queue.Count > 0 && pages.Count < limit)
        {
            var url = queue.Dequeue();
            var page = await b.GetAsync(url);
            if (page.Status != HttpStatusCode.OK || !page.Html.TrimStart().StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase)) continue;
            pages[url] = page;
            foreach (var a in page.Doc.QuerySelectorAll("a[href]"))
            {
                var href = a.GetAttribute("href")!.Split('#')[0];
                // Other pages of one list, and files, add no new forms.
                if (href.Length == 0 || !(href.StartsWith("/staff", StringComparison.Ordinal) || href.StartsWith("/portal", StringComparison.Ordinal))
                    || href.Contains("cursor=", StringComparison.Ordinal) || href.Contains("/attachments/", StringComparison.Ordinal)) continue;
                if (seen.Add(href)) queue.Enqueue(href);
            }
        }
        return pages;
    }

    static IEnumerable<Form> FormsOf(string url, Page page) =>
        page.Doc.QuerySelectorAll("form").Where(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)).Select(f =>
        {
            var fields = f.QuerySelectorAll("input[name], textarea[name], select[name]")
                .Where(i => i.GetAttribute("name") != "__RequestVerificationToken" && i.GetAttribute("type") != "file")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? i.TextContent)).ToList();
            var token = f.QuerySelector("input[type=hidden][name=__RequestVerificationToken]")?.GetAttribute("value");
            return new Form(url, f.GetAttribute("action") ?? url, fields, !string.IsNullOrEmpty(token));
        });

    async Task<(Dictionary<string, Page> Pages, List<(Browser Browser, Form Form)> Forms, Guid Petition, Infrastructure.Api Clerk)> WalkEveryoneAsync()
    {
        var w = await World.OfAsync(factory);
        var registered = (await w.Clerk.PostAsync("/api/v1/petitions", Staffing.Petition("表单令牌检查用事项"))).Expect(HttpStatusCode.Created);
        var id = Guid.Parse(registered["id"]);
        var all = new Dictionary<string, Page>();
        var forms = new List<(Browser, Form)>();
        foreach (var user in new[] { "clerk", "worker", "leader", "analyst", "admin" })
        {
            var b = new Browser(factory);
            var signedIn = await b.SignInAsync(user, user == "admin" ? XinfangFactory.AdminPassword : World.Password);
            signedIn.Status.ShouldBe(HttpStatusCode.Redirect, signedIn.Alert);
            var pages = await WalkAsync(b, 60, "/staff", $"/staff/petitions/{id}", "/staff/password", "/staff/account/two-factor");
            foreach (var (url, page) in pages)
            {
                all[user + " " + url] = page;
                forms.AddRange(FormsOf(url, page).Select(f => (b, f)));
            }
        }
        var anonymous = new Browser(factory);
        foreach (var (url, page) in await WalkAsync(anonymous, 30, "/", "/staff/login", "/staff/password", "/portal", "/portal/submit", "/portal/track"))
        {
            all["anonymous " + url] = page;
            forms.AddRange(FormsOf(url, page).Select(f => (anonymous, f)));
        }
        // The petitioner's status page, reached with the number and the query code of the receipt.
        var status = await anonymous.PostAsync("/portal/track", new() { ["number"] = registered["number"], ["queryCode"] = registered["queryCode"] }, from: "/portal/track");
        status.Expect(HttpStatusCode.OK);
        all["anonymous /portal/track (status)"] = status;
        forms.AddRange(FormsOf("/portal/track (status)", status).Select(f => (anonymous, f)));
        return (all, forms, id, w.Clerk);
    }

    [Fact]
    public async Task Every_form_that_posts_carries_the_antiforgery_token_and_a_post_without_it_is_refused_and_changes_nothing()
    {
        var (pages, forms, petition, clerk) = await WalkEveryoneAsync();
        pages.Count.ShouldBeGreaterThan(20);
        // The walk reached the forms that matter: sign-in, sign-out, workflow steps, administration, the portal's.
        var actions = forms.Select(f => f.Form.Action).ToHashSet();
        foreach (var expected in new[] { "/staff/login", "/staff/logout", "/staff/password", "/staff/account/two-factor", "/portal/submit", "/portal/track", "/portal/withdraw" })
            actions.ShouldContain(expected);
        actions.Count(a => a.StartsWith($"/staff/petitions/{petition}/", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        actions.Count(a => a.StartsWith("/staff/admin/", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        forms.Where(f => !f.Form.HasToken).Select(f => $"{f.Form.Page} → {f.Form.Action}").ShouldBeEmpty();

        var before = (await clerk.GetAsync($"/api/v1/petitions/{petition}")).Expect(HttpStatusCode.OK).ETag;
        foreach (var (browser, form) in forms.DistinctBy(f => (f.Browser, f.Form.Action)))
        {
            using var response = await browser.Http.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{form.Page} → {form.Action}");
            text.ShouldContain("页面已过期", customMessage: $"{form.Page} → {form.Action}");
        }
        (await clerk.GetAsync($"/api/v1/petitions/{petition}")).ETag.ShouldBe(before);
        // Still signed in: the refused sign-out did not sign anyone out.
        var (signedIn, _) = forms.First(f => f.Form.Action == "/staff/logout");
        (await signedIn.GetAsync("/staff/password")).Doc.QuerySelector("form[action='/staff/logout']").ShouldNotBeNull();
    }

    [Fact]
    public async Task No_reachable_page_holds_inline_script_inline_style_or_event_handler_attributes()
    {
        var (pages, _, _, _) = await WalkEveryoneAsync();
        var problems = new List<string>();
        foreach (var (url, page) in pages)
        {
            foreach (var s in page.Doc.QuerySelectorAll("script"))
                if (string.IsNullOrEmpty(s.GetAttribute("src")) || s.TextContent.Trim().Length > 0) problems.Add($"{url}: inline <script>");
            if (page.Doc.QuerySelector("style") is not null) problems.Add($"{url}: <style> element");
            foreach (var e in page.Doc.All)
                foreach (var attr in e.Attributes)
                {
                    if (attr.Name == "style") problems.Add($"{url}: style attribute on <{e.LocalName}>");
                    if (attr.Name.StartsWith("on", StringComparison.Ordinal)) problems.Add($"{url}: {attr.Name} on <{e.LocalName}>");
                    if (attr.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)) problems.Add($"{url}: javascript: URL");
                }
        }
        problems.Distinct().ShouldBeEmpty();
    }
}

public sealed class FormTokenTests_Sqlite(SqliteFactory f) : FormTokenTests(f), IClassFixture<SqliteFactory>;
public sealed class FormTokenTests_Postgres(PostgresFactory f) : FormTokenTests(f), IClassFixture<PostgresFactory>;
