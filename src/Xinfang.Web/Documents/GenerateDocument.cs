using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Audit;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Documents;

/// <summary>A notice ready to print or to build as DOCX.</summary>
public sealed record GeneratedDocument(DocumentKind Kind, Guid PetitionId, string Number, IReadOnlyList<DocumentParagraph> Paragraphs)
{
    public string Name => DocumentKinds.Name(Kind);
    public string FileName => $"{Name}-{Number}.docx";
}

/// <summary>Why no document: 403 (role, or confidentiality), 404 (outside the jurisdiction), 409 (the step was not taken).</summary>
public sealed record DocumentRefusal(int Status, string Title);

/// <summary>
/// A matter's written notice from the template in force, filled from the matter and from the latest event of
/// the step the notice belongs to. Only the handling roles issue notices, and only with the matter seen in
/// full: a notice names the petitioner. Each generation is on the audit trail (export.document), as it carries
/// personal data out of the system (个人信息保护法 Art. 51).
/// </summary>
public sealed class GenerateDocument(XinfangDb db, PetitionWorkflow workflow, TimeProvider time)
{
    public static string Date(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public async Task<(GeneratedDocument? Document, DocumentRefusal? Refusal)> HandleAsync(Guid id, DocumentKind kind, Staff staff, string how, CancellationToken ct)
    {
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return (null, new(403, "只有登记员、承办人和单位负责人可以出具文书"));
        var petition = await Jurisdiction.Visible(db, staff).Include(p => p.Petitioners).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (petition is null) return (null, new(404, "信访事项不存在或不在本单位管辖范围内"));
        // Art. 30 ¶3: a unit that holds an accusation only as a notice passes it on; it issues nothing that names the petitioner.
        if (!Jurisdiction.SeesPersonalData(staff, petition)) return (null, new(403, "检举控告事项依法保密，本单位不能出具文书"));
        var step = DocumentKinds.Step(kind);
        var e = await db.PetitionEvents.AsNoTracking().Where(x => x.PetitionId == id && x.Action == step).OrderByDescending(x => x.Sequence).FirstOrDefaultAsync(ct);
        if (e is null) return (null, new(409, DocumentKinds.NotYet(kind)));

        var (template, _) = await DocumentTemplates.CurrentAsync(db, kind, ct);
        var values = await ValuesAsync(petition, e, ct);
        var document = new GeneratedDocument(kind, petition.Id, petition.Number, DocumentTemplates.Render(template, values));
        await AuditTrail.For(db).AppendAsync(AuditRecord.Of(AuditActions.Export("document"), staff, AuditTargets.Petition, petition.Id,
            new { petition.Number, kind = DocumentKinds.Slug(kind), how, eventSequence = e.Sequence }), ct);
        return (document, null);
    }

    async Task<Dictionary<string, string>> ValuesAsync(Petition p, PetitionEvent e, CancellationToken ct)
    {
        var context = workflow.Context();
        using var data = JsonDocument.Parse(e.Data ?? "{}");
        var root = data.RootElement;
        DateOnly? DateIn(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && DateOnly.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var d) ? d : null;
        var stepOn = DateIn("deliveredOn") ?? ChinaTime.DateOf(e.At);
        var unitId = e.ActorUnitId ?? p.HoldingUnitId;
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? "";
        Decision? decision = root.TryGetProperty("decision", out var dv) && dv.ValueKind == JsonValueKind.String
            && Enum.TryParse<Decision>(dv.GetString(), ignoreCase: true, out var parsed) ? parsed : null;
        HandlingRoute? route = root.TryGetProperty("route", out var rv) && rv.ValueKind == JsonValueKind.Number ? (HandlingRoute)rv.GetInt32() : p.Route;
        DateOnly? due = e.Action switch
        {
            // Only route 6 carries the 60-day limit (Art. 31, 34).
            PetitionAction.Accept when route == HandlingRoute.PetitionProcedure => Clock.Start(ClockName.Handle, ChinaTime.DateOf(e.At), context.Deadlines, context.Lengths).DueOn,
            PetitionAction.Extend => DateIn("dueOn"),
            PetitionAction.Reply when p.Type == PetitionType.Claim => Clock.Start(ClockName.ReviewRequest, stepOn, context.Deadlines, context.Lengths).DueOn,
            PetitionAction.ReviewDecision => Clock.Start(ClockName.ReReviewRequest, stepOn, context.Deadlines, context.Lengths).DueOn,
            _ => null,
        };
        var names = p.Anonymous || p.Petitioners.Count == 0 ? "信访人" : string.Join("、", p.Petitioners.OrderBy(x => x.Position).Select(x => x.Name));
        return new Dictionary<string, string>
        {
            ["number"] = p.Number,
            ["title"] = p.Title,
            ["petitionerName"] = names,
            ["receivedOn"] = Date(ChinaTime.DateOf(p.ReceivedAt)),
            ["unitName"] = unitName,
            ["stepDate"] = Date(stepOn),
            ["decision"] = decision is { } d ? Names.Of(d) : "",
            ["decisionText"] = e.Note ?? "",
            ["route"] = route is { } r ? Names.Of(r) : "",
            ["redirect"] = Names.Of(p.Redirect),
            ["extensionDays"] = root.TryGetProperty("days", out var days) && days.ValueKind == JsonValueKind.Number ? days.GetInt32().ToString(CultureInfo.InvariantCulture) : "",
            ["dueOn"] = due is { } dd ? Date(dd) : "",
            ["today"] = Date(ChinaTime.DateOf(time.GetUtcNow())),
        };
    }
}
