using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Petitions;
using Xinfang.Web.Tests.Infrastructure;
using Xinfang.Web.Tests.Petitions;

namespace Xinfang.Web.Tests.Sweep;

/// <summary>
/// Two web nodes on one database behave as one (architecture.md, "Built for scale"): when both sweep the same
/// lapsed review windows at once — their background sweeps plus forced concurrent passes — every matter is
/// closed exactly once, and its timeline has no duplicate or missing sequence number.
/// </summary>
public abstract class TwoHostsSweepTests(XinfangFactory factory)
{
    const int Matters = 30;

    [Fact]
    public async Task Sweeping_on_two_hosts_at_once_when_review_windows_lapse_closes_each_matter_exactly_once()
    {
        var w = await World.OfAsync(factory);
        await using var second = new SecondHost(factory.Provider, factory.ConnectionString);
        await second.InitializeAsync();
        var admins = new[] { w.Admin, await Infrastructure.Api.LoginAsync(second, "admin", XinfangFactory.AdminPassword) };
        // A token issued by one node is honoured by the other: the data-protection keys live in the store.
        (await admins[1].GetAsync("/api/v1/units")).Expect(HttpStatusCode.OK);
        var ids = await PrepareRepliedAsync(w, admins, Matters, "双节点并发清扫");

        // The review window (30 days, to 19 November) lapses on both nodes at once; their background sweeps wake,
        // and we force more passes on both nodes concurrently.
        await SetClocksAsync(admins, "2025-11-25T09:00:00+08:00");
        await ForcedPassesAsync(factory, second);

        foreach (var id in ids)
        {
            var closed = await LifecycleTests.WaitForStatusAsync(w.Worker, id, "closed");
            closed["clocks"]!.AsArray().Count.ShouldBe(0);
            var events = (await w.Worker.GetAsync($"/api/v1/petitions/{id}/events")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
            events.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "forward", "accept", "reply", "close"], $"timeline of {id}");
            events.Count(e => e!["action"]!.ToString() == "close").ShouldBe(1);
            events.Select(e => (int)e!["sequence"]!).ShouldBe([1, 2, 3, 4, 5]);
            events[^1]!["actorKind"]!.ToString().ShouldBe("system");
        }

        // The same, straight from the store (seen from the second node).
        using var scope = second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<XinfangDb>();
        var guids = ids.Select(Guid.Parse).ToList();
        var rows = await db.PetitionEvents.AsNoTracking().Where(e => guids.Contains(e.PetitionId)).Select(e => new { e.PetitionId, e.Sequence, e.Action }).ToListAsync();
        foreach (var g in rows.GroupBy(r => r.PetitionId))
        {
            g.Count(r => r.Action == PetitionAction.Close).ShouldBe(1, $"close events of {g.Key}");
            g.Select(r => r.Sequence).Order().ShouldBe([1, 2, 3, 4, 5]);
        }
        rows.Select(r => r.PetitionId).Distinct().Count().ShouldBe(Matters);
        var petitions = await db.Petitions.AsNoTracking().Where(p => guids.Contains(p.Id)).ToListAsync();
        petitions.ShouldAllBe(p => p.Status == PetitionStatus.Closed && p.NextSweepAt == null && p.LastEventSequence == 5);
    }

    [Fact]
    public async Task Sweeping_on_two_hosts_at_once_when_review_windows_lapse_reports_no_more_closes_than_matters()
    {
        var w = await World.OfAsync(factory);
        await using var second = new SecondHost(factory.Provider, factory.ConnectionString);
        await second.InitializeAsync();
        var admins = new[] { w.Admin, await Infrastructure.Api.LoginAsync(second, "admin", XinfangFactory.AdminPassword) };
        var ids = await PrepareRepliedAsync(w, admins, Matters, "清扫计数");

        await SetClocksAsync(admins, "2025-11-25T09:00:00+08:00");
        var closedByForcedPasses = await ForcedPassesAsync(factory, second);
        foreach (var id in ids) await LifecycleTests.WaitForStatusAsync(w.Worker, id, "closed");
        // A pass counts only the matters it saved itself (the background sweeps close some too): together the
        // forced passes can never have closed more matters than there are.
        closedByForcedPasses.ShouldBeLessThanOrEqualTo(Matters);
    }

    /// <summary>Registers, forwards, accepts and replies to <paramref name="count"/> matters with both nodes' clocks in step.</summary>
    static async Task<List<string>> PrepareRepliedAsync(World w, Infrastructure.Api[] admins, int count, string title)
    {
        // Both nodes stand at the same instant from the start, so neither sweeps at its real "now".
        await SetClocksAsync(admins, "2025-09-20T10:00:00+08:00");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = (await w.RegisterAsync(body: World.Petition(title: $"{title}{i:00}")))["id"]!.ToString();
            (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
            (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
            ids.Add(id);
        }
        await SetClocksAsync(admins, "2025-10-20T15:00:00+08:00");
        foreach (var id in ids)
            (await w.Worker.PostAsync($"/api/v1/petitions/{id}/reply", new { decision = "explain", text = "经核查，现答复如下。", deliveredOn = "2025-10-20" }))
                .Expect(HttpStatusCode.OK)["status"].ShouldBe("replied");
        return ids;
    }

    /// <summary>Three rounds of three concurrent passes on each node, all at once. Returns the sum of what they report closing.</summary>
    static async Task<int> ForcedPassesAsync(params XinfangFactory[] hosts)
    {
        var closed = 0;
        for (var round = 0; round < 3; round++)
        {
            var passes = hosts.SelectMany(h => Enumerable.Range(0, 3).Select(_ =>
                Task.Run(() => DeadlineSweep.SweepAsync(h.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None))));
            closed += (await Task.WhenAll(passes)).Sum();
        }
        return closed;
    }

    static Task SetClocksAsync(IEnumerable<Infrastructure.Api> admins, string chinaTime) =>
        Task.WhenAll(admins.Select(async a =>
            (await a.PutAsync("/api/v1/testing/clock", new { now = DateTimeOffset.Parse(chinaTime) })).Expect(HttpStatusCode.OK)));
}

public sealed class TwoHostsSweepTests_Sqlite(SqliteFactory f) : TwoHostsSweepTests(f), IClassFixture<SqliteFactory>;
public sealed class TwoHostsSweepTests_Postgres(PostgresFactory f) : TwoHostsSweepTests(f), IClassFixture<PostgresFactory>;
