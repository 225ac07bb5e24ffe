using System.Net;
using Xinfang.Web.Tests.Infrastructure;
using static Xinfang.Web.Tests.Portal.PortalKit;

namespace Xinfang.Web.Tests.Portal;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>Online submission (网上信访) through /api/v1/public: the challenge, Art. 19 checks, and which bureau receives it.</summary>
public abstract class SubmissionTests(XinfangFactory factory)
{
    [Fact]
    public async Task Challenge_requested_anonymously_gives_a_token_and_a_chinese_sum()
    {
        var citizen = Citizen(factory);
        var r = (await citizen.GetAsync($"{Base}/challenge")).Expect(HttpStatusCode.OK);
        r["token"].ShouldNotBeNullOrWhiteSpace();
        r["question"].ShouldMatch("^[一二三四五六七八九]加[一二三四五六七八九]等于几？");
        // Each challenge is its own.
        (await citizen.GetAsync($"{Base}/challenge")).Expect(HttpStatusCode.OK)["token"].ShouldNotBe(r["token"]);
    }

    [Fact]
    public async Task Submit_for_a_county_region_registers_it_with_the_county_bureau_as_online()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w);
        var citizen = Citizen(factory);
        var body = Submission("城南小区电梯长期停运");
        var r = (await SubmitAsync(citizen, body)).Expect(HttpStatusCode.Created);
        var number = r["number"];
        number.ShouldStartWith($"320583-{t0.Year}-");
        r["queryCode"].Length.ShouldBeGreaterThanOrEqualTo(10);
        DateTimeOffset.Parse(r["receivedAt"]).ShouldBe(t0);
        r["receivedAt"].ShouldEndWith("+08:00");
        r["receivingUnitName"].ShouldBe("昆山市信访局");
        r.Location.ShouldBe($"/api/v1/public/petitions/{number}");

        // The county bureau's clerk finds it in the list and sees an online petition received by the bureau.
        var id = await StaffIdAsync(w.Clerk, number);
        var staffView = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        staffView["channel"]!.ToString().ShouldBe("online");
        staffView["status"]!.ToString().ShouldBe("registered");
        Guid.Parse(staffView["receivingUnitId"]!.ToString()).ShouldBe(w.CountyBureau);
        Guid.Parse(staffView["holdingUnitId"]!.ToString()).ShouldBe(w.CountyBureau);
        staffView["regionCode"]!.ToString().ShouldBe("320583");
        staffView["petitioners"]![0]!["name"]!.ToString().ShouldBe(body["name"]!.ToString());
        staffView["flags"]!["anonymous"]!.GetValue<bool>().ShouldBeFalse();
        var content = staffView["content"]!.ToString();
        content.ShouldContain(body["request"]!.ToString());
        content.ShouldContain(body["facts"]!.ToString());
        content.ShouldContain(body["reasons"]!.ToString());
    }

    [Fact]
    public async Task Submit_for_a_township_of_the_county_registers_it_with_the_county_bureau()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 1);
        var r = (await SubmitAsync(Citizen(factory), Submission("周市镇农田灌溉渠堵塞", regionCode: "320583102"))).Expect(HttpStatusCode.Created);
        r["number"].ShouldStartWith($"320583-{t0.Year}-");
        r["receivingUnitName"].ShouldBe("昆山市信访局");
        await StaffIdAsync(w.Clerk, r["number"]);
    }

    [Fact]
    public async Task Submit_for_a_district_without_a_bureau_registers_it_with_the_city_bureau()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 2);
        // 320506 (吴中区) has no petition bureau in this organisation: the city's bureau (320500) receives it.
        var r = (await SubmitAsync(Citizen(factory), Submission("东山镇违建餐馆占用河道", regionCode: "320506"))).Expect(HttpStatusCode.Created);
        var number = r["number"];
        number.ShouldStartWith($"320500-{t0.Year}-");
        r["receivingUnitName"].ShouldBe("苏州市信访局");

        var id = await StaffIdAsync(w.CityClerk, number);
        var staffView = (await w.CityClerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        staffView["channel"]!.ToString().ShouldBe("online");
        Guid.Parse(staffView["receivingUnitId"]!.ToString()).ShouldBe(w.CityBureau);
        staffView["regionCode"]!.ToString().ShouldBe("320506");
        // Not the county bureau's matter.
        (await w.Clerk.GetAsync($"/api/v1/petitions?q={number}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Submit_while_the_controllable_clock_stands_in_the_past_is_accepted()
    {
        var w = await World.OfAsync(factory);
        await w.SetClockAsync("2025-09-22T10:00:00+08:00");
        var r = (await SubmitAsync(Citizen(factory), Submission("过去时钟下的网上信访"))).Expect(HttpStatusCode.Created);
        r["number"].ShouldStartWith("320583-2025-");
        DateTimeOffset.Parse(r["receivedAt"]).ShouldBe(DateTimeOffset.Parse("2025-09-22T10:00:00+08:00"));
    }

    [Fact]
    public async Task Submit_with_a_challenge_older_than_its_lifetime_is_refused_as_expired()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 5);
        var citizen = Citizen(factory);
        var body = Submission("验证问题过期测试");
        var (token, answer) = await ChallengeAsync(citizen);
        body["challengeToken"] = token;
        body["challengeAnswer"] = answer;
        await SetAsync(w, t0.AddMinutes(21)); // Portal:ChallengeMinutes is 20
        var r = await citizen.PostAsync($"{Base}/petitions", body.ToJsonString());
        r.Status.ShouldBe(HttpStatusCode.BadRequest, r.Body);
        r.Json["errors"]!["challengeAnswer"]![0]!.ToString().ShouldContain("过期");
    }

    [Fact]
    public async Task Submit_with_a_wrong_answer_is_refused_on_the_challenge_field_and_nothing_is_registered()
    {
        var w = await World.OfAsync(factory);
        var citizen = Citizen(factory);
        var title = $"错误答案测试{Guid.NewGuid():N}"[..14];
        var body = Submission(title);
        var (token, answer) = await ChallengeAsync(citizen);
        body["challengeToken"] = token;
        body["challengeAnswer"] = (int.Parse(answer) + 1).ToString();
        var r = await citizen.PostAsync($"{Base}/petitions", body.ToJsonString());
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.MediaType.ShouldBe("application/problem+json");
        r.ProblemType.ShouldBe("/problems/validation");
        r.Json["errors"]!["challengeAnswer"].ShouldNotBeNull();

        // No answer at all, or no token at all, is refused the same way.
        body["challengeAnswer"] = null;
        (await citizen.PostAsync($"{Base}/petitions", body.ToJsonString())).Expect(HttpStatusCode.BadRequest).Json["errors"]!["challengeAnswer"].ShouldNotBeNull();
        body["challengeAnswer"] = answer;
        body["challengeToken"] = null;
        (await citizen.PostAsync($"{Base}/petitions", body.ToJsonString())).Expect(HttpStatusCode.BadRequest).Json["errors"]!["challengeAnswer"].ShouldNotBeNull();
        body["challengeToken"] = "not-a-token";
        (await citizen.PostAsync($"{Base}/petitions", body.ToJsonString())).Expect(HttpStatusCode.BadRequest).Json["errors"]!["challengeAnswer"].ShouldNotBeNull();

        (await w.Clerk.GetAsync($"/api/v1/petitions?q={Uri.EscapeDataString(title)}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Submit_reusing_an_answered_challenge_token_is_refused()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w, 3);
        var citizen = Citizen(factory);
        var (token, answer) = await ChallengeAsync(citizen);
        var first = Submission("西河路路灯不亮");
        first["challengeToken"] = token;
        first["challengeAnswer"] = answer;
        (await citizen.PostAsync($"{Base}/petitions", first.ToJsonString())).Expect(HttpStatusCode.Created);

        var second = Submission("北门菜场噪音扰民");
        second["challengeToken"] = token;
        second["challengeAnswer"] = answer;
        var replay = await citizen.PostAsync($"{Base}/petitions", second.ToJsonString());
        replay.Status.ShouldBe(HttpStatusCode.BadRequest);
        replay.MediaType.ShouldBe("application/problem+json");
        replay.Json["errors"]!["challengeAnswer"].ShouldNotBeNull();
        // Also from another client: the nonce is recorded in the store, not in a session.
        (await Citizen(factory).PostAsync($"{Base}/petitions", second.ToJsonString())).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Submit_of_the_same_form_twice_or_at_once_gives_one_petition_and_the_same_receipt()
    {
        var w = await World.OfAsync(factory);
        await StartAsync(w, 3);
        var citizen = Citizen(factory);
        var (token, answer) = await ChallengeAsync(citizen);
        var form = Submission("东街排水沟堵塞");
        form["challengeToken"] = token;
        form["challengeAnswer"] = answer;

        // A double click: two identical posts at the same moment, then a retry after a lost answer.
        var both = await Task.WhenAll(citizen.PostAsync($"{Base}/petitions", form.ToJsonString()), citizen.PostAsync($"{Base}/petitions", form.ToJsonString()));
        var retry = await citizen.PostAsync($"{Base}/petitions", form.ToJsonString());

        foreach (var r in both.Append(retry)) r.Status.ShouldBe(HttpStatusCode.Created, r.Body);
        var receipts = both.Append(retry).Select(r => (r["number"], r["queryCode"])).Distinct().ToList();
        receipts.Count.ShouldBe(1);
        (await w.Clerk.GetAsync($"/api/v1/petitions?q={Uri.EscapeDataString("东街排水沟堵塞")}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(1);
        (await StatusAsync(citizen, receipts[0].Item1, receipts[0].Item2)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Submit_missing_the_parts_of_article_19_names_each_missing_field()
    {
        await World.OfAsync(factory);
        var citizen = Citizen(factory);
        var body = Submission("缺少内容的信访", b =>
        {
            b.Remove("request");
            b["facts"] = "   ";
            b["reasons"] = "";
            b.Remove("name");
            b["address"] = null;
            b.Remove("phone");
        });
        var r = await SubmitAsync(citizen, body);
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.MediaType.ShouldBe("application/problem+json");
        r.ProblemType.ShouldBe("/problems/validation");
        var errors = r.Json["errors"]!.AsObject();
        foreach (var field in new[] { "request", "facts", "reasons", "name", "address", "phone" })
        {
            errors.ContainsKey(field).ShouldBeTrue($"no error for {field} in {errors}");
            errors[field]![0]!.ToString().ShouldNotBeNullOrWhiteSpace();
        }
        // Field names are the portal's own, not the staff registration's.
        errors.Select(e => e.Key).ShouldNotContain(k => k.StartsWith("petitioners", StringComparison.Ordinal));
        errors.ContainsKey("content").ShouldBeFalse();
    }

    [Fact]
    public async Task Submit_missing_only_the_reasons_names_only_the_reasons()
    {
        await World.OfAsync(factory);
        var r = await SubmitAsync(Citizen(factory), Submission("只缺理由的信访", b => b.Remove("reasons")));
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["reasons"]);
    }

    [Fact]
    public async Task Submit_anonymously_works_without_name_address_or_phone()
    {
        var w = await World.OfAsync(factory);
        var t0 = await StartAsync(w, 4);
        var citizen = Citizen(factory);
        var body = Submission("匿名反映工地夜间施工", b =>
        {
            b["anonymous"] = true;
            b.Remove("name");
            b.Remove("address");
            b.Remove("phone");
            b.Remove("idNumber");
        });
        var (number, code) = await SubmittedAsync(citizen, body);
        number.ShouldStartWith($"320583-{t0.Year}-");

        var id = await StaffIdAsync(w.Clerk, number);
        var staffView = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json;
        staffView["flags"]!["anonymous"]!.GetValue<bool>().ShouldBeTrue();
        staffView["petitioners"]!.AsArray().Count.ShouldBe(0);
        staffView["channel"]!.ToString().ShouldBe("online");
        // The anonymous petitioner follows it with the query code alone.
        (await StatusOkAsync(citizen, number, code))["status"]!.ToString().ShouldBe("registered");
    }

    [Fact]
    public async Task Submit_with_a_bad_id_number_check_character_is_refused_on_idNumber()
    {
        await World.OfAsync(factory);
        var body = Submission("身份证号校验测试");
        var id = body["idNumber"]!.ToString();
        var wrong = id[..17] + (id[17] == '0' ? '1' : '0');
        body["idNumber"] = wrong;
        var r = await SubmitAsync(Citizen(factory), body);
        r.Status.ShouldBe(HttpStatusCode.BadRequest);
        r.MediaType.ShouldBe("application/problem+json");
        r.Json["errors"]!["idNumber"].ShouldNotBeNull();
        r.Json["errors"]!.AsObject().ContainsKey("petitioners[0].idNumber").ShouldBeFalse();
    }

    [Fact]
    public async Task Submit_with_script_in_the_title_stores_the_title_verbatim()
    {
        var w = await World.OfAsync(factory);
        var citizen = Citizen(factory);
        const string title = "<script>alert('xss')</script>小区\"停车\"&收费";
        var (number, code) = await SubmittedAsync(citizen, Submission(title));

        var status = await StatusOkAsync(citizen, number, code);
        status["title"]!.ToString().ShouldBe(title);
        var id = await StaffIdAsync(w.Clerk, number);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}")).Expect(HttpStatusCode.OK).Json["title"]!.ToString().ShouldBe(title);
    }
}

public sealed class SubmissionTests_Sqlite(PortalSqliteFactory f) : SubmissionTests(f), IClassFixture<PortalSqliteFactory>;
public sealed class SubmissionTests_Postgres(PortalPostgresFactory f) : SubmissionTests(f), IClassFixture<PortalPostgresFactory>;
