using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Xinfang.Domain.Deadlines;
using Xinfang.Domain.Organisation;
using Xinfang.Domain.Petitions;
using Xinfang.Web.Api;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Petitions;

namespace Xinfang.Web.Intake;

public sealed record PetitionerInput(string? Name, string? IdNumber, string? Phone, string? Address, bool? IsRepresentative);
/// <param name="UserId">The accused person's own staff account, if they have one (Art. 30 ¶3: the matter never reaches it).</param>
/// <param name="UserName">The same account by its user name (the registration form's field); resolved to <paramref name="UserId"/>.</param>
public sealed record AccusedInput(Guid? UnitId, string? PersonName, Guid? UserId = null, string? UserName = null);

/// <summary>Registration (登记) body of api.md. The Art. 19 content may come as one <c>content</c> or as request, facts and reasons.</summary>
public sealed record RegisterPetitionRequest(
    string? Channel, DateTimeOffset? ReceivedAt, List<PetitionerInput>? Petitioners, bool? Anonymous, int? Headcount,
    string? Title, string? Content, string? Request, string? Facts, string? Reasons,
    string? RegionCode, string? CategoryCode, string? Type, AccusedInput? Accused,
    bool? Urgent, bool? Litigation, bool? SkipLevel, Guid? RepeatOf);

/// <summary>Registers a petition received through any channel; numbers it, starts its first clock and links repeats.</summary>
public sealed class RegisterPetition(XinfangDb db, PetitionWorkflow workflow, IOptions<WorkflowOptions> options, TimeProvider time, FindSimilarPetitions similar, UrgentReports.ReportUrgent urgent, Operations.XinfangMetrics? metrics = null)
{
    public const int MaxRepresentatives = 5;

