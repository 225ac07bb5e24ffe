using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Xinfang.Web.Data;

namespace Xinfang.Web.Attachments;

/// <summary>Attachment settings (section "Attachments").</summary>
public sealed class AttachmentOptions
{
    /// <summary>Folder for attachment files, outside the web root (default ./data/attachments).</summary>
    public string Root { get; set; } = "./data/attachments";
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;
    public int MaxFiles { get; set; } = 3;
}

/// <summary>
/// Checks and stores attachments: PDF, JPEG or PNG recognised by their first bytes (a renamed executable is
/// refused), within the size and count limits, written under the configured root and recorded in the store.
/// </summary>
public sealed class AttachmentStore(XinfangDb db, IOptions<AttachmentOptions> options, TimeProvider time)
{
    public const string Accept = ".pdf,.jpg,.jpeg,.png";

    /// <summary>The content type the bytes really are, or null when they are none of the accepted ones.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF-"u8) ? "application/pdf"
        : head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) ? "image/png"
        : head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }) ? "image/jpeg"
        : null;

    /// <summary>Errors by file, in Chinese; empty when every file may be stored.</summary>
    public async Task<List<string>> CheckAsync(IReadOnlyList<IFormFile> files, CancellationToken ct)
    {
        var o = options.Value;
        var errors = new List<string>();
        var real = files.Where(f => f.Length > 0).ToList();
        if (real.Count > o.MaxFiles) errors.Add($"附件最多{o.MaxFiles}个");
        foreach (var f in real)
        {
            if (f.Length > o.MaxBytes) { errors.Add($"“{CleanName(f.FileName)}”超过{o.MaxBytes / 1048576}MB"); continue; }
            var head = new byte[8];
            await using var s = f.OpenReadStream();
            var read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            if (Sniff(head.AsSpan(0, read)) is null) errors.Add($"“{CleanName(f.FileName)}”不是PDF、JPG或PNG文件");
        }
        return errors;
    }

    /// <summary>Stores checked files for a petition (the caller saves the store's changes).</summary>
    public async Task<List<Attachment>> SaveAsync(Guid petitionId, IReadOnlyList<IFormFile> files, AttachmentSource source, CancellationToken ct)
    {
        var saved = new List<Attachment>();
        foreach (var f in files.Where(f => f.Length > 0))
        {
            var a = new Attachment { PetitionId = petitionId, FileName = CleanName(f.FileName), ContentType = "", Sha256 = "", Size = f.Length, Source = source, UploadedAt = time.GetUtcNow() };
            var path = PathOf(a.Id);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var input = f.OpenReadStream())
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                await input.CopyToAsync(output, ct);
            var bytes = await File.ReadAllBytesAsync(path, ct);
            a.ContentType = Sniff(bytes.AsSpan(0, Math.Min(8, bytes.Length))) ?? "application/octet-stream";
            a.Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            db.Attachments.Add(a);
            saved.Add(a);
        }
        return saved;
    }

    public Stream Open(Attachment a) => File.OpenRead(PathOf(a.Id));

    string PathOf(Guid id)
    {
        var n = id.ToString("N");
        return Path.Combine(Path.GetFullPath(options.Value.Root), n[..2], n);
    }

    /// <summary>The base name only, without path separators or control characters, at most 200 characters.</summary>
    public static string CleanName(string? name)
    {
        var baseName = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string(baseName.Where(c => !char.IsControl(c) && c is not ('/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|')).ToArray()).Trim().TrimStart('.');
        if (clean.Length == 0) clean = "附件";
        return clean.Length > 200 ? clean[^200..] : clean;
    }
}
