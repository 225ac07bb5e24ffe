namespace Xinfang.Text.Tests;

/// <summary>
/// Petition-like Chinese texts made by the tests themselves (no real data): each cause has its own place and its own
/// vocabulary; sentences are drawn at random from a cause's phrases plus shared filler, so texts of one cause resemble
/// each other without being copies.
/// </summary>
public static class GeneratedCorpus
{
    public sealed record Cause(string Category, string Place, string[] Phrases);

    public static readonly Cause[] Causes =
    [
        new("城乡建设", "丽景花园小区", ["小区旁边新建搅拌站", "搅拌站彻夜施工噪音扰民", "水泥灰尘飘进居民家中", "违规审批搅拌站项目", "大型渣土车昼夜进出"]),
        new("劳动和社会保障", "宏达建材公司", ["公司拖欠工人工资半年", "老板拒不支付劳动报酬", "没有签订劳动合同", "社保一直没有缴纳", "劳动监察大队不作为"]),
        new("教育文体", "实验第二小学", ["学校违规收取补课费", "老师在校外办辅导班", "学生书包太重作业太多", "学位分配不公平", "食堂饭菜质量很差"]),
        new("交通运输", "滨江大道公交站", ["公交车随意变道插队", "公交线路调整后出行不便", "站台没有遮雨棚", "出租车拒载乱收费", "路口红绿灯时间太短"]),
        new("环境保护", "北郊化工厂", ["化工厂夜间偷排废气", "河水发黑发臭鱼类死亡", "刺鼻气味让人头晕", "环保部门检查走过场", "排污口直通小河"]),
        new("卫生计生", "中心人民医院", ["医院乱收检查费用", "医生态度恶劣推诿病人", "挂号难排队时间太长", "药品价格比外面贵很多", "医保报销手续繁琐"]),
    ];

    static readonly string[] Filler = ["希望有关部门尽快调查处理", "此事已经反映多次没有结果", "严重影响了群众的正常生活", "请领导高度重视", "我们多次打电话投诉", "周边居民意见很大"];

    /// <summary>A text about <paramref name="cause"/> with 4–7 sentences, a date and a number of people.</summary>
    public static (string Title, string Detail) Petition(Cause cause, Random random)
    {
        var sentences = new List<string> { $"我们是{cause.Place}附近的居民" };
        var count = 4 + random.Next(4);
        for (var i = 0; i < count; i++)
            sentences.Add(random.Next(3) == 0 ? Filler[random.Next(Filler.Length)] : cause.Phrases[random.Next(cause.Phrases.Length)]);
        sentences.Add($"从{2018 + random.Next(3)}年{1 + random.Next(12)}月开始已有{10 + random.Next(90)}户受到影响");
        var title = $"关于{cause.Place}{cause.Phrases[random.Next(cause.Phrases.Length)]}的问题";
        return (title, string.Join("。", sentences) + "。");
    }
}
