using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Data;
using Xinfang.Web.Intake;
using Xinfang.Web.Petitions;
using Xinfang.Web.Workbench.Pages;

namespace Xinfang.Web.Workbench;

/// <summary>The registration form (登记) and its receipt. The form posts to the same RegisterPetition use case as the API.</summary>
public static class RegistrationPages
{
    public static void MapRegistrationPages(RouteGroupBuilder g)
    {
        g.MapGet("/register", async (HttpContext http, XinfangDb db, TimeProvider time, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.Registers) return WorkbenchPages.Forbidden(me, "只有登记员、承办人或单位负责人可以登记信访事项。");
            return await FormAsync(me, db, time, Guid.NewGuid().ToString("N"), 1, null, null, null, ct);
        });

        g.MapPost("/register", async (HttpContext http, XinfangDb db, TimeProvider time, RegisterPetition use, FindSimilarPetitions similar, Analysis.SuggestCategories suggest, CancellationToken ct) =>
        {
            var me = WorkbenchPages.MeOf(http);
            if (!me.Registers) return WorkbenchPages.Forbidden(me, "只有登记员、承办人或单位负责人可以登记信访事项。");
            var form = await http.Request.ReadFormAsync(ct);
            var values = form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString());
            var rows = Math.Clamp(int.TryParse(form["__rows"], out var n) ? n : 1, 1, 50);
            var key = form["__key"].ToString() is { Length: > 0 and <= 64 } posted ? posted : Guid.NewGuid().ToString("N");
            // "添加信访人": the same form again with one more row, nothing saved.
            if (form["__more"] == "1") return await FormAsync(me, db, time, key, Math.Min(rows + 1, 50), values, null, null, ct);

            var fields = values.ToDictionary(v => v.Key, v => new Microsoft.Extensions.Primitives.StringValues(v.Value));
            // The browser sends China time without an offset; the API takes an instant.
            if (values.TryGetValue("receivedAt", out var local) && local.Length > 0)
            {
                if (DateTime.TryParseExact(local, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                    fields["receivedAt"] = new DateTimeOffset(at, ChinaTime.Offset).ToString("O", CultureInfo.InvariantCulture);
                else
                    return await FormAsync(me, db, time, key, rows, values, new Dictionary<string, string[]> { ["receivedAt"] = ["收到时间格式不正确"] }, "请检查标注的字段", ct);
            }
            // Rows left entirely empty are not petitioners; the others are numbered again without gaps.
            var filled = Enumerable.Range(0, rows).Where(i => !IsEmptyRow($"petitioners[{i}]", values)).ToList();
            foreach (var k in fields.Keys.Where(k => k.StartsWith("petitioners[", StringComparison.Ordinal)).ToList())
            {
                var old = int.TryParse(k.AsSpan(12, k.IndexOf(']') - 12), out var i) ? i : -1;
                var value = fields[k];
                fields.Remove(k);
                if (filled.IndexOf(old) is var at and >= 0) fields[$"petitioners[{at}]{k[(k.IndexOf(']') + 1)..]}"] = value;
            }
            var request = FormJson.Bind<RegisterPetitionRequest>(fields);
            if (request is null) return await FormAsync(me, db, time, key, rows, values, null, "有字段的格式不正确，请检查后重新提交", ct);
            // "查重": the candidates for what is on the form, nothing saved.
            if (form["__check"] == "1")
            {
                var (text, problem) = FindSimilarPetitions.DraftText(request);
                if (problem is not null) return await FormAsync(me, db, time, key, rows, values, new Dictionary<string, string[]> { ["content"] = [problem] }, "请检查标注的字段", ct);
                var found = await similar.FindAsync(text!, FindSimilarPetitions.PeopleOf(request), me.Staff, null, ct, FindSimilarPetitions.MaxShown);
                // The same press asks the classifier for the category and the routing rules for the responsible unit.
                var content = string.Join("\n", new[] { request.Content, request.Request, request.Facts, request.Reasons }.Where(x => !string.IsNullOrWhiteSpace(x)));
                var suggestion = (await suggest.HandleAsync(me.Staff, new Analysis.SuggestRequest(request.Title, content, request.RegionCode), ct))?.Suggestion;
                return await FormAsync(me, db, time, key, rows, values, null, null, ct, similar: found, suggestion: suggestion);
            }
            var outcome = PageOutcome.Of(await use.HandleAsync(request, me.Staff, "page:" + key, ct));
            if (!outcome.Succeeded)
                return await FormAsync(me, db, time, key, rows, values, outcome.Errors.ToDictionary(), outcome.Error, ct, outcome.Status);
            var view = outcome.ValueAs<PetitionView>()!;
            var url = $"{http.Request.Scheme}://{http.Request.Host}/portal/track?number={Uri.EscapeDataString(view.Number)}";
            return WorkbenchPages.Page<RegisteredPage>(new
            {
                Me = me, V = view, Due = view.Clocks.Where(c => c.Name is ClockName.Dispose or ClockName.Notify).Select(c => (DateOnly?)c.DueOn).FirstOrDefault(),
                PortalUrl = url, Qr = Portal.PortalPages.Qr(url),
            });
        });
    }

    static bool IsEmptyRow(string prefix, Dictionary<string, string> values) =>
        new[] { "name", "idNumber", "phone", "address" }.All(f => string.IsNullOrWhiteSpace(values.GetValueOrDefault($"{prefix}.{f}")));

    static async Task<IResult> FormAsync(Me me, XinfangDb db, TimeProvider time, string key, int rows, IReadOnlyDictionary<string, string>? values,
        IDictionary<string, string[]>? errors, string? error, CancellationToken ct, int status = 200, IReadOnlyList<SimilarCandidate>? similar = null, Analysis.Suggestion? suggestion = null)
    {
        var governments = await db.Units.AsNoTracking().Where(u => u.Kind == UnitKind.Government)
            .OrderBy(u => u.RegionCode).Select(u => new { u.RegionCode, u.Name }).ToListAsync(ct);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Code).ToListAsync(ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Level).ThenBy(u => u.Code).Select(u => new { u.Id, u.Name }).Take(1000).ToListAsync(ct);
        var now = time.GetUtcNow().ToOffset(ChinaTime.Offset);
        return WorkbenchPages.Page<RegisterPage>(new
        {
            Me = me, Key = key, Rows = Math.Max(rows, PetitionerRows(values)),
            Now = now.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            DefaultRegion = me.Staff.Unit.RegionCode,
            Regions = (IReadOnlyList<(string, string)>)governments.Select(u => (u.RegionCode, u.Name.Replace("人民政府", ""))).DistinctBy(u => u.RegionCode).ToList(),
            Categories = (IReadOnlyList<Category>)categories,
            Units = (IReadOnlyList<(Guid, string)>)units.Select(u => (u.Id, u.Name)).ToList(),
            Values = values, Errors = errors, Error = error, Similar = similar, Suggestion = suggestion,
        }, status >= 400 ? status : 200);
    }

    static int PetitionerRows(IReadOnlyDictionary<string, string>? values) =>
        values?.Keys.Where(k => k.StartsWith("petitioners[", StringComparison.Ordinal))
            .Select(k => int.TryParse(k.AsSpan(12, k.IndexOf(']') - 12), out var i) ? i + 1 : 0).DefaultIfEmpty(0).Max() ?? 0;
}
