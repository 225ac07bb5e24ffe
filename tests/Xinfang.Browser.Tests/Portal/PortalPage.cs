using System.Text.RegularExpressions;

namespace Xinfang.Browser.Tests.Portal;

/// <summary>What the portal tests do on a page again and again: follow a form post, answer the challenge, weigh and check a page.</summary>
public static partial class PortalPage
{
    public const int PhoneWidth = 375;
    public const long MaxPageBytes = 200 * 1024;

    /// <summary>
    /// Runs <paramref name="action"/> (a click that posts a form or follows a link) and waits until the next
    /// document has committed and loaded. Needed where a post answers with the same page (a wrong code, a refused
    /// form): nothing on the page tells the old document from the new one.
    /// </summary>
    public static async Task FollowAsync(IPage page, Func<Task> action)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame) committed.TrySetResult();
        }
        page.FrameNavigated += OnNavigated;
        try
        {
            await action();
            await committed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            page.FrameNavigated -= OnNavigated;
        }
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Clicks the button of that exact name and waits for the page it leads to.</summary>
    public static Task PressAsync(IPage page, string button) =>
        FollowAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());

    /// <summary>The input labelled exactly so (labels end with " *" on required fields).</summary>
    public static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    /// <summary>The challenge's label, e.g. "四加六等于几？（请填写阿拉伯数字） *".</summary>
    public static ILocator ChallengeLabel(IPage page) => page.Locator("label[for=challengeAnswer]");

    /// <summary>The challenge's input, found by its label as a person finds it.</summary>
    public static ILocator ChallengeInput(IPage page) => page.GetByLabel(new Regex("等于几"));

    /// <summary>The sum asked by "四加六等于几？…": 10.</summary>
    public static int Solve(string question)
    {
        var m = ChallengeQuestion().Match(question);
        m.Success.ShouldBeTrue($"the challenge \"{question}\" should read \"X加Y等于几\" in Chinese numerals");
        return Digit(m.Groups[1].Value[0]) + Digit(m.Groups[2].Value[0]);
    }

    static int Digit(char c)
    {
        var i = "零一二三四五六七八九十".IndexOf(c);
        i.ShouldBeGreaterThanOrEqualTo(0, $"'{c}' is not a Chinese numeral");
        return i;
    }

    [GeneratedRegex("([零一二三四五六七八九十])加([零一二三四五六七八九十])等于几")]
    private static partial Regex ChallengeQuestion();

    /// <summary>Answers the challenge on the page, rightly or (when <paramref name="wrongly"/>) off by one.</summary>
    public static async Task AnswerChallengeAsync(IPage page, bool wrongly = false)
    {
        var sum = Solve(await ChallengeLabel(page).InnerTextAsync());
        await ChallengeInput(page).FillAsync((wrongly ? sum + 1 : sum).ToString());
    }

    /// <summary>No script of any kind, and nothing wider than a phone (no sideways scrolling).</summary>
    public static async Task ShouldBeLightAndFitAsync(IPage page)
    {
        (await page.EvaluateAsync<int>("document.scripts.length")).ShouldBe(0, $"{page.Url}: the portal's pages carry no script");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"))
            .ShouldBeLessThanOrEqualTo(PhoneWidth, $"{page.Url}: no sideways scrolling at {PhoneWidth} px; widest: {await WidestAsync(page)}");
    }

    /// <summary>The elements reaching furthest right, to name the culprit when a page overflows.</summary>
    public static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => Array.from(document.querySelectorAll('body *'))
            .map(e => ({ e, right: e.getBoundingClientRect().right }))
            .filter(x => x.right > document.documentElement.clientWidth)
            .sort((a, b) => b.right - a.right).slice(0, 3)
            .map(x => `${x.e.tagName.toLowerCase()}${x.e.className ? '.' + x.e.className : ''} → ${Math.round(x.right)}px`).join('; ') || '(none)'
        """);

    /// <summary>Goes to <paramref name="url"/> and adds up the bodies of every response of that load (the page, its stylesheet, anything else).</summary>
    public static async Task<(long Bytes, IReadOnlyList<string> Parts)> LoadAndWeighAsync(IPage page, string url)
    {
        var responses = new List<IResponse>();
        void OnResponse(object? sender, IResponse response)
        {
            lock (responses) responses.Add(response);
        }
        page.Response += OnResponse;
        try
        {
            (await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load })).ShouldNotBeNull().Status.ShouldBe(200);
        }
        finally
        {
            page.Response -= OnResponse;
        }
        long total = 0;
        var parts = new List<string>();
        foreach (var response in responses)
        {
            var size = (await response.BodyAsync()).LongLength;
            total += size;
            parts.Add($"{new Uri(response.Url).AbsolutePath} {size} B");
        }
        return (total, parts);
    }
}
