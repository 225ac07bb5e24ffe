using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Contract;
using Xinfang.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Xinfang.Web.Tests.Reliability;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>
/// Nothing lost: concurrent clients register petitions (each with its own Idempotency-Key) against the real server
/// process; after some acknowledgements the server is killed with SIGKILL while requests are in flight, restarted on
/// the same store, and the store is checked: every petition acknowledged with 201 is there with its petitioners,
/// its registration event and its access row; no half-written record; re-sending every unacknowledged request with
/// its key gives exactly one petition. Rounds: XINFANG_DURABILITY_ROUNDS (default 3); bench/durability.sh runs more
/// and collects the figures (XINFANG_DURABILITY_REPORT).
/// </summary>
public abstract class DurabilityTests(Provider provider, ITestOutputHelper output)
{
    const int Clients = 8;

    sealed record Attempt(string Key, JsonObject Body, string Title)
    {
        public string? Id { get; set; }
        public string Outcome { get; set; } = "pending";
    }

    [Fact]
    public async Task Registrations_when_server_is_killed_mid_flight_every_acknowledged_petition_survives_and_retries_make_one_each()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("XINFANG_DURABILITY_ROUNDS"), out var r) && r > 0 ? r : 3;
        await using var store = await ProcessStore.CreateAsync(provider);
        var all = new List<Attempt>();
        var random = new Random();
        var kills = 0;
        var inFlightAtKill = 0;
        var refusedBeforeKill = new ConcurrentBag<string>();

        for (var round = 0; round < rounds; round++)
        {
            await using var server = await ServerProcess.StartAsync(store);
            var clerk = round == 0 ? await ProcessWorld.ClerkAsync(server) : await server.LoginAsync("clerk", ProcessWorld.Password);
            var killAt = 10 + random.Next(20);
            var acknowledged = 0;
            var inFlight = 0;
            var stop = false;
            var attempts = new ConcurrentQueue<Attempt>();
            var serial = 0;

            async Task ClientAsync(int client)
            {
                while (!Volatile.Read(ref stop))
                {
                    var title = $"耐久{round}-{client}-{Interlocked.Increment(ref serial)}-{Guid.NewGuid():N}"[..24];
                    var attempt = new Attempt(Guid.NewGuid().ToString(), ContractHelpers.FreshPetition(title: title), title);
                    attempts.Enqueue(attempt);
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        var reply = await clerk.PostAsync("/api/v1/petitions", attempt.Body.DeepClone(), ("Idempotency-Key", attempt.Key));
                        attempt.Outcome = ((int)reply.Status).ToString(CultureInfo.InvariantCulture);
                        if (reply.Status == HttpStatusCode.Created)
                        {
                            attempt.Id = reply["id"];
                            if (Interlocked.Increment(ref acknowledged) == killAt)
                            {
                                // SIGKILL while the other clients' requests are on their way or half-done.
                                Volatile.Write(ref stop, true);
                                inFlightAtKill += Volatile.Read(ref inFlight) - 1;
                                server.Kill();
                                kills++;
                            }
                        }
                        else if (!Volatile.Read(ref stop)) refusedBeforeKill.Add(reply.ToString());
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        attempt.Outcome = "no answer";
                        if (!Volatile.Read(ref stop)) refusedBeforeKill.Add(e.Message);
                        return;
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Clients).Select(ClientAsync));
            refusedBeforeKill.ShouldBeEmpty($"before the kill every registration should succeed:\n{string.Join("\n", refusedBeforeKill)}\n{server.Output}");
            acknowledged.ShouldBeGreaterThanOrEqualTo(killAt);
            all.AddRange(attempts);
        }

        // Restart on the same store: what was acknowledged is there, whole; nothing half-written anywhere.
        await using var restarted = await ServerProcess.StartAsync(store);
        var acked = all.Where(a => a.Id is not null).ToList();
        var unacked = all.Where(a => a.Id is null).ToList();
        var lost = await CheckStoreAsync(store, acked);
        lost.ShouldBeEmpty("acknowledged but not whole in the store");

        var clerkAgain = await restarted.LoginAsync("clerk", ProcessWorld.Password);
        foreach (var a in acked.Take(20))
            (await clerkAgain.GetAsync($"/api/v1/petitions/{a.Id}")).Expect(HttpStatusCode.OK);

        // Re-sent with its key, an unacknowledged request makes its petition at most once (exactly once, now).
        var storedBefore = await store.ScalarAsync("SELECT COUNT(*) FROM petitions");
        var alreadyStored = 0;
        foreach (var a in unacked)
        {
            var existed = await CountTitleAsync(store, a.Title);
            existed.ShouldBeLessThanOrEqualTo(1, a.Title);
            alreadyStored += (int)existed;
            var again = (await clerkAgain.PostAsync("/api/v1/petitions", a.Body.DeepClone(), ("Idempotency-Key", a.Key))).Expect(HttpStatusCode.Created);
            a.Id = again["id"];
            (await CountTitleAsync(store, a.Title)).ShouldBe(1, a.Title);
        }
        var storedAfter = await store.ScalarAsync("SELECT COUNT(*) FROM petitions");
        storedAfter.ShouldBe(storedBefore + unacked.Count - alreadyStored);
        storedAfter.ShouldBe(all.Count);
        (await CheckStoreAsync(store, all)).ShouldBeEmpty();

        var figures = $"{provider}: rounds {rounds}, requests tried {all.Count}, acknowledged {acked.Count}, kills {kills}, " +
                      $"in flight at the kills {inFlightAtKill}, unacknowledged {unacked.Count} (of which stored before the retry {alreadyStored}), " +
                      $"re-sent {unacked.Count} → duplicates 0, acknowledged lost {lost.Count}, half-written 0";
        output.WriteLine(figures);
        if (Environment.GetEnvironmentVariable("XINFANG_DURABILITY_REPORT") is { Length: > 0 } report)
            await File.AppendAllTextAsync(report, figures + Environment.NewLine);
    }

    static async Task<long> CountTitleAsync(ProcessStore store, string title) =>
        await store.ScalarAsync($"SELECT COUNT(*) FROM petitions WHERE title = '{title.Replace("'", "''")}'");

    /// <summary>
    /// Fails on any half-written record; returns the acknowledged petitions that are missing or not whole.
    /// Whole: ≥ 1 petitioner, exactly one registration event, events numbered 1..version, an access row.
    /// </summary>
    static async Task<List<string>> CheckStoreAsync(ProcessStore store, IReadOnlyCollection<Attempt> expected)
    {
        if (store.Provider == Provider.Sqlite)
            (await store.QueryAsync("PRAGMA integrity_check", r => r.GetString(0))).ShouldBe(["ok"]);
        foreach (var (table, column) in new[] { ("petitioners", "petition_id"), ("petition_events", "petition_id"), ("petition_access", "petition_id"), ("idempotency_records", "petition_id"), ("petition_band_keys", "petition_id") })
            (await store.ScalarAsync($"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM petitions p WHERE p.id = t.{column})")).ShouldBe(0, $"orphan rows in {table}");
        var rows = await store.QueryAsync("""
            SELECT p.id, p.version,
                   (SELECT COUNT(*) FROM petitioners x WHERE x.petition_id = p.id),
                   (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = p.id AND LOWER(e.action) = 'register'),
                   (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = p.id),
                   (SELECT MAX(e.sequence) FROM petition_events e WHERE e.petition_id = p.id),
                   (SELECT COUNT(*) FROM petition_access a WHERE a.petition_id = p.id)
            FROM petitions p
            """, r => (Id: ProcessStore.IdOf(r, 0), Version: Convert.ToInt64(r.GetValue(1)), Petitioners: Convert.ToInt64(r.GetValue(2)),
                Registrations: Convert.ToInt64(r.GetValue(3)), Events: Convert.ToInt64(r.GetValue(4)), MaxSequence: r.IsDBNull(5) ? 0 : Convert.ToInt64(r.GetValue(5)), Access: Convert.ToInt64(r.GetValue(6))));
        var half = rows.Where(p => p.Petitioners < 1 || p.Registrations != 1 || p.Events != p.Version || p.MaxSequence != p.Events || p.Access < 1).ToList();
        half.ShouldBeEmpty("half-written petitions");
        var stored = rows.Select(p => p.Id).ToHashSet();
        return expected.Where(a => !stored.Contains(Guid.Parse(a.Id!))).Select(a => $"{a.Id} {a.Title}").ToList();
    }
}

public sealed class DurabilityTests_Sqlite(ITestOutputHelper output) : DurabilityTests(Provider.Sqlite, output);
public sealed class DurabilityTests_Postgres(ITestOutputHelper output) : DurabilityTests(Provider.Postgres, output);
