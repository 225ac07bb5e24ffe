using System.Text.Json;

namespace Xinfang.Browser.Tests.Home;

/// <summary>The landing page at "/" (src/Xinfang.Web/Api/HomePage.cs), as a phone shows it.</summary>
public sealed class HomePageTests(LiveServer server, Browser browser) : IClassFixture<LiveServer>, IClassFixture<Browser>
{
    [Fact]
    public async Task Open_home_on_a_phone_shows_Chinese_title_and_heading_links_to_OpenAPI_and_loads_nothing_from_off_the_machine()
    {
        var page = await browser.NewPhonePageAsync(server);
        var watch = PageWatch.Attach(page);

        var response = await page.GotoAsync("/");

        response.ShouldNotBeNull().Status.ShouldBe(200);
        (await page.TitleAsync()).ShouldContain("信访");
        var heading = page.Locator("h1");
        (await heading.InnerTextAsync()).ShouldBe("信访事项管理系统（Xinfang）");
        var box = (await heading.BoundingBoxAsync()).ShouldNotBeNull();
        box.Width.ShouldBeGreaterThan(0);
        box.Height.ShouldBeGreaterThan(0);
        await Glyphs.ShouldRenderAsync(heading, "信访事项管理系统");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375, "no sideways scrolling on a phone");
        await Browser.SaveScreenshotAsync(page, "home-phone");

        var openApi = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = "/openapi/v1.json" }).ClickAsync(),
            r => new Uri(r.Url).AbsolutePath == "/openapi/v1.json");

        openApi.Status.ShouldBe(200);
        await page.WaitForURLAsync(server.BaseUrl + "/openapi/v1.json");
        var document = (await openApi.JsonAsync()).ShouldNotBeNull();
        document.GetProperty("openapi").GetString().ShouldNotBeNullOrEmpty();
        document.GetProperty("paths").ValueKind.ShouldBe(JsonValueKind.Object);
        watch.ShouldBeClean();
    }
}
