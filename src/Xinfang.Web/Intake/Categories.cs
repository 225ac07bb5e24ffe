namespace Xinfang.Web.Intake;

/// <summary>The default top level of the problem taxonomy (涉及领域, domain.md), with a few second-level examples.</summary>
public static class Categories
{
    static readonly string[] TopLevel =
    [
        "城乡建设", "自然资源", "农村农业", "劳动和社会保障", "政法", "纪检监察", "组织人事", "民政", "教育", "卫生健康",
        "生态环境", "交通运输", "商贸旅游", "市场监管", "经济管理", "科技与信息产业", "文化体育", "党务政务", "其他",
    ];

    static readonly (string Parent, string Name)[] Second =
    [
        ("01", "住房保障"), ("01", "房地产开发与交付"), ("01", "物业管理"), ("01", "城市管理"),
        ("02", "土地征收"), ("02", "不动产登记"),
        ("04", "劳动报酬（欠薪）"), ("04", "社会保险"),
        ("11", "环境污染（噪声）"), ("11", "环境污染（大气、水）"),
    ];

    public static IReadOnlyList<Category> Defaults { get; } = Build();

    static List<Category> Build()
    {
        var list = TopLevel.Select((name, i) => new Category { Code = (i + 1).ToString("D2"), Name = name, Level = 1 }).ToList();
        foreach (var group in Second.GroupBy(s => s.Parent))
            list.AddRange(group.Select((s, i) => new Category { Code = s.Parent + (i + 1).ToString("D2"), Name = s.Name, ParentCode = s.Parent, Level = 2 }));
        return list;
    }
}
