using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xinfang.Web.Petitions;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Sweep;

/// <summary>
/// Yellow and red warnings are turned by the background sweep when the (controllable) clock moves: the
/// petition resource shows them and the list filters on them (the stored column, not a recomputation).
/// </summary>
public abstract class WarningSweepTests(XinfangFactory factory)
{
    [Fact]
    public async Task Moving_clock_towards_and_past_handling_due_date_turns_warning_yellow_then_red()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var id = (await w.RegisterAsync())["id"]!.ToString();
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "请依法处理" })).Expect(HttpStatusCode.OK);
        await w.SetClockAsync("2025-09-22T09:00:00+08:00");
        var accepted = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK).Json;
        accepted["clocks"]!.AsArray().Count.ShouldBe(1);
        Clock(accepted, "handle")["dueOn"]!.ToString().ShouldBe("2025-11-21"); // a Friday
        Clock(accepted, "handle")["warning"]!.ToString().ShouldBe("none");
        accepted["warning"]!.ToString().ShouldBe("none");

        // Monday 17 November: four working days remain (18–21) — no warning yet, even after a full sweep.
        await w.SetClockAsync("2025-11-17T10:00:00+08:00");
        await DeadlineSweep.SweepAsync(factory.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);
        var before = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        before["warning"]!.ToString().ShouldBe("none");
        (await ListedAsync(w.Worker, "yellow", id)).ShouldBeFalse();

        // Tuesday 18 November: three working days remain (19, 20, 21) — yellow (Workflow:YellowWorkingDays = 3).
        await w.SetClockAsync("2025-11-18T10:00:00+08:00");
        var yellow = await WaitForWarningAsync(w.Worker, id, "yellow");
        Clock(yellow, "handle")["warning"]!.ToString().ShouldBe("yellow");
        yellow["status"]!.ToString().ShouldBe("accepted");
        (await ListedAsync(w.Worker, "yellow", id)).ShouldBeTrue();
        (await ListedAsync(w.Worker, "red", id)).ShouldBeFalse();
        (await ListedAsync(w.Worker, "none", id)).ShouldBeFalse();

        // The due date itself is still yellow ("by the end of that day").
        await w.SetClockAsync("2025-11-21T20:00:00+08:00");
        await DeadlineSweep.SweepAsync(factory.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK)["warning"].ShouldBe("yellow");

        // The day after the due date: red.
        await w.SetClockAsync("2025-11-22T09:00:00+08:00");
        var red = await WaitForWarningAsync(w.Worker, id, "red");
        Clock(red, "handle")["warning"]!.ToString().ShouldBe("red");
        red["status"]!.ToString().ShouldBe("accepted");
        (await ListedAsync(w.Worker, "red", id)).ShouldBeTrue();
        (await ListedAsync(w.Worker, "yellow", id)).ShouldBeFalse();
    }

    [Fact]
    public async Task Listing_by_warning_when_value_is_unknown_is_refused_with_400()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Worker.GetAsync("/api/v1/petitions?warning=orange");
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.MediaType.ShouldBe("application/problem+json");
        r.Json["errors"]!["warning"].ShouldNotBeNull();
    }

    static JsonNode Clock(JsonNode petition, string name) =>
        petition["clocks"]!.AsArray().FirstOrDefault(c => c!["name"]!.ToString() == name)
        ?? throw new Xunit.Sdk.XunitException($"no clock {name} in {petition["clocks"]}");

    /// <summary>Whether <c>GET /api/v1/petitions?warning=…</c> lists the petition (following the cursor).</summary>
    static async Task<bool> ListedAsync(Infrastructure.Api api, string warning, string id)
    {
        string? cursor = null;
        do
        {
            var page = (await api.GetAsync($"/api/v1/petitions?warning={warning}&limit=500" + (cursor is null ? "" : $"&cursor={cursor}")))
                .Expect(HttpStatusCode.OK).Json;
            var items = page["items"]!.AsArray();
            items.ShouldAllBe(p => p!["warning"]!.ToString() == warning);
            if (items.Any(p => p!["id"]!.ToString() == id)) return true;
            cursor = page["nextCursor"]?.ToString();
        } while (!string.IsNullOrEmpty(cursor));
        return false;
    }

    /// <summary>Polls the petition until its overall warning is <paramref name="warning"/> (the sweep runs within seconds).</summary>
    static async Task<JsonNode> WaitForWarningAsync(Infrastructure.Api api, string id, string warning, int seconds = 20)
    {
        JsonNode last = null!;
        for (var i = 0; i < seconds * 10; i++)
        {
            last = (await api.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
            if (last["warning"]!.ToString() == warning) return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"petition {id} stayed {last["warning"]} (wanted {warning}): {last["clocks"]}");
    }
}

public sealed class WarningSweepTests_Sqlite(SqliteFactory f) : WarningSweepTests(f), IClassFixture<SqliteFactory>;
public sealed class WarningSweepTests_Postgres(PostgresFactory f) : WarningSweepTests(f), IClassFixture<PostgresFactory>;
