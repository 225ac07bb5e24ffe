using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Petitions;
using Xinfang.Web.Tests.Infrastructure;
using Xinfang.Web.Warnings;

namespace Xinfang.Web.Tests.Warnings;

/// <summary>Hosts whose handling clock warns five working days ahead (Workflow:Warnings:handle = 5); the other clocks keep three.</summary>
public class WarningsFactory : XinfangFactory
{
    protected WarningsFactory(Provider provider) : base(provider) => With("Workflow:Warnings:handle", "5");
}

public sealed class WarningsSqliteFactory() : WarningsFactory(Provider.Sqlite);
public sealed class WarningsPostgresFactory() : WarningsFactory(Provider.Postgres);

/// <summary>The world's extra staff for these tests: a supervisor of the county government (督查员, reads the whole county).</summary>
public sealed class WarningsKit
{
    static readonly ConditionalWeakTable<XinfangFactory, Task<WarningsKit>> Cache = new();

    public required World World { get; init; }
    public required Infrastructure.Api CountySupervisor { get; init; }

    public static Task<WarningsKit> OfAsync(XinfangFactory factory) => Cache.GetValue(factory, async f =>
    {
        var w = await World.OfAsync(f);
        return new WarningsKit { World = w, CountySupervisor = await UserAsync(w, "county-supervisor", w.County, "supervisor") };
    });

    public static async Task<Infrastructure.Api> UserAsync(World w, string userName, Guid unit, params string[] roles)
    {
        (await w.Admin.PostAsync("/api/v1/users", new { userName, password = World.Password, displayName = userName, unitId = unit, roles })).Expect(HttpStatusCode.Created);
        return await Infrastructure.Api.LoginAsync(w.Factory, userName, World.Password);
    }

    /// <summary>A matter held by the county housing bureau, accepted on 22 September 2025: its handling clock is due Friday 21 November.</summary>
    public static async Task<string> AcceptedMatterAsync(World w, string title)
    {
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var id = (await w.RegisterAsync(body: Fresh(title)))["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
        return id;
    }

    static int _phone;

    /// <summary>A registration of its own petitioner and text, so that no matter is taken for a repeat of another.</summary>
    public static JsonObject Fresh(string title, Action<JsonObject>? change = null) => World.Petition(b =>
    {
        b["petitioners"]![0]!["phone"] = $"1371{Interlocked.Increment(ref _phone) % 10_000_000:D7}";
        b["content"] = $"诉求：{title}。事实：{Guid.NewGuid():N}。理由：见材料。";
        change?.Invoke(b);
    }, idNumber: null, title: title);

    /// <summary>Both sweeps once, as the background would (the test does not wait for a tick).</summary>
    public static async Task SweepAsync(XinfangFactory factory)
    {
        var scopes = factory.Services.GetRequiredService<IServiceScopeFactory>();
        await DeadlineSweep.SweepAsync(scopes, CancellationToken.None);
        await WarningSweep.SweepAsync(scopes, CancellationToken.None);
    }

    /// <summary>Every notice of the caller (following the cursor).</summary>
    public static async Task<List<JsonNode>> NoticesAsync(Infrastructure.Api api, bool unread = false)
    {
        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = (await api.GetAsync("/api/v1/notifications?limit=200" + (unread ? "&unread=true" : "") + (cursor is null ? "" : "&cursor=" + cursor)))
                .Expect(HttpStatusCode.OK).Json;
            all.AddRange(page["items"]!.AsArray().Select(n => n!));
            cursor = page["nextCursor"]?.ToString();
        } while (!string.IsNullOrEmpty(cursor));
        return all;
    }

    /// <summary>Polls until the caller has a notice of <paramref name="kind"/> about the matter (the background sweeps run within seconds).</summary>
    public static async Task<JsonNode> WaitForNoticeAsync(Infrastructure.Api api, string petitionId, string kind, int seconds = 20)
    {
        for (var i = 0; i < seconds * 5; i++)
        {
            if ((await NoticesAsync(api)).FirstOrDefault(n => n["petitionId"]?.ToString() == petitionId && n["kind"]!.ToString() == kind) is { } found) return found;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no {kind} notice about {petitionId}");
    }

    /// <summary>The whole overdue list of a query (following the cursor).</summary>
    public static async Task<List<JsonNode>> OverdueAsync(Infrastructure.Api api, string query = "")
    {
        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var sep = query.Length == 0 ? "?" : "?" + query + "&";
            var page = (await api.GetAsync("/api/v1/overdue" + sep + "limit=500" + (cursor is null ? "" : "&cursor=" + cursor))).Expect(HttpStatusCode.OK).Json;
            all.AddRange(page["items"]!.AsArray().Select(n => n!));
            cursor = page["nextCursor"]?.ToString();
        } while (!string.IsNullOrEmpty(cursor));
        return all;
    }
}
