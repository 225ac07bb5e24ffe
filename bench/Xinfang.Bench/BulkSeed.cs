using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xinfang.Web.Cli;
using Xinfang.Web.Cryptography;
using Xinfang.Web.Data;
using Xinfang.Web.Search;

/// <summary>
/// Seeds many petitions fast for the search benchmark: two template petitions (one registered, one forwarded)
/// are made through the domain and EF like any other; every other row is a copy of a template's columns with
/// its own id, number, receipt and registration instants, title, content, petitioner and access rows — written
/// with one prepared INSERT per row in large transactions on SQLite (the FTS5 triggers index each row as it
/// is written) and with binary COPY on PostgreSQL (its GIN indexes take the rows as they come).
/// </summary>
static class BulkSeed
{
    public static async Task RunAsync(XinfangDb db, IReadOnlyList<Guid> templates, int count, Action<int> progress)
    {
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var petitionRows = new List<Dictionary<string, object>>();
        var petitionerRows = new List<Dictionary<string, object>>();
        var accessRows = new List<List<Dictionary<string, object>>>();
        foreach (var t in templates)
        {
            petitionRows.Add((await ReadAsync(conn, "petitions", "id", t, db.IsSqlite)).Single());
            petitionerRows.Add((await ReadAsync(conn, "petitioners", "petition_id", t, db.IsSqlite)).Single());
            accessRows.Add(await ReadAsync(conn, "petition_access", "petition_id", t, db.IsSqlite));
        }
        var random = new Random(11);
        var start = DateTimeOffset.Parse("2026-11-20T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var batch = db.IsSqlite ? 20_000 : 50_000;
        var cipher = PersonalDataStorage.CipherOf(db);
        for (var done = 0; done < count;)
        {
            var n = Math.Min(batch, count - done);
            var petitions = new List<Dictionary<string, object>>(n);
            var people = new List<Dictionary<string, object>>(n);
            var access = new List<Dictionary<string, object>>(n * 6);
            for (var i = 0; i < n; i++, done++)
            {
                var kind = done % templates.Count;
                // Oldest first, a minute apart, as they would have been registered.
                var registered = start.AddMinutes(-(count - done));
                var received = registered.AddHours(-random.Next(0, 72));
                var id = Guid.NewGuid();
                var number = $"999999-2025-{done + 1:D7}";
                var (title, content) = ChineseText.Petition(random);
                var p = new Dictionary<string, object>(petitionRows[kind])
                {
                    ["id"] = Key(id, db.IsSqlite), ["number"] = number, ["title"] = title, ["content"] = content,
                    ["received_at"] = Instant(received, db.IsSqlite), ["registered_at"] = Instant(registered, db.IsSqlite),
                };
                // The template's next sweep instant may have passed while seeding: copied, it would make every
                // clone due at once. The sweep phase makes its own K matters due.
                if (p["next_sweep_at"] is not DBNull) p["next_sweep_at"] = Instant(DateTimeOffset.UtcNow.AddDays(30), db.IsSqlite);
                petitions.Add(p);
                // Personal data as the application stores it: envelopes and blind indexes (Cryptography/PersonalDataStorage).
                // The template's address envelope and key ids are copied as they are (bound to the column, not the row).
                var (name, phone, idNumber) = (ChineseText.Name(random), Phone(done), DemoSeed.SyntheticId(random));
                people.Add(new Dictionary<string, object>(petitionerRows[kind])
                {
                    ["id"] = Key(Guid.NewGuid(), db.IsSqlite), ["petition_id"] = Key(id, db.IsSqlite),
                    ["name"] = cipher.ProtectName(name, PersonalDataColumns.Name),
                    ["phone"] = cipher.Protect(phone, PersonalDataColumns.Phone),
                    ["id_number"] = cipher.Protect(idNumber, PersonalDataColumns.IdNumber),
                    ["name_key"] = PersonalDataStorage.KeyOf(cipher, PersonalField.Name, name)!,
                    ["phone_key"] = PersonalDataStorage.KeyOf(cipher, PersonalField.Phone, phone)!,
                    ["id_number_key"] = PersonalDataStorage.KeyOf(cipher, PersonalField.IdNumber, idNumber)!,
                });
                foreach (var a in accessRows[kind])
                    access.Add(new Dictionary<string, object>(a)
                    {
                        ["petition_id"] = Key(id, db.IsSqlite), ["registered_at"] = Instant(registered, db.IsSqlite), ["number"] = number,
                    });
            }
            await WriteAsync(conn, db.IsSqlite, "petitions", petitions);
            await WriteAsync(conn, db.IsSqlite, "petitioners", people);
            await WriteAsync(conn, db.IsSqlite, "petition_access", access);
            progress(done);
        }
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>The phone of the n-th seeded petitioner: distinct, so a phone look-up finds one petition.</summary>
    public static string Phone(int n) => "137" + (10_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);

    static object Key(Guid id, bool sqlite) => sqlite ? id.ToString().ToUpperInvariant() : id;
    static object Instant(DateTimeOffset t, bool sqlite) => sqlite ? t.UtcTicks : t.UtcDateTime;

    static async Task<List<Dictionary<string, object>>> ReadAsync(DbConnection conn, string table, string column, Guid id, bool sqlite)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {table} WHERE {column} = @id";
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = Key(id, sqlite);
        cmd.Parameters.Add(p);
        var rows = new List<Dictionary<string, object>>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.GetValue(i)));
        return rows;
    }

    static async Task WriteAsync(DbConnection conn, bool sqlite, string table, List<Dictionary<string, object>> rows)
    {
        var columns = rows[0].Keys.ToList();
        var quoted = string.Join(", ", columns.Select(c => "\"" + c + "\""));
        if (!sqlite)
        {
            await using var copy = await ((NpgsqlConnection)conn).BeginBinaryImportAsync($"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                foreach (var c in columns)
                {
                    var v = row[c];
                    switch (v)
                    {
                        case DBNull: await copy.WriteNullAsync(); break;
                        case DateTime dt: await copy.WriteAsync(dt, NpgsqlTypes.NpgsqlDbType.TimestampTz); break;
                        case string text: await copy.WriteAsync(text, NpgsqlTypes.NpgsqlDbType.Text); break;
                        case Guid g: await copy.WriteAsync(g, NpgsqlTypes.NpgsqlDbType.Uuid); break;
                        case bool b: await copy.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean); break;
                        case int i: await copy.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer); break;
                        case long l: await copy.WriteAsync(l, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                        case DateOnly d: await copy.WriteAsync(d, NpgsqlTypes.NpgsqlDbType.Date); break;
                        default: throw new NotSupportedException($"{table}.{c}: {v.GetType()}");
                    }
                }
            }
            await copy.CompleteAsync();
            return;
        }
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} ({quoted}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) => { var p = cmd.CreateParameter(); p.ParameterName = "@p" + i; cmd.Parameters.Add(p); return p; }).ToList();
        cmd.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++) parameters[i].Value = row[columns[i]];
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }
}

