using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xinfang.Web.Cli;

namespace Xinfang.Web.Tests.Cli;

/// <summary>`serve --demo` as an operator starts it: the real binary on a real port, seeded on an empty store.</summary>
public sealed class ServeDemoTests
{
    /// <summary>The demo seed runs before the server listens; on a loaded 2-core machine that took over a minute.</summary>
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Serve_demo_when_store_is_empty_seeds_and_answers_clerk_with_petitions()
    {
        using var store = new TempStore();
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process
        {
            StartInfo = XinfangBinary.StartInfo(store.Folder,
                ["serve", "--demo", "--urls", baseUrl, store.ConnectionArgument, "--Bootstrap:AdminPassword=Admin-Pass-2026"]),
        };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        string Output() { lock (stdout) lock (stderr) return $"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"; }
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        process.Start();
        try
        {
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var healthy = false;
            var clock = Stopwatch.StartNew();
            while (!healthy && clock.Elapsed < StartTimeout)
            {
                if (process.HasExited) throw new Xunit.Sdk.XunitException($"serve --demo exited with {process.ExitCode} before answering.\n{Output()}");
                try
                {
                    using var r = await http.GetAsync("/healthz");
                    healthy = r.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (!healthy) await Task.Delay(250);
            }
            healthy.ShouldBeTrue($"GET /healthz did not answer 200 within {StartTimeout.TotalSeconds} s.\n{Output()}");

            using var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "clerk", password = DemoSeed.Password });
            var loginBody = await login.Content.ReadAsStringAsync();
            login.StatusCode.ShouldBe(HttpStatusCode.OK, loginBody + "\n" + Output());
            var token = JsonNode.Parse(loginBody)!["accessToken"]!.GetValue<string>();

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/petitions");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var list = await http.SendAsync(request);
            var listBody = await list.Content.ReadAsStringAsync();
            list.StatusCode.ShouldBe(HttpStatusCode.OK, listBody);
            var items = JsonNode.Parse(listBody)!["items"]!.AsArray();
            items.Count.ShouldBeGreaterThan(0);
            items.ShouldAllBe(p => p!["number"]!.ToString().StartsWith("320583-"));

            // The demo accounts were printed for the operator.
            await Task.Delay(100);
            Output().ShouldContain("Demo accounts");
            // No controllable clock on a normal start: the testing endpoint does not exist.
            using var testing = await http.GetAsync("/api/v1/testing/clock");
            testing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
