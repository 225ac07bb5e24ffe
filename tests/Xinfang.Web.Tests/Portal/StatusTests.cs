using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Portal.PortalKit;

namespace Xinfang.Web.Tests.Portal;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>The status page's API: what the petitioner sees, what nobody else learns, and throttled guessing.</summary>
public abstract partial class StatusTests(XinfangFactory factory)
{
    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex AnyGuid();

    [Fact]
    public async Task Query_with_number_and_code_shows_status_clock_next_step_and_timeline()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("幸福里小区化粪池外溢"));

        var r = await StatusAsync(citizen, number, code);
        r.Status.ShouldBe(HttpStatusCode.OK);
        r.MediaType.ShouldBe("application/json");
        var s = r.Json;
        s["number"]!.ToString().ShouldBe(number);
        s["status"]!.ToString().ShouldBe("registered");
        s["statusName"]!.ToString().ShouldBe("已登记");
        s["channel"]!.ToString().ShouldBe("online");
        s["title"]!.ToString().ShouldBe("幸福里小区化粪池外溢");
        DateTimeOffset.Parse(s["receivedAt"]!.ToString()).ShouldBe(t0);

        // The running clock is the one the bureau works to: the same due date the staff see.
        var staff = (await w.Clerk.GetAsync($"/api/v1/petitions/{await StaffIdAsync(w.Clerk, number)}")).Expect(HttpStatusCode.OK).Json;
        var dispose = staff["clocks"]!.AsArray().Single(c => c!["name"]!.ToString() == "dispose")!;
        s["currentClock"]!["name"]!.ToString().ShouldBe("dispose");
        s["currentClock"]!["nameText"]!.ToString().ShouldBe("登记转送期限");
        s["currentClock"]!["dueOn"]!.ToString().ShouldBe(dispose["dueOn"]!.ToString());
        s["currentClock"]!["paused"]!.GetValue<bool>().ShouldBeFalse();
        s["currentDueOn"]!.ToString().ShouldBe(dispose["dueOn"]!.ToString());
        var due = DateOnly.Parse(dispose["dueOn"]!.ToString());
        due.ShouldBeGreaterThan(DateOnly.FromDateTime(t0.Date));

        var next = s["nextStep"]!.ToString();
        next.ShouldContain("昆山市信访局");
        next.ShouldContain($"{due.Year}年{due.Month}月{due.Day}日");
        next.ShouldContain("条例第二十二条");

        var timeline = s["timeline"]!.AsArray();
        timeline.Count.ShouldBe(1);
        timeline[0]!["sequence"]!.GetValue<int>().ShouldBe(1);
        timeline[0]!["action"]!.ToString().ShouldBe("register");
        timeline[0]!["actionName"]!.ToString().ShouldBe("登记");
        timeline[0]!["unitName"]!.ToString().ShouldBe("昆山市信访局");
        timeline[0]!["hasDocument"]!.GetValue<bool>().ShouldBeFalse();

        s["canRate"]!.GetValue<bool>().ShouldBeFalse();
        s["canRequestReview"]!.GetValue<bool>().ShouldBeFalse();
        s["reviewBodies"]!.AsArray().Count.ShouldBe(0);
        s["canWithdraw"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Query_after_a_forward_shows_unit_names_but_no_staff_persons_or_internal_notes()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("锦华苑物业擅自占用公共绿地"));
        var id = await StaffIdAsync(w.Clerk, number);
        (await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", new { unitId = w.CountyHousing, note = "内部备注XYZ：该户曾多次越级走访" }))
            .Expect(HttpStatusCode.OK);

        var r = (await StatusAsync(citizen, number, code)).Expect(HttpStatusCode.OK);
        var s = r.Json;
        s["status"]!.ToString().ShouldBe("forwarded");
        s["statusName"]!.ToString().ShouldBe("已转送");
        s["nextStep"]!.ToString().ShouldContain("昆山市住房和城乡建设局");
        var timeline = s["timeline"]!.AsArray();
        timeline.Select(e => e!["action"]!.ToString()).ShouldBe(["register", "forward"]);
        timeline.Select(e => e!["unitName"]!.ToString()).ShouldBe(["昆山市信访局", "昆山市住房和城乡建设局"]);
        timeline[1]!["text"].ShouldBeNull();

        // Nothing about the staff: no accounts, no display names, no user or unit ids; no internal note.
        string[] allowed = ["sequence", "at", "action", "actionName", "unitName", "decision", "decisionName", "text", "hasDocument"];
        foreach (var e in timeline) e!.AsObject().Select(p => p.Key).ShouldBeSubsetOf(allowed);
        r.Body.ShouldNotContain("内部备注XYZ");
        r.Body.ShouldNotContain("越级走访");
        AnyGuid().IsMatch(r.Body).ShouldBeFalse($"an id in {r.Body}");
        var users = (await w.Admin.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        foreach (var u in users.Where(u => u!["userName"]!.ToString() is "clerk" or "worker"))
        {
            r.Body.ShouldNotContain(u!["id"]!.ToString(), Case.Insensitive);
            r.Body.ShouldNotContain($"\"{u["userName"]}\"");
            r.Body.ShouldNotContain($"\"{u["displayName"]}\"");
        }
        // Nor the petitioner's own personal data: whoever holds the code learns the matter, not the person.
        r.Body.ShouldNotContain("市民");
    }

    [Fact]
    public async Task Query_with_a_wrong_code_answers_404_the_same_as_an_unknown_number()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("南苑新村水压不足"));

        var wrongCode = await StatusAsync(citizen, number, RandomCode(code));
        var unknown = await StatusAsync(citizen, Neighbour(number, 100_000), code);
        var noCode = await StatusAsync(citizen, number, null);
        var malformed = await StatusAsync(citizen, "not-a-number", code);
        foreach (var r in new[] { wrongCode, unknown, noCode, malformed })
        {
            r.Status.ShouldBe(HttpStatusCode.NotFound, r.Body);
            r.MediaType.ShouldBe("application/problem+json");
        }
        Indistinguishable(wrongCode, unknown);
        Indistinguishable(wrongCode, noCode);
        Indistinguishable(wrongCode, malformed);
        wrongCode.ProblemType.ShouldBe("/problems/not-found");
        // The right code still opens it (three wrong codes do not lock it).
        (await StatusAsync(citizen, number, code)).Status.ShouldBe(HttpStatusCode.OK);
        // Codes are not case-sensitive for the petitioner.
        (await StatusAsync(citizen, number, code.ToLowerInvariant())).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Query_of_a_neighbouring_number_with_a_guessed_code_is_indistinguishable_from_a_missing_one()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w, 1);
        var citizen = Citizen(factory);
        var (first, firstCode) = await SubmittedAsync(citizen, Submission("东城大道夜间渣土车扬尘"));
        var (second, _) = await SubmittedAsync(Citizen(factory), Submission("西湾村河道非法采砂"));
        // Numbers run in sequence, so the next one is easy to guess…
        second.ShouldBe(Neighbour(first, 1));

        // …but the first petitioner's code does not open the neighbour, and a guessed code opens nothing.
        var withOwnCode = await StatusAsync(citizen, second, firstCode);
        var guessed = await StatusAsync(citizen, second, RandomCode(firstCode));
        var before = await StatusAsync(citizen, Neighbour(first, -1), RandomCode(firstCode));
        var missing = await StatusAsync(citizen, Neighbour(second, 50_000), RandomCode(firstCode));
        foreach (var r in new[] { withOwnCode, guessed, before, missing }) r.Status.ShouldBe(HttpStatusCode.NotFound, r.Body);
        Indistinguishable(guessed, missing);
        Indistinguishable(withOwnCode, missing);
        Indistinguishable(before, missing);
        // The same goes for the other doors that take a number and a code.
        var rating = await citizen.PostAsync($"{Base}/petitions/{second}/rating", new { queryCode = RandomCode(firstCode), rating = "satisfied" });
        var ratingMissing = await citizen.PostAsync($"{Base}/petitions/{Neighbour(second, 50_001)}/rating", new { queryCode = RandomCode(firstCode), rating = "satisfied" });
        rating.Status.ShouldBe(HttpStatusCode.NotFound);
        Indistinguishable(rating, ratingMissing);
        var document = await citizen.GetAsync($"{Base}/petitions/{second}/documents/1?queryCode={RandomCode(firstCode)}");
        document.Status.ShouldBe(HttpStatusCode.NotFound);
        Indistinguishable(document, missing);
    }

    [Fact]
    public async Task Query_with_five_wrong_codes_locks_the_number_even_for_the_right_code_until_the_lock_passes()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 2);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("振华路菜市场占道经营"));
        var (other, otherCode) = await SubmittedAsync(Citizen(factory), Submission("兴业路公厕无人保洁"));

        var answers = new List<Reply>();
        for (var i = 0; i < 6; i++) answers.Add(await StatusAsync(citizen, number, RandomCode(code)));
        answers.Take(4).ShouldAllBe(r => r.Status == HttpStatusCode.NotFound);
        (answers[4].Status == HttpStatusCode.TooManyRequests || answers[5].Status == HttpStatusCode.TooManyRequests).ShouldBeTrue(
            string.Join(", ", answers.Select(a => a.Code)));
        answers[5].Status.ShouldBe(HttpStatusCode.TooManyRequests);

        // Locked: even the right code, from any client, on any door that takes the code.
        var locked = await StatusAsync(Citizen(factory), number, code);
        locked.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        locked.MediaType.ShouldBe("application/problem+json");
        locked.ProblemType.ShouldBe("/problems/too-many-attempts");
        locked["title"].ShouldContain("查询码错误次数过多");
        (await citizen.PostAsync($"{Base}/petitions/{number}/withdraw", new { queryCode = code, reason = "已自行解决" })).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await citizen.PostAsync($"{Base}/petitions/{number}/rating", new { queryCode = code, rating = "satisfied" })).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        // Another number is not affected.
        (await StatusAsync(citizen, other, otherCode)).Status.ShouldBe(HttpStatusCode.OK);

        await SetAsync(w, t0.AddMinutes(14));
        (await StatusAsync(citizen, number, code)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        await SetAsync(w, t0.AddMinutes(16));
        var opened = await StatusOkAsync(citizen, number, code);
        opened["status"]!.ToString().ShouldBe("registered"); // and the withdrawal tried while locked did not happen
        // The count starts afresh: one wrong code is a plain 404 again.
        (await StatusAsync(citizen, number, RandomCode(code))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(citizen, number, code)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Query_with_wrong_codes_sent_in_parallel_still_locks_the_number_after_five()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w, 3);
        var citizen = Citizen(factory);
        var (number, code) = await SubmittedAsync(citizen, Submission("花桥镇快递分拣中心噪声扰民"));

        // A guesser does not wait for answers: twenty codes at once must not buy more than the five tries.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => StatusAsync(Citizen(factory), number, RandomCode(code))));
        answers.ShouldAllBe(r => r.Status == HttpStatusCode.NotFound || r.Status == HttpStatusCode.TooManyRequests);
        answers.Count(r => r.Status == HttpStatusCode.NotFound).ShouldBeLessThanOrEqualTo(5, string.Join(", ", answers.Select(a => a.Code)));
        (await StatusAsync(citizen, number, code)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Two refusals that must not tell which numbers exist: same status, type, title and fields.</summary>
    static void Indistinguishable(Reply a, Reply b)
    {
        a.Code.ShouldBe(b.Code);
        a.MediaType.ShouldBe(b.MediaType);
        a.ProblemType.ShouldBe(b.ProblemType);
        a["title"].ShouldBe(b["title"]);
        Strip(a.Json).ShouldBe(Strip(b.Json));
    }

    static string Strip(JsonNode problem)
    {
        var o = problem.AsObject().DeepClone().AsObject();
        o.Remove("traceId");
        return o.ToJsonString();
    }
}

public sealed class StatusTests_Sqlite(PortalSqliteFactory f) : StatusTests(f), IClassFixture<PortalSqliteFactory>;
public sealed class StatusTests_Postgres(PortalPostgresFactory f) : StatusTests(f), IClassFixture<PortalPostgresFactory>;
