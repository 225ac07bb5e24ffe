using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xinfang.Web.Tests.Infrastructure;

namespace Xinfang.Web.Tests.Portal;

using Api = Xinfang.Web.Tests.Infrastructure.Api;

/// <summary>Evidence the petitioner adds online: the type is what the bytes are, limits hold, staff within the jurisdiction read it.</summary>
public abstract class AttachmentTests(XinfangFactory factory)
{
    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82];
    static readonly byte[] Pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"u8.ToArray();
    static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00];

    static async Task<Reply> UploadAsync(Api citizen, string number, string code, params (string Name, byte[] Bytes, string Type)[] files)
    {
        using var form = new MultipartFormDataContent { { new StringContent(code), "queryCode" } };
        foreach (var (name, bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "files", name);
        }
        using var response = await citizen.Http.PostAsync($"{PortalKit.Base}/petitions/{number}/attachments", form);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), null, null, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Upload_of_a_real_pdf_and_png_is_stored_and_staff_of_the_jurisdiction_download_the_same_bytes()
    {
        var w = await World.OfAsync(factory);
        await PortalKit.StartAsync(w);
        var citizen = PortalKit.Citizen(factory);
        var (number, code) = await PortalKit.SubmittedAsync(citizen, PortalKit.Submission("附件测试：楼道堆放杂物"));

        var r = await UploadAsync(citizen, number, code, ("../../etc/合同.pdf", Pdf, "application/pdf"), ("现场.png", Png, "image/png"));

        r.Status.ShouldBe(HttpStatusCode.Created, r.Body);
        var items = r.Json["items"]!.AsArray();
        items.Select(i => i!["fileName"]!.ToString()).ShouldBe(["合同.pdf", "现场.png"]); // no path survives
        items.Select(i => i!["contentType"]!.ToString()).ShouldBe(["application/pdf", "image/png"]);
        var id = await PortalKit.StaffIdAsync(w.Clerk, number);
        var listed = (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/attachments")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        listed.Count.ShouldBe(2);
        var pdfId = listed.First(i => i!["contentType"]!.ToString() == "application/pdf")!["id"]!.ToString();
        using var download = await w.Clerk.Http.GetAsync($"/api/v1/petitions/{id}/attachments/{pdfId}");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(Pdf);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        // Outside the jurisdiction: nothing, not even that the file exists.
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}/attachments")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await w.OtherClerk.GetAsync($"/api/v1/petitions/{id}/attachments/{pdfId}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Upload_of_an_executable_named_pdf_or_with_a_wrong_code_is_refused_and_nothing_stored()
    {
        var w = await World.OfAsync(factory);
        await PortalKit.StartAsync(w);
        var citizen = PortalKit.Citizen(factory);
        var (number, code) = await PortalKit.SubmittedAsync(citizen, PortalKit.Submission("附件测试：伪装文件"));

        var forged = await UploadAsync(citizen, number, code, ("发票.pdf", Exe, "application/pdf"));
        forged.Status.ShouldBe(HttpStatusCode.BadRequest);
        forged.MediaType.ShouldBe("application/problem+json");
        forged.Json["errors"]!["files"]![0]!.ToString().ShouldContain("不是PDF、JPG或PNG文件");
        (await UploadAsync(citizen, number, "WRONGCODE1", ("a.png", Png, "image/png"))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await UploadAsync(citizen, number, code, ("1.png", Png, "image/png"), ("2.png", Png, "image/png"), ("3.png", Png, "image/png"), ("4.png", Png, "image/png")))
            .Status.ShouldBe(HttpStatusCode.BadRequest); // more than 3 at once

        var id = await PortalKit.StaffIdAsync(w.Clerk, number);
        (await w.Clerk.GetAsync($"/api/v1/petitions/{id}/attachments")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count.ShouldBe(0);
    }
}

public sealed class AttachmentTests_Sqlite(PortalSqliteFactory f) : AttachmentTests(f), IClassFixture<PortalSqliteFactory>;
public sealed class AttachmentTests_Postgres(PortalPostgresFactory f) : AttachmentTests(f), IClassFixture<PortalPostgresFactory>;
