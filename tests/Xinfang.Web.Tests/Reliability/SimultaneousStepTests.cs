using System.Net;
using Xinfang.Web.Tests.Contract;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Reliability;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>
/// Two (or ten) people acting on one petition at once, beyond Contract/ConcurrencyTests' accept-versus-decline:
/// the same step sent many times at once, two different steps racing on an accepted matter, and many matters
/// acted on at once. Exactly one attempt per matter wins; every other gets 409 or 412 as a problem; the timeline
/// holds each winning step once, numbered without gaps, and the version equals the number of events.
/// </summary>
public abstract class SimultaneousStepTests(XinfangFactory factory)
{
    [Fact]
    public async Task Accept_sent_ten_times_at_once_by_five_caseworkers_one_succeeds_nine_get_409_or_412_and_one_event()
    {
        var w = await World.OfAsync(factory);
        var workers = new List<Api> { w.Worker };
        for (var i = 0; i < 4; i++) workers.Add(await w.NewUserAsync(w.CountyHousing, "caseworker"));
        for (var round = 0; round < 3; round++)
        {
            var id = await w.ForwardedToHousingAsync();
            var etag = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).ETag!;

            // Half of them say which version they saw (If-Match), half act on whatever is current.
            var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => i % 2 == 0
                ? workers[i % workers.Count].PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }, ("If-Match", etag))
                : workers[i % workers.Count].PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })));

            await OneWonAsync(w, id, replies, ["register", "forward", "accept"], $"round {round}");
        }
    }

    [Fact]
    public async Task Extend_and_withdraw_at_once_on_an_accepted_matter_with_one_if_match_one_wins_and_is_recorded_once()
    {
        var w = await World.OfAsync(factory);
        for (var round = 0; round < 4; round++)
        {
            var id = await w.ForwardedToHousingAsync();
            (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })).Expect(HttpStatusCode.OK);
            var etag = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).ETag!;

            var replies = await Task.WhenAll(
                w.Worker.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 10, reason = "需要补充调查", approvedBy = "李局长" }, ("If-Match", etag)),
                w.Leader.PostAsync($"/api/v1/petitions/{id}/withdraw", new { reason = "信访人书面申请撤回" }, ("If-Match", etag)));

            var winner = replies[0].Status == HttpStatusCode.OK ? "extend" : "withdraw";
            await OneWonAsync(w, id, replies, ["register", "forward", "accept", winner], $"round {round}: extend → {replies[0]}; withdraw → {replies[1]}");
        }
    }

    [Fact]
    public async Task Accept_on_eight_matters_at_once_by_two_caseworkers_every_step_succeeds_and_is_recorded()
    {
        var w = await World.OfAsync(factory);
        var second = await w.NewUserAsync(w.CountyHousing, "caseworker");
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add(await w.ForwardedToHousingAsync());

        var replies = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? w.Worker : second).PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 })));

        replies.ShouldAllBe(r => r.Status == HttpStatusCode.OK, string.Join("\n", replies.Select(r => r.ToString())));
        foreach (var id in ids)
        {
            var events = await w.Worker.EventsAsync(id);
            events.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "forward", "accept"], id);
            (await w.Worker.PetitionAsync(id))["version"]!.GetValue<int>().ShouldBe(events.Count, id);
        }
    }

    static async Task OneWonAsync(World w, string id, Reply[] replies, string[] timeline, string context)
    {
        context += "\n" + string.Join("\n", replies.Select(r => r.ToString()));
        replies.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(1, context);
        foreach (var loser in replies.Where(r => r.Status != HttpStatusCode.OK))
        {
            loser.Status.ShouldBeOneOf([HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed], context);
            loser.ShouldBeProblem(loser.Status);
        }
        var events = await w.Worker.EventsAsync(id);
        events.Select(e => e!["action"]!.ToString()).ShouldBe(timeline, context);
        events.Select(e => e!["sequence"]!.GetValue<int>()).ShouldBe(Enumerable.Range(1, events.Count), context);
        (await w.Worker.PetitionAsync(id))["version"]!.GetValue<int>().ShouldBe(events.Count, context);
    }
}

public sealed class SimultaneousStepTests_Sqlite(SqliteFactory f) : SimultaneousStepTests(f), IClassFixture<SqliteFactory>;
public sealed class SimultaneousStepTests_Postgres(PostgresFactory f) : SimultaneousStepTests(f), IClassFixture<PostgresFactory>;
