using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>
/// Versions as ETags, If-Match, simultaneous actions by two clients, and Idempotency-Key on registration:
/// whatever the interleaving, one matter's timeline records each decision once, and a retried registration
/// never makes a second petition.
/// </summary>
public abstract class ConcurrencyTests(XinfangFactory factory)
{
    [Fact]
    public async Task Get_petition_etag_equals_version()
    {
        var w = await World.OfAsync(factory);
        var created = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition());
        created.Expect(HttpStatusCode.Created);
        created.ETag.ShouldBe($"\"{created.Json["version"]}\"");
        var id = created["id"];

        var got = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK);

        got.ETag.ShouldBe($"\"{got.Json["version"]!.GetValue<int>()}\"");
        got.ETag.ShouldBe(created.ETag);
    }

    [Fact]
    public async Task Action_stale_if_match_412_stale_version_and_nothing_changed()
    {
        var w = await World.OfAsync(factory);
        var id = await w.ForwardedToHousingAsync();
        var seen = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK);
        var version = seen.Json["version"]!.GetValue<int>();
        var events = (await w.Worker.EventsAsync(id)).Count;

        var stale = await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }, ("If-Match", $"\"{version - 1}\""));

        stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "/problems/stale-version");
        var after = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK);
        after.Json["version"]!.GetValue<int>().ShouldBe(version);
        after.ETag.ShouldBe(seen.ETag);
        after.Json["status"]!.ToString().ShouldBe("forwarded");
        (await w.Worker.EventsAsync(id)).Count.ShouldBe(events);
    }

    [Fact]
    public async Task Action_current_if_match_200_and_etag_moves_then_old_etag_is_stale()
    {
        var w = await World.OfAsync(factory);
        var id = await w.ForwardedToHousingAsync();
        var seen = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK);

        var accepted = (await w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }, ("If-Match", seen.ETag!))).Expect(HttpStatusCode.OK);

        accepted.ETag.ShouldNotBeNull();
        accepted.ETag.ShouldNotBe(seen.ETag);
        accepted.ETag.ShouldBe($"\"{accepted.Json["version"]!.GetValue<int>()}\"");
        accepted.Json["version"]!.GetValue<int>().ShouldBeGreaterThan(seen.Json["version"]!.GetValue<int>());
        (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).ETag.ShouldBe(accepted.ETag);

        var again = await w.Worker.PostAsync($"/api/v1/petitions/{id}/extend", new { days = 10, reason = "需要补充调查", approvedBy = "李局长" }, ("If-Match", seen.ETag!));
        again.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "/problems/stale-version");
        (await w.Worker.PetitionAsync(id))["extensionUsed"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Accept_and_decline_at_once_by_two_caseworkers_exactly_one_wins_and_is_recorded_once()
    {
        var w = await World.OfAsync(factory);
        var second = await w.NewUserAsync(w.CountyHousing, "caseworker");
        for (var round = 0; round < 5; round++)
        {
            var id = await w.ForwardedToHousingAsync();

            var replies = await Task.WhenAll(
                w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }),
                second.PostAsync($"/api/v1/petitions/{id}/decline", new { reason = "不属于本单位职权范围", redirect = "other" }));

            await OneWonAsync(w, id, replies, round);
        }
    }

    [Fact]
    public async Task Accept_and_decline_at_once_with_same_if_match_exactly_one_wins_and_is_recorded_once()
    {
        var w = await World.OfAsync(factory);
        var second = await w.NewUserAsync(w.CountyHousing, "caseworker");
        for (var round = 0; round < 5; round++)
        {
            var id = await w.ForwardedToHousingAsync();
            var etag = (await w.Worker.GetAsync($"/api/v1/petitions/{id}")).ETag!;

            var replies = await Task.WhenAll(
                w.Worker.PostAsync($"/api/v1/petitions/{id}/accept", new { route = 6 }, ("If-Match", etag)),
                second.PostAsync($"/api/v1/petitions/{id}/decline", new { reason = "不属于本单位职权范围", redirect = "other" }, ("If-Match", etag)));

            await OneWonAsync(w, id, replies, round);
        }
    }

    static async Task OneWonAsync(World w, string id, Reply[] replies, int round)
    {
        var context = $"round {round}: accept → {replies[0]}; decline → {replies[1]}";
        replies.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(1, context);
        var loser = replies.Single(r => r.Status != HttpStatusCode.OK);
        loser.Status.ShouldBeOneOf([HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed], context);
        loser.ShouldBeProblem(loser.Status);
        var winner = replies[0].Status == HttpStatusCode.OK ? "accept" : "decline";

        var petition = await w.Worker.PetitionAsync(id);
        petition["status"]!.ToString().ShouldBe(winner == "accept" ? "accepted" : "declined", context);
        var events = await w.Worker.EventsAsync(id);
        var actions = events.Select(e => e!["action"]!.ToString()).ToList();
        actions.ShouldBe(["register", "forward", winner], context);
        events.Select(e => e!["sequence"]!.GetValue<int>()).ShouldBe(Enumerable.Range(1, events.Count), context);
        petition["version"]!.GetValue<int>().ShouldBe(events.Count, context);
    }

    [Fact]
    public async Task Register_twice_with_same_idempotency_key_201_both_times_same_petition()
    {
        var w = await World.OfAsync(factory);
        var title = $"幂等登记{Guid.NewGuid():N}"[..16];
        var body = ContractHelpers.FreshPetition(title: title);
        var key = Guid.NewGuid().ToString();

        var first = (await w.Clerk.PostAsync("/api/v1/petitions", body, ("Idempotency-Key", key))).Expect(HttpStatusCode.Created);
        var second = (await w.Clerk.PostAsync("/api/v1/petitions", body, ("Idempotency-Key", key))).Expect(HttpStatusCode.Created);

        second["id"].ShouldBe(first["id"]);
        second["number"].ShouldBe(first["number"]);
        second.Location.ShouldBe(first.Location);
        (await w.Clerk.AllPetitionsAsync()).Count(p => p["title"]!.ToString() == title).ShouldBe(1);
    }

    [Fact]
    public async Task Register_same_idempotency_key_other_body_409_key_reused_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var key = Guid.NewGuid().ToString();
        var first = (await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(), ("Idempotency-Key", key))).Expect(HttpStatusCode.Created);
        var before = await w.Clerk.PetitionIdsAsync();

        var other = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(), ("Idempotency-Key", key));

        other.ShouldBeProblem(HttpStatusCode.Conflict, "/problems/idempotency-key-reused");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
        before.ShouldContain(first["id"]);
    }

    [Fact]
    public async Task Register_five_times_at_once_with_one_idempotency_key_one_petition()
    {
        var w = await World.OfAsync(factory);
        for (var round = 0; round < 3; round++)
        {
            var title = $"并发幂等{Guid.NewGuid():N}"[..16];
            var body = ContractHelpers.FreshPetition(title: title);
            var key = Guid.NewGuid().ToString();

            var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => w.Clerk.PostAsync("/api/v1/petitions", body, ("Idempotency-Key", key))));

            var context = string.Join("\n", replies.Select(r => r.ToString()));
            replies.ShouldAllBe(r => r.Status == HttpStatusCode.Created, context);
            replies.Select(r => r["id"]).Distinct().Count().ShouldBe(1, context);
            replies.Select(r => r["number"]).Distinct().Count().ShouldBe(1, context);
            (await w.Clerk.AllPetitionsAsync()).Count(p => p["title"]!.ToString() == title).ShouldBe(1, context);
        }
    }
}

public sealed class ConcurrencyTests_Sqlite(SqliteFactory f) : ConcurrencyTests(f), IClassFixture<SqliteFactory>;
public sealed class ConcurrencyTests_Postgres(PostgresFactory f) : ConcurrencyTests(f), IClassFixture<PostgresFactory>;
