using Xinfang.Web.Analysis;
using Xinfang.Web.Workbench;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.ClusterResolution;

/// <summary>What a refused or answered form of the cluster page shows again: which form, its errors and values, the batch's outcomes.</summary>
public sealed record ClusterForm(string Name, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyDictionary<string, string> Values,
    IReadOnlyList<string> Chosen, BatchReplyResult? Result = null)
{
    public IDictionary<string, string[]>? ErrorsFor(string name) => Name == name && Errors.Count > 0 ? Errors.ToDictionary() : null;
    public string? Value(string name, string field) => Name == name ? Values.GetValueOrDefault(field) : null;
}

/// <summary>
/// The cluster page (/staff/clusters/{key}) with its resolution: the measure form and the batch-reply form post
/// here and go through the API's use cases. The lead unit, which cannot recompute a cluster of petitions it was
/// never sent, sees the page from the stored snapshot.
/// </summary>
public static class ClusterResolutionPages
{
    public static void MapClusterResolutionPages(RouteGroupBuilder g)
    {
        g.MapPost("/clusters/{key}/resolution", async (string key, HttpContext http, DesignateClusterMeasure use, GetCluster get, TrackClusterResolution track, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var body = new ClusterMeasureRequest(Guid.TryParse(form["leadUnitId"], out var lead) ? lead : null, form["measure"].ToString(), null);
            var outcome = PageOutcome.Of(await use.HandleAsync(me.Staff, key, body, ct));
            if (outcome.Succeeded) return Results.LocalRedirect($"/staff/clusters/{Uri.EscapeDataString(key)}?m=measure#resolution-section");
            return await ShowAsync(http, key, get, track, ct, error: outcome.Error, status: outcome.Status,
                form: new("measure", outcome.Errors, Values(form), []));
        });

        g.MapPost("/clusters/{key}/batch-reply", async (string key, HttpContext http, BatchReplyToCluster use, GetCluster get, TrackClusterResolution track, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            var form = await http.Request.ReadFormAsync(ct);
            var chosen = form["petitionIds"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
            var delivered = DateOnly.TryParseExact(form["deliveredOn"].ToString(), "yyyy-MM-dd", out var d) ? d : (DateOnly?)null;
            var body = new BatchReplyRequest(chosen, form["decision"].ToString(), form["text"].ToString(), delivered);
            var outcome = PageOutcome.Of(await use.HandleAsync(me.Staff, key, body, ct));
            var values = Values(form);
            var picked = chosen.Select(c => c.ToString()).ToList();
            if (outcome.Succeeded && outcome.ValueAs<BatchReplyResult>() is { } result)
            {
                // Shown at once, not after a redirect: the outcome of each member is the page's news.
                var message = $"已答复 {result.Replied} 件" + (result.Refused > 0 ? $"，{result.Refused} 件未答复（原因见下表）。" : "。");
                return await ShowAsync(http, key, get, track, ct, message: message, form: new("reply", new Dictionary<string, string[]>(), values, [], result));
            }
            var errors = new Dictionary<string, string[]>(outcome.Errors);
            if (delivered is null && !string.IsNullOrWhiteSpace(form["deliveredOn"])) errors["deliveredOn"] = ["送达日期格式应为 年-月-日"];
            return await ShowAsync(http, key, get, track, ct, error: outcome.Error, status: outcome.Status, form: new("reply", errors, values, picked));
        });
    }

    /// <summary>GET /staff/clusters/{key} and the forms' answers: the cluster as the caller groups it, else as the stored resolution holds it.</summary>
    public static async Task<IResult> ShowAsync(HttpContext http, string key, GetCluster get, TrackClusterResolution track, CancellationToken ct,
        string? message = null, string? error = null, int status = 200, ClusterForm? form = null)
    {
        var me = WorkbenchPages.MeOf(http);
        if (!me.WorksOnPetitions) return WorkbenchPages.Forbidden(me);
        if (status == 403) return WorkbenchPages.Forbidden(me, error);
        var cluster = await get.HandleAsync(me.Staff, key, ct) ?? await track.SnapshotViewAsync(me.Staff, key, ct);
        if (cluster is null)
            return WorkbenchPages.Page<MessagePage>(new { Me = me, Title = "类案", Error = "该类案不存在，或其事项已有变化。请回到类案列表重新查看。" }, 404);
        return WorkbenchPages.Page<ClusterPage>(new { Me = me, Cluster = cluster, Message = message, Error = error, Form = form }, status is >= 400 ? status : 200);
    }

    public static string? Flash(string? m) => m switch
    {
        "measure" => "已确定牵头单位和政策措施，已通知牵头单位。",
        _ => null,
    };

    static Dictionary<string, string> Values(IFormCollection form) =>
        form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal) && f.Key != "petitionIds").ToDictionary(f => f.Key, f => f.Value.ToString());
}