    public async Task<IResult> HandleAsync(RegisterPetitionRequest request, Staff staff, string? idempotencyKey, CancellationToken ct)
    {
        if (!staff.HasAny(Role.IntakeClerk, Role.Caseworker, Role.UnitLeader)) return Problems.Forbidden("只有登记员、承办人或单位负责人可以登记信访事项");
        var now = time.GetUtcNow();
        if (Validate(request, now) is { Count: > 0 } errors) return Problems.Validation(errors);
        if (request.Accused is { } accused && (accused.UserId is not null || !string.IsNullOrWhiteSpace(accused.UserName)))
        {
            var (userId, error) = await AccusedUserAsync(accused, ct);
            if (error is not null) return Problems.Validation(error.Value.Field, error.Value.Message);
            request = request with { Accused = accused with { UserId = userId, UserName = null } };
        }

        var requestHash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json.Options)));
        if (idempotencyKey is not null && await ReplayAsync(staff, idempotencyKey, requestHash, ct) is { } replay) return replay;

        PetitionView? view = null;
        try
        {
            var (petition, _) = await PersistAsync(request, staff.Unit, staff.Actor, ct, (p, code) =>
            {
                view = PetitionView.Of(p, staff, workflow.Context().Deadlines) with { QueryCode = code };
                if (idempotencyKey is not null)
                    db.IdempotencyRecords.Add(new IdempotencyRecord
                    {
                        Key = idempotencyKey, UserId = staff.User.Id, RequestHash = requestHash, PetitionId = p.Id,
                        Response = JsonSerializer.Serialize(view, Json.Options), ExpiresAt = now.AddHours(24),
                    });
                return Task.CompletedTask;
            });
            return new ETagged(TypedResults.Created($"/api/v1/petitions/{petition.Id}", view), petition.Version);
        }
        catch (DbUpdateException ex) when (idempotencyKey is not null && PetitionWorkflow.IsUniqueViolation(ex))
        {
            // The same key raced us; the other registration won. Answer as a replay of it.
            db.ChangeTracker.Clear();
            return await ReplayAsync(staff, idempotencyKey, requestHash, ct) ?? Problems.ConcurrentChange();
        }
    }

    /// <summary>
    /// Numbers, links and stores a valid registration received by <paramref name="unit"/> in one transaction.
    /// Returns the petition and its query code (shown once). Used by staff registration and the public portal.
    /// </summary>
    public async Task<(Petition Petition, string QueryCode)> PersistAsync(RegisterPetitionRequest request, Unit unit, Actor actor,
        CancellationToken ct, Func<Petition, string, Task>? alongside = null)
    {
        var now = time.GetUtcNow();
        var registration = ToRegistration(request, now);
        var linked = await FindRepeatAsync(request, registration, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var regionOfUnit = unit.RegionCode[..Math.Min(6, unit.RegionCode.Length)];
        var year = ChinaTime.DateOf(now).Year;
        var number = PetitionNumber.Format(regionOfUnit, year, await NextNumberAsync(regionOfUnit, year, ct));
        var code = QueryCodes.New();
        var (petition, e) = Petition.Register(
            registration, number, QueryCodes.Hash(number, code), unit.Id,
            unit.Kind == UnitKind.PetitionBureau, actor, workflow.Context(), linked, options.Value.GroupThreshold);
        db.Petitions.Add(petition);
        db.PetitionEvents.Add(e);
        // The near-duplicate index grows with every registration, in the same transaction.
        var (bandKeys, shingles) = FindSimilarPetitions.IndexOf(petition.Id, petition.Title, petition.Content);
        db.PetitionBandKeys.AddRange(bandKeys);
        db.PetitionShingles.Add(shingles);
        await Jurisdiction.GrantAsync(db, petition, unit.Id, ct);
        // Art. 25: a matter flagged major or urgent at registration is reported up at once, with the registration.
        if (petition.Urgent) await urgent.AtRegistrationAsync(petition, unit, actor, ct);
        // What must be saved with the petition or not at all (an idempotency record, attachments).
        if (alongside is not null) await alongside(petition, code);
        await Audit.AuditTrail.For(db).SaveAsync(ct); // with its audit row (petition.register)
        await tx.CommitAsync(ct);
        metrics?.Registered(petition.Channel);
        return (petition, code);
    }

    async Task<IResult?> ReplayAsync(Staff staff, string key, string requestHash, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == staff.User.Id && r.Key == key, ct);
        if (record is null) return null;
        if (record.RequestHash != requestHash)
            return Problems.Make(StatusCodes.Status409Conflict, "idempotency-key-reused", "同一 Idempotency-Key 已用于内容不同的登记请求");
        var view = JsonSerializer.Deserialize<PetitionView>(record.Response!, Json.Options)!;
        var version = await db.Petitions.Where(p => p.Id == record.PetitionId).Select(p => p.Version).FirstAsync(ct);
        return new ETagged(TypedResults.Created($"/api/v1/petitions/{record.PetitionId}", view), version);
    }

    /// <summary>Numbers are per receiving region and year, drawn inside the registering transaction.</summary>
    async Task<long> NextNumberAsync(string region, int year, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = """
            INSERT INTO number_sequences (region_code, year, last_value) VALUES (@region, @year, 1)
            ON CONFLICT (region_code, year) DO UPDATE SET last_value = number_sequences.last_value + 1
            RETURNING last_value
            """;
        cmd.AddParameter("@region", region);
        cmd.AddParameter("@year", year);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }


    /// <summary>The accused person's staff account: by id or by user name, which must name the same existing user.</summary>
    async Task<(Guid? UserId, (string Field, string Message)? Error)> AccusedUserAsync(AccusedInput accused, CancellationToken ct)
    {
        var name = Blank(accused.UserName);
        var user = name is not null
            ? await db.Users.AsNoTracking().Where(u => u.UserName == name).Select(u => new { u.Id }).FirstOrDefaultAsync(ct)
            : await db.Users.AsNoTracking().Where(u => u.Id == accused.UserId).Select(u => new { u.Id }).FirstOrDefaultAsync(ct);
        if (user is null)
            return (null, name is not null ? ("accused.userName", "系统中没有该用户名的工作人员") : ("accused.userId", "被检举控告人的系统账号不存在"));
        if (accused.UserId is { } id && id != user.Id) return (null, ("accused.userId", "账号与用户名不一致"));
        return (user.Id, null);
    }

    /// <summary>
    /// A repeat (重复信访): the clerk's explicit link, or an earlier matter of the same petitioner (exact identity number
    /// or phone) that the text engine judges the same matter (<see cref="FindSimilarPetitions"/>: band-key candidates
    /// re-ranked exactly on the detail). Decisive for Art. 19 ¶3 and Art. 36 ¶3 at acceptance.
    /// </summary>
    async Task<LinkedMatter?> FindRepeatAsync(RegisterPetitionRequest request, Registration r, CancellationToken ct)
    {
        if (request.RepeatOf is { } explicitId)
            return await db.Petitions.Where(p => p.Id == explicitId).Select(p => new LinkedMatter(p.Id, p.Status, p.HoldingUnitId)).FirstOrDefaultAsync(ct);
        var people = r.Petitioners.Select(p => new PersonKey(p.Name, p.IdNumber, p.Phone, p.Address)).ToList();
        if (people.All(p => p.IdNumber is null && p.Phone is null)) return null;
        var candidates = await similar.FindAsync(FindSimilarPetitions.BodyOf(r.Title, r.Content), people, null, null, ct);
        var best = candidates.FirstOrDefault(c => c.SameMatter && c.SamePetitioner == SamePetitioner.Exact);
        if (best is null) return null;
        return await RootOfAsync(best.Id, ct);
    }

    /// <summary>The original matter of a repeat chain, so every repeat points at the matter that decides it.</summary>
    public async Task<LinkedMatter?> RootOfAsync(Guid id, CancellationToken ct)
    {
        var found = await db.Petitions.Where(p => p.Id == id).Select(p => new { p.Id, p.Status, p.HoldingUnitId, p.RepeatOfId }).FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var root = found.RepeatOfId is { } rootId
            ? await db.Petitions.Where(p => p.Id == rootId).Select(p => new LinkedMatter(p.Id, p.Status, p.HoldingUnitId)).FirstOrDefaultAsync(ct)
            : null;
        return root ?? new LinkedMatter(found.Id, found.Status, found.HoldingUnitId);
    }

    static Registration ToRegistration(RegisterPetitionRequest r, DateTimeOffset now)
    {
        var anonymous = r.Anonymous ?? false;
        var people = (r.Petitioners ?? []).Select((p, i) => new Petitioner
        {
            Name = p.Name!.Trim(), IdNumber = Blank(p.IdNumber)?.ToUpperInvariant(), Phone = Blank(p.Phone), Address = Blank(p.Address),
            IsRepresentative = p.IsRepresentative ?? false, Position = i,
        }).ToList();
        var content = Blank(r.Content) ?? string.Join("\n", new[] { ("诉求", r.Request), ("事实", r.Facts), ("理由", r.Reasons) }
            .Where(x => !string.IsNullOrWhiteSpace(x.Item2)).Select(x => $"{x.Item1}：{x.Item2!.Trim()}"));
        var type = ParseEnum<PetitionType>(r.Type) ?? PetitionType.Claim;
        return new Registration(
            ParseEnum<Channel>(r.Channel)!.Value, (r.ReceivedAt ?? now).ToUniversalTime(), people, anonymous,
            r.Headcount ?? people.Count, r.Title!.Trim(), content, r.RegionCode!, Blank(r.CategoryCode), type,
            r.Accused?.UnitId, Blank(r.Accused?.PersonName), r.Urgent ?? false, r.Litigation ?? false, r.SkipLevel ?? false, r.Accused?.UserId);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static T? ParseEnum<T>(string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        foreach (var v in Enum.GetValues<T>())
            if (string.Equals(JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), value, StringComparison.Ordinal)) return v;
        return null;
    }

    /// <summary>Art. 19 content, identity numbers, dates: everything checked before anything is saved.</summary>
    public static Dictionary<string, string[]> Validate(RegisterPetitionRequest r, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (ParseEnum<Channel>(r.Channel) is null) Fail("channel", "请选择信访渠道：online、letter、visit、phone 或 fax");
        if (r.Type is not null && ParseEnum<PetitionType>(r.Type) is null) Fail("type", "信访类型应为 suggestion、accusation 或 claim");
        if (r.ReceivedAt is { } at && at > now.AddMinutes(5)) Fail("receivedAt", "收到时间不能晚于当前时间");
        var anonymous = r.Anonymous ?? false;
        var people = r.Petitioners ?? [];
        if (anonymous && people.Count > 0) Fail("petitioners", "匿名信访不填写信访人信息");
        if (!anonymous && people.Count == 0) Fail("petitioners", "请填写信访人姓名（名称）和住址；匿名信访请勾选“匿名”（条例第十九条）");
        if (people.Count > 500) Fail("petitioners", "信访人过多");
        for (var i = 0; i < people.Count && i < 500; i++)
        {
            var p = people[i];
            if (string.IsNullOrWhiteSpace(p.Name)) Fail($"petitioners[{i}].name", "请填写信访人姓名或组织名称（条例第十九条）");
            else if (p.Name.Length > 100) Fail($"petitioners[{i}].name", "姓名过长");
            if (!string.IsNullOrWhiteSpace(p.IdNumber) && !ResidentId.IsValid(p.IdNumber.Trim())) Fail($"petitioners[{i}].idNumber", "公民身份号码无效（18位，校验码不符或出生日期错误）");
            if (!string.IsNullOrWhiteSpace(p.Phone) && !PhoneNumber.IsValid(p.Phone.Trim())) Fail($"petitioners[{i}].phone", "联系电话格式不正确");
            if (p.Address?.Length > 300) Fail($"petitioners[{i}].address", "住址过长");
        }
        if (!anonymous && people.Count > 0 && people.All(p => string.IsNullOrWhiteSpace(p.Address)))
            Fail("petitioners[0].address", "请填写信访人住址（条例第十九条）");
        if (people.Count(p => p.IsRepresentative == true) > MaxRepresentatives)
            Fail("petitioners", "多人走访推选的代表不得超过5人（条例第二十条）");
        if (r.Headcount is < 0 or > 100_000) Fail("headcount", "来访人数无效");
        if (string.IsNullOrWhiteSpace(r.Title)) Fail("title", "请填写标题");
        else if (r.Title.Length > 200) Fail("title", "标题不超过200字");
        var hasContent = !string.IsNullOrWhiteSpace(r.Content) || !string.IsNullOrWhiteSpace(r.Request);
        if (!hasContent) Fail("content", "请填写信访请求、事实和理由（条例第十九条）");
        var length = (r.Content?.Length ?? 0) + (r.Request?.Length ?? 0) + (r.Facts?.Length ?? 0) + (r.Reasons?.Length ?? 0);
        if (length > 19_000) Fail("content", "内容不超过19000字，更多材料请作为附件");
        if (!Unit.IsRegionCode(r.RegionCode)) Fail("regionCode", "请填写事项所在地的行政区划代码（6位或9位数字）");
        if (r.CategoryCode?.Length > 32) Fail("categoryCode", "分类代码无效");
        if (r.Accused is not null && ParseEnum<PetitionType>(r.Type) != PetitionType.Accusation) Fail("accused", "只有检举控告类事项填写被检举控告对象");
        if (r.Accused?.PersonName?.Length > 100) Fail("accused.personName", "姓名过长");
        return errors;
    }
}
