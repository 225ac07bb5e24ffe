using System.Net;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Contract;

using Api = Xinfang.Web.Tests.Infrastructure.Api;
using Reply = Xinfang.Web.Tests.Infrastructure.Reply;

/// <summary>A host whose Limits:MaxBodyBytes is 4 KB.</summary>
public sealed class SmallBodySqliteFactory : XinfangFactory
{
    public const int MaxBodyBytes = 4096;
    public SmallBodySqliteFactory() : base(Provider.Sqlite) => With("Limits:MaxBodyBytes", MaxBodyBytes.ToString());
}

public sealed class SmallBodyPostgresFactory : XinfangFactory
{
    public SmallBodyPostgresFactory() : base(Provider.Postgres) => With("Limits:MaxBodyBytes", SmallBodySqliteFactory.MaxBodyBytes.ToString());
}

/// <summary>An oversized body is refused with 413 as a problem, before anything is stored.</summary>
public abstract class BodyLimitTests(XinfangFactory factory)
{
    static readonly string TenKilobytes = new('x', 10 * 1024);

    [Fact]
    public async Task Register_body_over_limit_413_problem_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();

        var r = await w.Clerk.PostAsync("/api/v1/petitions", ContractHelpers.FreshPetition(b => b["content"] = "诉求：交房。" + TenKilobytes));

        r.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "/problems/payload-too-large");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Register_chunked_body_over_limit_413_problem_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        var before = await w.Clerk.PetitionIdsAsync();
        var json = ContractHelpers.FreshPetition(b => b["content"] = "诉求：交房。" + TenKilobytes).ToJsonString();

        // No Content-Length: the limit must hold while the body streams in.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/petitions") { Content = new UnsizedContent(json) };
        using var response = await w.Clerk.Http.SendAsync(request);
        var r = new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), null, null, response.Content.Headers.ContentType?.MediaType);

        r.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "/problems/payload-too-large");
        (await w.Clerk.PetitionIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    /// <summary>JSON sent without a Content-Length (chunked).</summary>
    sealed class UnsizedContent : HttpContent
    {
        readonly byte[] _bytes;
        public UnsizedContent(string json)
        {
            _bytes = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Register_body_under_limit_201()
    {
        var w = await World.OfAsync(factory);
        var body = ContractHelpers.FreshPetition();
        System.Text.Encoding.UTF8.GetByteCount(body.ToJsonString()).ShouldBeLessThan(SmallBodySqliteFactory.MaxBodyBytes);

        (await w.Clerk.PostAsync("/api/v1/petitions", body)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Action_body_over_limit_413_problem_and_petition_unchanged()
    {
        var w = await World.OfAsync(factory);
        var p = await w.RegisterFreshAsync();
        var id = p["id"]!.ToString();

        var r = await w.Clerk.PostAsync($"/api/v1/petitions/{id}/decline", new { reason = TenKilobytes });

        r.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "/problems/payload-too-large");
        var after = await w.Clerk.PetitionAsync(id);
        after["status"]!.ToString().ShouldBe("registered");
        after["version"]!.GetValue<int>().ShouldBe(p["version"]!.GetValue<int>());
        (await w.Clerk.EventsAsync(id)).Count.ShouldBe(1);
    }
}

public sealed class BodyLimitTests_Sqlite(SmallBodySqliteFactory f) : BodyLimitTests(f), IClassFixture<SmallBodySqliteFactory>;
public sealed class BodyLimitTests_Postgres(SmallBodyPostgresFactory f) : BodyLimitTests(f), IClassFixture<SmallBodyPostgresFactory>;
