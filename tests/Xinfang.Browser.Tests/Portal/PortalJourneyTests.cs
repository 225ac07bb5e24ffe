using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Xinfang.Browser.Tests.Portal;

/// <summary>
/// The public portal (阳光信访, src/Xinfang.Web/Portal/Pages) as a citizen uses it on a phone, 375 px wide:
/// guidance → submission → receipt → status → rating → review request → the written answer; a guessed query code
/// throttled; the submission form's errors, labels, keyboard use, contrast and weight. Staff steps in between go
/// through the HTTP API (<see cref="PortalWorld"/>). One server and one browser for the class.
/// </summary>
public sealed class PortalJourneyTests : IClassFixture<PortalServer>, IClassFixture<Browser>
{
    const string ReplyText = "经核查，阳光花园项目因开发商资金链断裂停工。我局已约谈开发商并督促于本月复工，预计年内具备交付条件。如对本意见不服，可申请复查。";
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    readonly PortalServer _server;
    readonly Browser _browser;
    readonly ITestOutputHelper _output;

    public PortalJourneyTests(PortalServer server, Browser browser, ITestOutputHelper output)
    {
        _server = server;
        _browser = browser;
        _output = output;
        SetDefaultExpectTimeout(15_000);
    }

    /// <summary>
    /// Now in China, to the minute: where the tests stand the server's clock. Not in the past: a challenge's expiry
    /// is set by the server's clock but checked by the data protector against the real one.
    /// </summary>
    static DateTimeOffset ChinaNow()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(China);
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, China);
    }

    static string Chinese(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    // ───────────────────────────── the journey ─────────────────────────────

    [Fact]
    public async Task Citizen_on_a_phone_submits_a_named_petition_follows_it_rates_requests_review_and_downloads_the_answer_without_help()
    {
        var t0 = ChinaNow();
        await _server.SetClockAsync(t0);
        var world = await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);

        // Guidance, then the way in.
        await page.GotoAsync("/portal");
        await Expect(page.Locator("h1")).ToHaveTextAsync("信访指南");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "我要提交信访事项" }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("网上信访");
        await PortalPage.ShouldBeLightAndFitAsync(page);

        // The form, found by its labels; the challenge answered wrongly first: the values stay.
        await PortalPage.Field(page, "姓名或单位名称 *").FillAsync("张三");
        await PortalPage.Field(page, "联系电话 *").FillAsync("13912345678");
        await PortalPage.Field(page, "住址 *").FillAsync("昆山市玉山镇阳光花园3栋201室");
        await FillMatterAsync(page);
        await PortalPage.AnswerChallengeAsync(page, wrongly: true);
        await PortalPage.PressAsync(page, "提交");

        await ExpectChallengeRefusedAsync(page);
        await Expect(PortalPage.Field(page, "姓名或单位名称 *")).ToHaveValueAsync("张三");
        await Expect(PortalPage.Field(page, "联系电话 *")).ToHaveValueAsync("13912345678");
        await Expect(PortalPage.Field(page, "住址 *")).ToHaveValueAsync("昆山市玉山镇阳光花园3栋201室");
        await ExpectMatterKeptAsync(page);

        await PortalPage.AnswerChallengeAsync(page);
        await PortalPage.PressAsync(page, "提交");
        var (number, code) = await ReadReceiptAsync(page);

        await FollowRateReviewAndDownloadAsync(page, watch, world, number, code, t0);
    }

    /// <summary>
    /// The same form as a citizen who ticks 匿名反映 fills it — the one way through the form today (see
    /// <see cref="FormBindingBug"/>): a wrong answer keeps the typed values, a right one gives the receipt.
    /// </summary>
    [Fact]
    public async Task Anonymous_citizen_submits_through_the_form_keeps_values_after_a_wrong_answer_and_gets_number_code_and_QR()
    {
        await _server.SetClockAsync(ChinaNow());
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);

        await page.GotoAsync("/portal");
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "我要提交信访事项" }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("网上信访");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" }).CheckAsync();
        await FillMatterAsync(page);
        await PortalPage.AnswerChallengeAsync(page, wrongly: true);
        await PortalPage.PressAsync(page, "提交");

        await ExpectChallengeRefusedAsync(page);
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" })).ToBeCheckedAsync();
        await ExpectMatterKeptAsync(page);
        await PortalPage.ShouldBeLightAndFitAsync(page);

        await PortalPage.AnswerChallengeAsync(page);
        await PortalPage.PressAsync(page, "提交");
        var (number, _) = await ReadReceiptAsync(page);

        // The receipt's way on (the same address as its QR code) opens the query form with the number filled in.
        await PortalPage.FollowAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "查询办理进度" }).ClickAsync());
        await Expect(page.Locator("h1")).ToHaveTextAsync("查询办理进度");
        await Expect(PortalPage.Field(page, "信访事项编号")).ToHaveValueAsync(number);
        await Expect(PortalPage.Field(page, "查询码")).ToHaveValueAsync("");
        watch.ShouldBeClean();
    }

    /// <summary>
    /// From the receipt on, with a named online petition submitted through the public API (which the form
    /// mirrors): the citizen looks it up, reads the reply, rates it, asks for review and keeps the written answer.
    /// </summary>
    [Fact]
    public async Task Citizen_follows_an_online_petition_reads_the_reply_rates_it_requests_review_and_downloads_the_answer()
    {
        var t0 = ChinaNow();
        await _server.SetClockAsync(t0);
        var world = await PortalWorld.OfAsync(_server);
        var (number, code) = await world.SubmitOnlineAsync("阳光花园小区逾期交房");
        number.ShouldMatch(@"^320583-\d{4}-\d{6}$");
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);

        await FollowRateReviewAndDownloadAsync(page, watch, world, number, code, t0);
    }

    [Fact]
    public async Task Receipt_shows_the_number_and_the_query_code_each_on_one_line_at_phone_width()
    {
        await _server.SetClockAsync(ChinaNow());
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        await page.GotoAsync("/portal/submit");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" }).CheckAsync();
        await FillMatterAsync(page);
        await PortalPage.AnswerChallengeAsync(page);
        await PortalPage.PressAsync(page, "提交");
        await Expect(page.Locator("h1")).ToHaveTextAsync("提交成功");

        var lines = await page.Locator("dd.big").EvaluateAllAsync<double[]>(
            "els => els.map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))");
        lines.Length.ShouldBe(2);
        lines.ShouldAllBe(n => n < 1.5, "the number and the query code are copied by hand: each should read as one unbroken line");
    }

    static async Task FillMatterAsync(IPage page)
    {
        await PortalPage.Field(page, "事项所在地 *").SelectOptionAsync(new SelectOptionValue { Label = "昆山市" });
        await PortalPage.Field(page, "标题 *").FillAsync("阳光花园小区逾期交房");
        await PortalPage.Field(page, "信访请求 *").FillAsync("请求责令开发商按合同约定交付住房。");
        await PortalPage.Field(page, "事实 *").FillAsync("购房合同约定2025年6月交房，项目自2025年3月起停工至今。");
        await PortalPage.Field(page, "理由 *").FillAsync("购房款已全部付清，开发商逾期交房已构成违约。");
    }

    static async Task ExpectMatterKeptAsync(IPage page)
    {
        await Expect(PortalPage.Field(page, "事项所在地 *")).ToHaveValueAsync("320583");
        await Expect(PortalPage.Field(page, "标题 *")).ToHaveValueAsync("阳光花园小区逾期交房");
        await Expect(PortalPage.Field(page, "信访请求 *")).ToHaveValueAsync("请求责令开发商按合同约定交付住房。");
        await Expect(PortalPage.Field(page, "事实 *")).ToHaveValueAsync("购房合同约定2025年6月交房，项目自2025年3月起停工至今。");
        await Expect(PortalPage.Field(page, "理由 *")).ToHaveValueAsync("购房款已全部付清，开发商逾期交房已构成违约。");
        await Expect(PortalPage.ChallengeInput(page)).ToHaveValueAsync(""); // a new question, a blank answer
    }

    static async Task ExpectChallengeRefusedAsync(IPage page)
    {
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("请修改以下内容后再提交");
        await Expect(alert.GetByRole(AriaRole.Link)).ToHaveTextAsync("验证问题回答不正确");
        await Expect(alert.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "#challengeAnswer");
        await Expect(page.Locator("#err-challengeAnswer")).ToHaveTextAsync("验证问题回答不正确");
        await Expect(PortalPage.ChallengeInput(page)).ToHaveAccessibleDescriptionAsync("验证问题回答不正确");
    }

    /// <summary>The receipt: number and query code large, the QR code to the status page; returns both.</summary>
    static async Task<(string Number, string Code)> ReadReceiptAsync(IPage page)
    {
        await Expect(page.Locator("h1")).ToHaveTextAsync("提交成功");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(PortalWorld.CountyBureauName);
        var big = page.Locator("dd.big");
        await Expect(big).ToHaveCountAsync(2);
        var number = (await big.Nth(0).InnerTextAsync()).Trim();
        var code = (await big.Nth(1).InnerTextAsync()).Trim();
        number.ShouldMatch(@"^320583-\d{4}-\d{6}$");
        code.Length.ShouldBeGreaterThanOrEqualTo(8, "a query code short enough to guess");
        var qr = page.Locator(".qr svg");
        await Expect(qr).ToBeVisibleAsync();
        await Expect(qr).ToHaveAttributeAsync("aria-label", "查询页面二维码");
        var box = (await qr.BoundingBoxAsync()).ShouldNotBeNull();
        box.Width.ShouldBeGreaterThan(100);
        (box.X + box.Width).ShouldBeLessThanOrEqualTo(PortalPage.PhoneWidth);
        await Expect(page.Locator(".qr a")).ToHaveTextAsync(new Regex($"/portal/track\\?number={Regex.Escape(number)}$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "查询办理进度" })).ToHaveAttributeAsync("href", $"/portal/track?number={number}");
        await Glyphs.ShouldRenderAsync(page.Locator("h1"), "提交成功");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-receipt");
        return (number, code);
    }

    /// <summary>Staff forward, accept and reply through the API; the citizen then follows, rates, asks for review and downloads in the browser.</summary>
    async Task FollowRateReviewAndDownloadAsync(IPage page, PageWatch watch, PortalWorld world, string number, string code, DateTimeOffset t0)
    {
        await _server.SetClockAsync(t0.AddHours(1));
        var id = await world.IdOfAsync(number);
        await world.ForwardAsync(id);
        await _server.SetClockAsync(t0.AddDays(1));
        await world.AcceptAsync(id);
        var replyAt = t0.AddDays(3);
        await _server.SetClockAsync(replyAt);
        var replied = await world.ReplyAsync(id, "explain", ReplyText, DateOnly.FromDateTime(replyAt.DateTime));
        replied["status"]!.ToString().ShouldBe("replied");
        var reviewDue = PortalWorld.DueOn(replied, "reviewRequest");
        await _server.SetClockAsync(replyAt.AddHours(2));

        // Looked up by number and query code.
        await page.GotoAsync("/portal/track");
        await Expect(page.Locator("h1")).ToHaveTextAsync("查询办理进度");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await PortalPage.Field(page, "信访事项编号").FillAsync(number);
        await PortalPage.Field(page, "查询码").FillAsync(code);
        await PortalPage.PressAsync(page, "查询");

        await Expect(page.Locator("h1")).ToHaveTextAsync("办理进度");
        var facts = page.Locator("dl.facts");
        await Expect(facts).ToContainTextAsync(number);
        await Expect(facts.Locator("dd strong")).ToHaveTextAsync("已答复");
        await Expect(facts).ToContainTextAsync("申请复查期限");
        await Expect(facts.Locator("dd.due")).ToHaveTextAsync($"{Chinese(reviewDue)}前");
        await Expect(page.Locator(".timeline .answer")).ToHaveTextAsync(ReplyText);
        await Expect(page.Locator(".timeline")).ToContainTextAsync(PortalWorld.CountyHousingName);
        await Expect(page.Locator(".timeline")).ToContainTextAsync("处理意见：解释说明");
        await Expect(page.Locator("#review + form")).ToContainTextAsync($"请在 {Chinese(reviewDue)} 前提出");
        var statusText = await page.Locator("main").InnerTextAsync();
        foreach (var staff in new[] { "clerk", "worker", "reviewer", "admin" })
            statusText.ShouldNotContain(staff, Case.Insensitive, "the petitioner sees units, never staff persons");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-status");

        // Rated.
        await page.GetByRole(AriaRole.Radio, new() { Name = "基本满意", Exact = true }).CheckAsync();
        await PortalPage.PressAsync(page, "提交评价");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("感谢您的评价：基本满意");
        await Expect(page.Locator("main")).ToContainTextAsync("您的评价：基本满意");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "提交评价" })).ToHaveCountAsync(0);
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-rated");

        // Review (复查), by the superior of the county housing bureau, chosen among the bodies the page lists.
        await Expect(page.Locator("#review")).ToHaveTextAsync("申请复查");
        await page.GetByRole(AriaRole.Radio, new() { Name = PortalWorld.CityHousingName, Exact = true }).CheckAsync();
        await PortalPage.Field(page, "申请理由 *").FillAsync("答复未明确交房日期，请求上级机关督促开发商限期交房。");
        await PortalPage.PressAsync(page, "提交申请");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("申请已提交");
        await Expect(facts.Locator("dd strong")).ToHaveTextAsync("复查中");
        await Expect(facts).ToContainTextAsync("复查答复期限");
        await Expect(page.Locator(".timeline")).ToContainTextAsync(PortalWorld.CityHousingName);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "提交申请" })).ToHaveCountAsync(0);
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-review");
        var atReviewer = await PortalWorld.SendAsync(world.Reviewer, HttpMethod.Get, $"api/v1/petitions/{id}", null, System.Net.HttpStatusCode.OK);
        atReviewer["status"]!.ToString().ShouldBe("underReview", "the city housing bureau chosen on the page holds the review");
        watch.ShouldBeClean();

        // The written answer, kept.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "下载书面答复" }).First.ClickAsync());
        download.SuggestedFilename.ShouldBe($"信访处理意见书-{number}.txt");
        var text = await File.ReadAllTextAsync((await download.PathAsync()).ShouldNotBeNull());
        text.ShouldContain("信访处理意见书");
        text.ShouldContain(number);
        text.ShouldContain(PortalWorld.CountyHousingName);
        text.ShouldContain("处理意见：解释说明");
        text.ShouldContain(ReplyText);
        // Chromium reports a form post that ends in a download as an aborted navigation (net::ERR_ABORTED): that one is expected.
        watch.FailedRequests.ShouldAllBe(f => f.StartsWith("POST ", StringComparison.Ordinal) && f.Contains("/portal/document: net::ERR_ABORTED"));
        watch.ConsoleErrors.ShouldBeEmpty();
        watch.PageErrors.ShouldBeEmpty();
        watch.OffLoopbackRequests.ShouldBeEmpty();
    }

    // ───────────────────────────── guessing ─────────────────────────────

    [Fact]
    public async Task Wrong_query_codes_are_answered_not_found_then_the_number_is_locked_even_for_the_right_code()
    {
        await _server.SetClockAsync(ChinaNow());
        var world = await PortalWorld.OfAsync(_server);
        var (_, number, code) = await world.RegisterLetterAsync("小区电梯长期停运");
        var wrong = (code[0] == 'A' ? "B" : "A") + code[1..];
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/portal/track");

        // A number that does not exist reads exactly like a wrong code: numbers cannot be told apart.
        await TrackAsync(page, "320583-2099-999999", code);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("未找到该信访事项，请核对编号和查询码");

        // Wrong codes one to four: "not found", and the number is kept in its field for the next try.
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await TrackAsync(page, number, wrong);
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("未找到该信访事项，请核对编号和查询码");
            await Expect(PortalPage.Field(page, "信访事项编号")).ToHaveValueAsync(number);
            await Expect(PortalPage.Field(page, "查询码")).ToHaveValueAsync("");
        }

        // The fifth locks the number (PortalOptions.WrongCodesBeforeLock = 5) and says so.
        await TrackAsync(page, number, wrong);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(new Regex(@"^查询码错误次数过多，请于\d{2}:\d{2}后再试$"));

        // Now even the right code is refused, on the page and through the API.
        await TrackAsync(page, number, code);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("错误次数过多");
        await Expect(page.Locator("h1")).ToHaveTextAsync("查询办理进度");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-throttled");
        using (var api = await _server.Http.GetAsync($"api/v1/public/petitions/{number}?queryCode={Uri.EscapeDataString(code)}"))
            ((int)api.StatusCode).ShouldBe(429);

        // The lock lasts its 15 minutes on the server's clock; then the right code opens the matter.
        await _server.SetClockAsync(ChinaNow().AddMinutes(16));
        await TrackAsync(page, number, code);
        await Expect(page.Locator("h1")).ToHaveTextAsync("办理进度");
        await Expect(page.Locator("dl.facts dd strong")).ToHaveTextAsync("已登记");
        watch.ShouldBeClean();
    }

    static async Task TrackAsync(IPage page, string number, string code)
    {
        await PortalPage.Field(page, "信访事项编号").FillAsync(number);
        await PortalPage.Field(page, "查询码").FillAsync(code);
        await PortalPage.PressAsync(page, "查询");
    }

    // ───────────────────────────── the form's errors ─────────────────────────────

    [Fact]
    public async Task Empty_submission_lists_each_error_linked_to_its_field_and_each_field_is_described_by_its_error()
    {
        await PortalWorld.OfAsync(_server); // the regions to choose from
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/portal/submit");
        await PortalPage.PressAsync(page, "提交");

        await ErrorSummaryShouldLinkAndDescribeAsync(page, "name", "phone", "address", "regionCode", "title", "request", "facts", "reasons");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-submit-errors");
        watch.ShouldBeClean();
    }

    /// <summary>The same checks on the empty form with 匿名反映 ticked (no name, telephone or address asked), which the form binds today.</summary>
    [Fact]
    public async Task Empty_anonymous_submission_lists_each_error_linked_to_its_field_and_each_field_is_described_by_its_error()
    {
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);
        await page.GotoAsync("/portal/submit");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" }).CheckAsync();
        await PortalPage.PressAsync(page, "提交");

        await ErrorSummaryShouldLinkAndDescribeAsync(page, "regionCode", "title", "request", "facts", "reasons");
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-submit-errors");
        watch.ShouldBeClean();
    }

    static async Task ErrorSummaryShouldLinkAndDescribeAsync(IPage page, params string[] required)
    {
        var summary = page.GetByRole(AriaRole.Alert);
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary).ToContainTextAsync("请修改以下内容后再提交");
        var links = await summary.Locator("a").EvaluateAllAsync<Link[]>("links => links.map(a => ({ href: a.getAttribute('href'), text: a.innerText.trim() }))");
        var fields = links.Select(l => l.Href.TrimStart('#')).ToList();
        fields.ShouldBeUnique();
        foreach (var field in required)
            fields.ShouldContain(field, $"the summary should point at the empty required field \"{field}\"");

        foreach (var link in links)
        {
            link.Href.ShouldStartWith("#");
            var field = link.Href[1..];
            var control = page.Locator($"#{field}");
            (await control.EvaluateAsync<string>("e => e.tagName")).ShouldBeOneOf("INPUT", "SELECT", "TEXTAREA");
            var error = page.Locator($"#err-{field}");
            await Expect(error).ToHaveTextAsync(link.Text);
            await Expect(error).ToHaveClassAsync("field-error");
            ((await control.GetAttributeAsync("aria-describedby")) ?? "").Split(' ').ShouldContain($"err-{field}", $"#{field} should be described by its error");
            await Expect(control).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(link.Text)));
        }
        await Expect(page.Locator(".field-error")).ToHaveCountAsync(links.Length);

        // Every aria-describedby names elements that exist (no dangling reference).
        var dangling = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('[aria-describedby]'))
              .flatMap(e => e.getAttribute('aria-describedby').split(/\s+/).filter(id => !document.getElementById(id)).map(id => `${e.id} → ${id}`))
            """);
        dangling.ShouldBeEmpty();

        // Following a link of the summary brings its field into view.
        await summary.GetByRole(AriaRole.Link).Last.ClickAsync();
        new Uri(page.Url).Fragment.ShouldBe(links[^1].Href);
        await Expect(page.Locator(links[^1].Href)).ToBeInViewportAsync();
        await page.EvaluateAsync("document.activeElement.blur()");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
    }

    public sealed class Link
    {
        public string Href { get; set; } = "";
        public string Text { get; set; } = "";
    }

    [Fact]
    public async Task Empty_submission_also_asks_for_the_challenge_answer()
    {
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        await page.GotoAsync("/portal/submit");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" }).CheckAsync(); // independent of the form-binding bug
        await PortalPage.PressAsync(page, "提交");

        await Expect(page.GetByRole(AriaRole.Alert).Locator("a[href='#challengeAnswer']")).ToHaveTextAsync("请回答验证问题");
        await Expect(page.Locator("#err-challengeAnswer")).ToHaveTextAsync("请回答验证问题");
    }

    // ───────────────────────────── accessibility and weight ─────────────────────────────

    [Fact]
    public async Task Submission_form_is_labelled_fits_a_phone_is_reachable_by_keyboard_weighs_under_200KB_and_has_no_script()
    {
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);

        var (bytes, parts) = await PortalPage.LoadAndWeighAsync(page, "/portal/submit");
        bytes.ShouldBeLessThan(PortalPage.MaxPageBytes, $"page weight: {string.Join(", ", parts)}");
        parts.ShouldContain(p => p.StartsWith("/css/portal.css ", StringComparison.Ordinal), "the stylesheet counts too");
        await Expect(page.Locator("h1")).ToHaveTextAsync("网上信访");

        // Every control has a visible <label> (the checkbox by wrapping, the rest by for=).
        (await page.EvaluateAsync<int>("document.querySelectorAll('input:not([type=hidden]), select, textarea').length")).ShouldBeGreaterThanOrEqualTo(12);
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
              .filter(e => e.labels.length === 0 || !Array.from(e.labels).some(l => l.innerText.trim().length > 0))
              .map(e => e.id || e.name)
            """);
        unlabelled.ShouldBeEmpty("controls without a visible label");

        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Glyphs.ShouldRenderAsync(page.Locator("h1"), "网上信访");
        var question = Regex.Replace(await PortalPage.ChallengeLabel(page).InnerTextAsync(), @"[\s*]", "");
        await Glyphs.ShouldRenderAsync(PortalPage.ChallengeLabel(page), question);

        // The keyboard alone goes from the top of the page to the submit button, and focus is visible all the way.
        var path = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<Focused>("""
                () => { const e = document.activeElement, s = getComputedStyle(e);
                        return { tag: e.tagName, id: e.id || e.getAttribute('name') || e.innerText.trim().slice(0, 8), type: e.type || '',
                                 outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0 }; }
                """);
            path.Add($"{focused.Tag.ToLowerInvariant()}#{focused.Id}");
            (focused.Outline != "none" && focused.OutlineWidth >= 2).ShouldBeTrue($"focus should be visible on {path[^1]}");
            if (focused.Tag == "BUTTON" && focused.Type == "submit") break;
        }
        path[0].ShouldBe("a#跳到正文", "the first Tab lands on the skip link");
        path.ShouldContain("input#challengeAnswer");
        path[^1].ShouldBe("button#提交", $"Tab order: {string.Join(" → ", path)}");

        await page.EvaluateAsync("document.activeElement.blur()");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await Browser.SaveScreenshotAsync(page, "portal-submit");
        watch.ShouldBeClean();
    }

    public sealed class Focused
    {
        public string Tag { get; set; } = "";
        public string Id { get; set; } = "";
        public string Type { get; set; } = "";
        public string Outline { get; set; } = "";
        public double OutlineWidth { get; set; }
    }

    [Fact]
    public async Task Guidance_page_reads_in_Chinese_gives_the_enforced_time_limits_links_to_submit_and_track_and_is_light()
    {
        var page = await _browser.NewPhonePageAsync(_server);
        var watch = PageWatch.Attach(page);

        var (bytes, parts) = await PortalPage.LoadAndWeighAsync(page, "/portal");
        bytes.ShouldBeLessThan(PortalPage.MaxPageBytes, $"page weight: {string.Join(", ", parts)}");
        (await page.TitleAsync()).ShouldBe("信访指南 · 阳光信访");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("zh-CN");
        await Expect(page.Locator("h1")).ToHaveTextAsync("信访指南");
        await Glyphs.ShouldRenderAsync(page.Locator("h1"), "信访指南");
        var h2 = page.Locator("main h2").First;
        await Glyphs.ShouldRenderAsync(h2, await h2.InnerTextAsync());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我要提交信访事项" })).ToHaveAttributeAsync("href", "/portal/submit");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "查询办理进度" })).ToHaveAttributeAsync("href", "/portal/track");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link)).ToHaveCountAsync(3);
        // The time limits come from the rules the system enforces (Art. 22, 23, 34, 35, 36).
        var main = page.Locator("main");
        foreach (var limit in new[] { "15日内转送", "15日内书面告知", "60日内办结", "不超过30日", "30日内请求原办理机关的上一级机关复查", "30日内请求复查机关的上一级机关复核" })
            await Expect(main).ToContainTextAsync(limit);
        await PortalPage.ShouldBeLightAndFitAsync(page);
        await Browser.SaveScreenshotAsync(page, "portal-guide");
        watch.ShouldBeClean();
    }

    [Fact]
    public async Task Text_links_and_buttons_on_every_portal_page_meet_WCAG_AA_contrast()
    {
        await _server.SetClockAsync(ChinaNow());
        var world = await PortalWorld.OfAsync(_server);
        var (_, number, code) = await world.RepliedLetterAsync("经核查，物业已于本周修复电梯并恢复运行。");
        var page = await _browser.NewPhonePageAsync(_server);
        var samples = new List<Contrast.Sample>();

        await page.GotoAsync("/portal");
        samples.AddRange(await Contrast.MeasureAsync(page,
            "header.site a", "h1", "main h2", "main .card p", "main li", "a.button", "main a:not(.button)", ".hint", "footer.site"));

        await page.GotoAsync("/portal/submit");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "匿名反映" }).CheckAsync();
        await PortalPage.PressAsync(page, "提交"); // with its errors: the summary and the field errors too
        samples.AddRange(await Contrast.MeasureAsync(page,
            "label", "legend", ".hint", "input[type=text]", "select", "textarea", "button[type=submit]", ".errors strong", ".errors a", ".field-error"));

        await page.GotoAsync("/portal/track");
        await TrackAsync(page, number, code);
        await Expect(page.Locator("h1")).ToHaveTextAsync("办理进度");
        samples.AddRange(await Contrast.MeasureAsync(page,
            "dl.facts dt", "dl.facts dd", ".when", ".timeline strong", ".answer", "button.secondary", "legend", ".choice", "label[for=comment]",
            "button:not(.secondary)", "summary"));

        await page.GetByRole(AriaRole.Radio, new() { Name = "满意", Exact = true }).CheckAsync();
        await PortalPage.PressAsync(page, "提交评价");
        samples.AddRange(await Contrast.MeasureAsync(page, "[role=status]"));

        samples.Count.ShouldBeGreaterThan(40);
        foreach (var pair in samples.GroupBy(s => (s.Color, s.Background)).Select(g => g.MinBy(s => s.Ratio)!).OrderBy(s => s.Ratio))
            _output.WriteLine(pair.ToString());
        var failing = samples.Where(s => s.Ratio < Contrast.TextAA).ToList();
        failing.ShouldBeEmpty($"below {Contrast.TextAA}:1 — {string.Join("; ", failing)}");
    }

    [Fact]
    public async Task Focus_outline_stands_out_3_to_1_from_what_surrounds_it()
    {
        await PortalWorld.OfAsync(_server);
        var page = await _browser.NewPhonePageAsync(_server);
        await page.GotoAsync("/portal/submit");
        var failing = new List<string>();
        foreach (var selector in new[] { "#name", "#regionCode", "#request", "#challengeAnswer", "button[type=submit]", "header.site nav a" })
        {
            var target = page.Locator(selector).First;
            await target.FocusAsync();
            var probe = await target.EvaluateAsync<string[]>("""
                e => { let n = e.parentElement, bg = 'rgb(255, 255, 255)';
                       for (; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; if (!/^rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; } }
                       return [getComputedStyle(e).outlineColor, bg]; }
                """);
            var ratio = Contrast.Ratio(Contrast.Parse(probe[0]), Contrast.Parse(probe[1]));
            if (ratio < Contrast.NonTextAA) failing.Add($"{selector}: outline {probe[0]} on {probe[1]} = {ratio:0.00}:1");
        }
        failing.ShouldBeEmpty();
    }
}