/// <summary>
/// Plausible petition titles and contents made from word lists (no real complaints): a place, a matter, and
/// request, facts and reasons sentences, 150–300 characters. The lists' sizes set how often a word occurs —
/// the search benchmark's queries rely on that (see <see cref="Frequent"/> and <see cref="Places"/>).
/// </summary>
static class ChineseText
{
    public static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国", "桂英", "志强", "海燕", "建华", "玉兰"];
    static readonly string[] PlaceHeads = ["锦绣", "阳光", "翠湖", "金桥", "梧桐", "玉兰", "枫林", "碧水", "紫荆", "东方", "幸福", "和谐", "滨江", "景瑞", "新城", "龙湖", "春晖", "凤凰", "银杏", "海棠"];
    static readonly string[] PlaceTails = ["花园", "家园", "名苑", "新村", "华庭", "雅居", "公寓", "小区", "嘉园", "府邸"];
    /// <summary>20 × 10 places: each in about 1 of 200 petitions.</summary>
    public static readonly string[] Places = PlaceHeads.SelectMany(h => PlaceTails.Select(t => h + t)).ToArray();
    static readonly string[] Towns = ["玉山镇", "周市镇", "陆家镇", "花桥镇", "巴城镇", "千灯镇", "淀山湖镇", "张浦镇", "锦溪镇", "周庄镇"];
    static readonly (string Title, string Request, string Fact)[] Matters =
    [
        ("逾期交房", "请求开发商尽快交付住房", "合同约定去年底交房，至今工程停工"),
        ("物业乱收费", "请求查处物业公司违规收费", "物业公司擅自提高停车费并断水断电催缴"),
        ("拖欠工资", "请求督促用人单位支付拖欠工资", "公司以资金困难为由连续六个月未发工资"),
        ("噪音扰民", "请求治理夜间施工噪音", "工地每晚施工至凌晨，噪音超过国家标准"),
        ("征地补偿", "请求依法落实征地补偿款", "村集体土地被征收两年，补偿款至今未到位"),
        ("违章搭建", "请求拆除违章搭建", "邻居在公共绿地上搭建彩钢板房并出租"),
        ("道路破损", "请求修复破损道路", "村道坑洼积水，雨天无法通行，多次发生事故"),
        ("供暖不足", "请求解决冬季供暖温度不达标问题", "室内温度长期低于十六度，老人孩子无法正常生活"),
        ("子女入学", "请求解决随迁子女就近入学", "户籍不在本地，学校以学位紧张为由拒绝接收"),
        ("医保报销", "请求按规定报销住院医疗费用", "异地就医备案后仍被告知不能直接结算"),
        ("油烟污染", "请求整治餐饮店油烟直排", "楼下饭店未装油烟净化设备，油烟直冲住户窗口"),
        ("停车难", "请求增设小区停车位", "小区车位严重不足，消防通道常被占用"),
        ("电梯故障", "请求维修老旧电梯", "电梯一个月内多次困人，维保单位推诿"),
        ("养老金核定", "请求重新核定养老金待遇", "缴费年限计算有误，养老金明显偏低"),
        ("房屋漏水", "请求督促开发商维修漏水房屋", "顶楼交付三年屋面渗漏，开发商拒不维修"),
    ];
    static readonly string[] Reasons =
    [
        "购房款已全额付清，每月还贷压力巨大", "多次向有关部门反映未得到解决", "严重影响了全家人的正常生活",
        "相关法律法规对此有明确规定", "家中有老人需要照顾，经济十分困难", "问题持续时间长，群众意见很大",
    ];
    static readonly string[] Extras =
    [
        "希望政府高度重视，尽快协调解决。", "恳请领导督促相关单位依法处理。", "如不解决，将继续向上级反映。",
        "附相关合同和照片复印件。", "周边住户均有同样问题。", "此前已拨打热线电话多次。",
    ];

    /// <summary>A word in roughly one petition of every 15 (one of the 15 matters).</summary>
    public const string Frequent = "拖欠工资";
    /// <summary>A two-character word in roughly one petition of every 15.</summary>
    public const string Short = "噪音";

    public static string Name(Random r) => Surnames[r.Next(Surnames.Length)] + Given[r.Next(Given.Length)];

    public static (string Title, string Content) Petition(Random r)
    {
        var place = Places[r.Next(Places.Length)];
        var town = Towns[r.Next(Towns.Length)];
        var m = Matters[r.Next(Matters.Length)];
        var title = $"{town}{place}{m.Title}问题";
        var content = $"诉求：{m.Request}。事实：本人系{town}{place}居民，{m.Fact}，{Reasons[r.Next(Reasons.Length)]}。"
            + $"理由：{Reasons[r.Next(Reasons.Length)]}，{Reasons[r.Next(Reasons.Length)]}。{Extras[r.Next(Extras.Length)]}{Extras[r.Next(Extras.Length)]}";
        return (title, content);
    }
}
