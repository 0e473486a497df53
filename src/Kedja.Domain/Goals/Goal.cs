namespace Kedja.Domain.Goals;

public class Goal : TenantEntity
{
    public Guid ModelId { get; set; }

    public Guid LevelId { get; set; }

    public Guid OwnerUnitId { get; set; }

    public Guid? DimensionId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>Municipality's own numbering, e.g. "KF 3" or "BUN 3.2".</summary>
    public string? Code { get; set; }

    public int? ValidFromYear { get; set; }

    public int? ValidToYear { get; set; }

    /// <summary>Agenda 2030 goals (1-17) the goal supports.</summary>
    public List<int> Agenda2030 { get; set; } = [];

    public int SortOrder { get; set; }

    public bool IsValidIn(int year) => (ValidFromYear ?? int.MinValue) <= year && year <= (ValidToYear ?? int.MaxValue);
}

/// <summary>The child goal contributes to the parent goal. A goal may contribute to several goals above it.</summary>
public class GoalLink : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid ParentGoalId { get; set; }

    public Guid ChildGoalId { get; set; }

    /// <summary>Used by weighted roll-ups; 1 by default.</summary>
    public decimal Weight { get; set; } = 1m;
}

/// <summary>A strategy (critical success factor) for reaching a goal, as in Kil.</summary>
public class Strategy : TenantEntity
{
    public Guid GoalId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public int SortOrder { get; set; }
}

/// <summary>The 17 UN Sustainable Development Goals as reference data.</summary>
public static class Agenda2030
{
    public static IReadOnlyList<(int Number, string Title)> Goals { get; } =
    [
        (1, "Ingen fattigdom"),
        (2, "Ingen hunger"),
        (3, "Hälsa och välbefinnande"),
        (4, "God utbildning för alla"),
        (5, "Jämställdhet"),
        (6, "Rent vatten och sanitet för alla"),
        (7, "Hållbar energi för alla"),
        (8, "Anständiga arbetsvillkor och ekonomisk tillväxt"),
        (9, "Hållbar industri, innovationer och infrastruktur"),
        (10, "Minskad ojämlikhet"),
        (11, "Hållbara städer och samhällen"),
        (12, "Hållbar konsumtion och produktion"),
        (13, "Bekämpa klimatförändringarna"),
        (14, "Hav och marina resurser"),
        (15, "Ekosystem och biologisk mångfald"),
        (16, "Fredliga och inkluderande samhällen"),
        (17, "Genomförande och globalt partnerskap"),
    ];

    /// <summary>The UN's own English short names, in the same order.</summary>
    private static readonly string[] English =
    [
        "No poverty", "Zero hunger", "Good health and well-being", "Quality education", "Gender equality",
        "Clean water and sanitation", "Affordable and clean energy", "Decent work and economic growth",
        "Industry, innovation and infrastructure", "Reduced inequalities", "Sustainable cities and communities",
        "Responsible consumption and production", "Climate action", "Life below water", "Life on land",
        "Peace, justice and strong institutions", "Partnerships for the goals",
    ];

    public static bool IsValid(int number) => number is >= 1 and <= 17;

    /// <summary>The goal's title in the culture's language (English for "en", else Swedish).</summary>
    public static string Title(int number, System.Globalization.CultureInfo culture) => !IsValid(number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : culture.TwoLetterISOLanguageName == "en" ? English[number - 1] : Goals[number - 1].Title;
}
