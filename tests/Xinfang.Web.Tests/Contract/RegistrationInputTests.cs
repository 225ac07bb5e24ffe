using System.Net;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>
/// Bad registration input over HTTP: every refusal is an RFC 9457 problem naming what is wrong, and nothing of a
/// refused registration is stored. Text is stored as given and served as JSON that no browser takes for HTML.
/// </summary>
public abstract class RegistrationInputTests(XinfangFactory factory)
{
    [Theory]
    [InlineData("{\"channel\": ")]
    [InlineData("this is not json")]
    [InlineData("{\"channel\": \"visit\", \"headcount\": \"many\"}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    public async Task Register_malformed_json_400_problem_and_nothing_stored(string body)
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();

        var r = await w.Clerk.PostAsync("/api/v1/petitions", body);

        r.ShouldBeProblem(HttpStatusCode.BadRequest);
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Register_non_json_content_type_415_problem_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/petitions")
        {
            Content = new StringContent(ContractHelpers.FreshPetition().ToJsonString(), System.Text.Encoding.UTF8, "text/plain"),
        };
        using var response = await w.Clerk.Http.SendAsync(request);
        var r = new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), null, null, response.Content.Headers.ContentType?.MediaType);

        r.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Theory]
    [InlineData("title", 201)]
    [InlineData("content", 19_001)]
    [InlineData("petitioners[0].name", 101)]
    [InlineData("petitioners[0].address", 301)]
    public async Task Register_overlong_text_400_naming_the_field_and_nothing_stored(string field, int length)
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();
        var text = new string('长', length);
        var body = ContractHelpers.FreshPetition(b =>
        {
            switch (field)
            {
                case "title": b["title"] = text; break;
                case "content": b["content"] = text; break;
                case "petitioners[0].name": b["petitioners"]![0]!["name"] = text; break;
                case "petitioners[0].address": b["petitioners"]![0]!["address"] = text; break;
            }
        });

        (await w.Clerk.PostAsync("/api/v1/petitions", body)).ShouldNameFields(field);
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Action_malformed_json_400_problem_and_petition_unchanged()
    {
        var w = await World.OfAsync(factory);
        var p = await w.RegisterFreshAsync();
        var id = p["id"]!.ToString();

        var r = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/forward", "{\"unitId\": ");

        r.ShouldBeProblem(HttpStatusCode.BadRequest);
        var after = await w.Clerk.PetitionAsync(id);
        after["status"]!.ToString().ShouldBe("registered");
        after["version"]!.GetValue<int>().ShouldBe(p["version"]!.GetValue<int>());
        (await w.Clerk.EventsAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Register_without_art19_content_400_naming_each_field_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();
        var body = ContractHelpers.FreshPetition(b =>
        {
            b["channel"] = "pigeon";
            b["petitioners"] = new JsonArray(new JsonObject { ["name"] = " ", ["address"] = "" });
            b["title"] = "";
            b["content"] = "   ";
            b["regionCode"] = "32A5";
        });

        var r = await w.Clerk.PostAsync("/api/v1/petitions", body);

        r.ShouldNameFields("channel", "petitioners[0].name", "petitioners[0].address", "title", "content", "regionCode");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Register_no_petitioners_and_not_anonymous_400_on_petitioners()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();

        var r = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(b => b["petitioners"] = new JsonArray()));

        r.ShouldNameFields("petitioners");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Register_id_number_with_bad_checksum_400_on_that_petitioner()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();
        // 11010519491231002X is valid; the same 17 digits with check character 1 are not.
        var r = await w.Clerk.PostAsync("/api/v1/petitions", World.Petition(idNumber: "110105194912310021"));

        r.ShouldNameFields("petitioners[0].idNumber");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Register_received_after_server_clock_400_on_received_at_and_earlier_is_kept()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var before = await w.Clerk.PetitionIdsAsync();

        // A day after the server's (controllable) now, though long past by the wall clock.
        var future = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(b => b["receivedAt"] = "2025-09-21T10:00:00+08:00"));

        future.ShouldNameFields("receivedAt");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);

        var past = await w.RegisterAsync(body: ContractHelpers.FreshPetition(b => b["receivedAt"] = "2025-09-19T16:30:00+08:00"));
        DateTimeOffset.Parse(past["receivedAt"]!.ToString()).ShouldBe(DateTimeOffset.Parse("2025-09-19T16:30:00+08:00"));
    }

    [Fact]
    public async Task Register_six_representatives_400_and_five_are_registered()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        var before = await w.Clerk.PetitionIdsAsync();

        var six = await w.Clerk.PostAsync("/api/v1/petitions", GroupVisit(6));

        six.ShouldNameFields("petitioners");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);

        var five = await w.RegisterAsync(body: GroupVisit(5));
        five["petitioners"]!.AsArray().Count.ShouldBe(5);
        five["flags"]!["group"]!.GetValue<bool>().ShouldBeTrue();
    }

    static JsonObject GroupVisit(int representatives) => ContractHelpers.FreshPetition(b =>
    {
        var people = new JsonArray();
        for (var i = 0; i < representatives; i++)
            people.Add(new JsonObject { ["name"] = $"代表{i + 1}", ["address"] = $"昆山市玉山镇阳光花园{i + 1}栋", ["isRepresentative"] = true });
        b["petitioners"] = people;
        b["headcount"] = 30;
    });

    [Fact]
    public async Task Register_anonymous_without_petitioners_201_flagged_anonymous()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");

        var r = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(b =>
        {
            b["channel"] = "letter";
            b["anonymous"] = true;
            b["petitioners"] = new JsonArray();
            b.Remove("headcount");
        }));

        r.Expect(HttpStatusCode.Created);
        r.Json["flags"]!["anonymous"]!.GetValue<bool>().ShouldBeTrue();
        r.Json["petitioners"]!.AsArray().Count.ShouldBe(0);
        r.Location.ShouldNotBeNull();
        var id = r.Json["id"]!.ToString();
        r.Location!.ShouldEndWith($"/api/v1/petitions/{id}");
        (await w.Clerk.PetitionAsync(id))["flags"]!["anonymous"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Register_script_in_text_stored_verbatim_and_served_escaped_with_nosniff()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-20T10:00:00+08:00");
        const string title = "<script>alert(1)</script>";
        const string content = "诉求：<img src=x onerror=alert(document.cookie)> 事实：\"引号\" & 'apostrophe' </textarea>。理由：测试。";

        var created = await w.Clerk.RawAsync(HttpMethod.Post, "/api/v1/petitions", ContractHelpers.FreshPetition(b =>
        {
            b["title"] = title;
            b["content"] = content;
        }));
        created.Status.ShouldBe(HttpStatusCode.Created, created.Body);
        var id = JsonNode.Parse(created.Body)!["id"]!.ToString();

        foreach (var read in new[]
        {
            created,
            await w.Clerk.RawAsync(HttpMethod.Get, $"/api/v1/petitions/{id}"),
            await w.Clerk.RawAsync(HttpMethod.Get, "/api/v1/petitions?q=" + Uri.EscapeDataString(title)),
        })
        {
            read.Status.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created);
            read.ContentHeaders.ContentType!.MediaType.ShouldBe("application/json");
            read.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
            read.Body.ShouldNotContain("<script", Case.Insensitive);
            read.Body.ShouldNotContain("<img", Case.Insensitive);
            read.Body.ShouldNotContain("</textarea", Case.Insensitive);
            read.Body.ShouldContain("\\u003C", Case.Insensitive);
            read.Body.ShouldContain("\\u003E", Case.Insensitive);
        }

        var got = await w.Clerk.PetitionAsync(id);
        got["title"]!.GetValue<string>().ShouldBe(title);
        got["content"]!.GetValue<string>().ShouldBe(content);
        var listed = (await w.Clerk.AllPetitionsAsync()).Single(p => p["id"]!.ToString() == id);
        listed["title"]!.GetValue<string>().ShouldBe(title);
    }

    [Fact]
    public async Task Problem_response_carries_nosniff_and_escapes_echoed_input()
    {
        var w = await World.OfAsync(factory);
        var r = await w.Clerk.RawAsync(HttpMethod.Post, "/api/v1/petitions", ContractHelpers.FreshPetition(b => b["channel"] = "<script>x</script>"));

        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        r.Body.ShouldNotContain("<script", Case.Insensitive);
    }
}

public sealed class RegistrationInputTests_Sqlite(SqliteFactory f) : RegistrationInputTests(f), IClassFixture<SqliteFactory>;
public sealed class RegistrationInputTests_Postgres(PostgresFactory f) : RegistrationInputTests(f), IClassFixture<PostgresFactory>;
