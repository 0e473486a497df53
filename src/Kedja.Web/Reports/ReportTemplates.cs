using Kedja.Web.Infrastructure;

namespace Kedja.Web.Reports;

/// <summary>What a report section shows; a template lists sections in its order with its own headings.</summary>
public static class SectionKinds
{
    /// <summary>Goal fulfilment counted per status and per perspective or area, with the chart.</summary>
    public const string Summary = "summary";

    /// <summary>Per goal: status and explanation, assessment, analysis and actions, indicators, activities, deviations below.</summary>
    public const string Goals = "goals";

    /// <summary>The scorecard in short: per unit, its goals with status and their indicators in one table.</summary>
    public const string Scorecard = "scorecard";

    /// <summary>Programs' indicators and activities, outside goal fulfilment.</summary>
    public const string Programs = "programs";

    /// <summary>Grunduppdrag: indicators of no goal and no program, outside goal fulfilment.</summary>
    public const string BasicMission = "basic-mission";

    /// <summary>The budget frame against outcome and forecast per unit.</summary>
    public const string Budget = "budget";

    /// <summary>Which of the global goals the report's goals serve, with their status.</summary>
    public const string Agenda2030 = "agenda2030";

    /// <summary>The companies' yearly reports: units followed up once a year, in the period that closes the year.</summary>
    public const string Companies = "companies";

    public static readonly IReadOnlyList<string> All = [Summary, Goals, Scorecard, Programs, BasicMission, Budget, Agenda2030, Companies];

    /// <summary>The heading a section gets unless the template names it.</summary>
    public static string DefaultHeading(string kind) => kind switch
    {
        Summary => "Sammanfattning av måluppfyllelsen",
        Goals => "Mål och resultat",
        Scorecard => "Målkort",
        Programs => "Program och planer",
        BasicMission => "Grunduppdrag",
        Budget => "Ekonomi",
        Agenda2030 => "Agenda 2030",
        Companies => "De kommunala bolagen",
        _ => kind,
    };
}

/// <param name="Kind">One of <see cref="SectionKinds"/>.</param>
/// <param name="Heading">As the municipality names the section.</param>
public sealed record ReportSectionTemplate(string Kind, string Heading);

/// <summary>A kind of report the municipality makes: its name and the sections it holds, in order.</summary>
/// <param name="Key">"tertialrapport": how the API, the verb and the form name the template.</param>
/// <param name="Name">"Tertialrapport": the title of the report.</param>
/// <param name="IsDefault">One of the four defaults, not edited by the municipality.</param>
/// <param name="Version">The stored template's version; null for a default.</param>
public sealed record ReportTemplate(string Key, string Name, List<ReportSectionTemplate> Sections, bool IsDefault = true, int? Version = null)
{
    public bool Has(string kind) => Sections.Any(s => s.Kind == kind);
}

/// <summary>The tenant's report templates: the four defaults, each replaced by the municipality's edited one of the same key.</summary>
public sealed class ReportTemplates
{
    public const string TemplateMissing = "Rapportmallen finns inte.";

    private static ReportSectionTemplate S(string kind) => new(kind, SectionKinds.DefaultHeading(kind));

    public static IReadOnlyList<ReportTemplate> Defaults { get; } =
    [
        new("tertialrapport", "Tertialrapport", [S(SectionKinds.Summary), S(SectionKinds.Goals), S(SectionKinds.Programs), S(SectionKinds.BasicMission), S(SectionKinds.Budget)]),
        new("delarsrapport", "Delårsrapport",
            [S(SectionKinds.Summary), S(SectionKinds.Goals), S(SectionKinds.Programs), S(SectionKinds.BasicMission), S(SectionKinds.Budget), S(SectionKinds.Agenda2030)]),
        new("arsredovisning", "Årsredovisning (måluppfyllelse)",
            [S(SectionKinds.Summary), S(SectionKinds.Goals), S(SectionKinds.Programs), S(SectionKinds.BasicMission), S(SectionKinds.Budget), S(SectionKinds.Agenda2030),
             S(SectionKinds.Companies)]),
        new("malkortsrapport", "Målkortsrapport", [S(SectionKinds.Summary), S(SectionKinds.Scorecard)]),
    ];

    public Task<List<ReportTemplate>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult(Defaults.ToList());

    public async Task<ServiceResult<ReportTemplate>> GetAsync(string? key, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Key == key?.Trim().ToLowerInvariant()) is { } found
            ? found
            : ServiceError.NotFound(TemplateMissing);
}
