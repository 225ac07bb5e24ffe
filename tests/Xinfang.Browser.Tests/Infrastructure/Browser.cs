namespace Xinfang.Browser.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven by Playwright: one browser per test class
/// (<c>IClassFixture&lt;Browser&gt;</c>), a fresh context (cookies, storage) per page. Nothing is ever downloaded:
/// no `playwright install`; test.sh installs the chromium and fonts-noto-cjk packages.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Without the networking flags Chromium keeps calling Google's hosts, which this closed network refuses.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-quic", "--no-first-run", "--disable-sync",
        // The browser's own controls (the file picker's button) speak Chinese, like a staff member's browser.
        "--lang=zh-CN",
    ];

    /// <summary>A phone held upright (iPhone X/11 Pro class), in Chinese, in China's time zone. The portal is mobile first.</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 375, Height = 812 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    };

    /// <summary>A common office laptop screen, where staff work.</summary>
    public static BrowserNewContextOptions Desktop => new()
    {
        ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
    };

    IPlaywright? _playwright;
    IBrowser? _browser;
    readonly List<IBrowserContext> _contexts = [];

    public async Task InitializeAsync()
    {
        // Fail, never skip: a missing browser must not look like a green run.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Browser tests need Debian's Chromium at {ChromiumPath}, and it is not there. ./test.sh installs it " +
                "(apt-get install -y chromium fonts-noto-cjk, as root); do that, then run again. " +
                "Do not run `playwright install`: this machine cannot download browsers.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000, // a cold start on two busy cores
        });
    }

    public Task<IPage> NewPhonePageAsync(LiveServer server) => NewPageAsync(server, Phone);

    public Task<IPage> NewDesktopPageAsync(LiveServer server) => NewPageAsync(server, Desktop);

    /// <summary>A page in a context of its own whose relative URLs ("/portal") resolve against the server.</summary>
    public async Task<IPage> NewPageAsync(LiveServer server, BrowserNewContextOptions options)
    {
        var browser = _browser ?? throw new InvalidOperationException("Browser has not started.");
        options.BaseURL = server.BaseUrl;
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        lock (_contexts) _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Saves the whole page to docs/screenshots/{name}.png at the repository root; returns the path.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(RepositoryRoot, "docs", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>The folder holding Xinfang.slnx, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Xinfang.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Xinfang.slnx above {AppContext.BaseDirectory}.");
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
