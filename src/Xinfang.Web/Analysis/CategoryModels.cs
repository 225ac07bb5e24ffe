using Microsoft.EntityFrameworkCore;
using Xinfang.Text.Classification;
using Xinfang.Web.Data;

namespace Xinfang.Web.Analysis;

/// <summary>The category model in use: its row without the bytes, and the loaded classifier.</summary>
public sealed record LoadedModel(Guid Id, int Version, DateTimeOffset TrainedAt, int Samples, int CorrectionsSeen, CategoryClassifier Classifier);

/// <summary>
/// Reads and writes the category model (table text_models, the highest version wins). One per process: the
/// loaded classifier is kept and replaced only when a newer row appears, so a suggestion costs one indexed
/// look-up of the latest version and the classification itself (~0.2 ms).
/// </summary>
public sealed class CategoryModels
{
    LoadedModel? _loaded;
    readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<LoadedModel?> LatestAsync(XinfangDb db, CancellationToken ct)
    {
        var head = await db.TextModels.AsNoTracking().Where(m => m.Kind == TextModel.CategoryKind)
            .OrderByDescending(m => m.Version).Select(m => new { m.Id, m.Version, m.TrainedAt, m.Samples, m.CorrectionsSeen }).FirstOrDefaultAsync(ct);
        if (head is null) return null;
        if (_loaded is { } cached && cached.Id == head.Id) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (_loaded is { } again && again.Id == head.Id) return again;
            var bytes = await db.TextModels.AsNoTracking().Where(m => m.Id == head.Id).Select(m => m.Model).FirstAsync(ct);
            using var stream = new MemoryStream(bytes);
            return _loaded = new LoadedModel(head.Id, head.Version, head.TrainedAt, head.Samples, head.CorrectionsSeen, CategoryClassifier.Load(stream));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores a trained model as the next version; returns its row.</summary>
    public static async Task<TextModel> SaveAsync(XinfangDb db, CategoryClassifier classifier, int samples, string source, DateTimeOffset now, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        classifier.Save(stream);
        var corrections = await db.CategoryCorrections.CountAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var version = (await db.TextModels.Where(m => m.Kind == TextModel.CategoryKind).MaxAsync(m => (int?)m.Version, ct) ?? 0) + 1;
            var row = new TextModel
            {
                Kind = TextModel.CategoryKind, Version = version, Model = stream.ToArray(), TrainedAt = now,
                Samples = samples, Categories = classifier.Categories.Count, CorrectionsSeen = corrections, Source = source,
            };
            db.TextModels.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return row;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another node stored the same version at the same moment: take the next one.
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }
}
