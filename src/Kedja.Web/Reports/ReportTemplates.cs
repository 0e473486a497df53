using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>A committee's internal control plan for the year: the decision, the risks with value and band, the matrix, the control actions.</summary>
    public const string InternalControlPlan = "internal-control-plan";

    /// <summary>The follow-up of the control actions up to the period: results, findings, measures, open measures of earlier years.</summary>
    public const string InternalControl = "internal-control";

    /// <summary>Internal control counted per unit: outcomes, not reported, open and late measures; every committee for the board.</summary>
    public const string InternalControlSummary = "internal-control-summary";

    /// <summary>The assignments (uppdrag) by giver and unit, overdue ones marked, those closed in the period apart.</summary>
    public const string Assignments = "assignments";

    public static readonly IReadOnlyList<string> All =
        [Summary, Goals, Scorecard, Programs, BasicMission, Budget, Agenda2030, Companies, InternalControlSummary, InternalControl, InternalControlPlan, Assignments];

    /// <summary>The kinds read from the units' scorecards; a report of none of them reads no scorecard.</summary>
    public static readonly IReadOnlyList<string> FromScorecards = [Summary, Goals, Scorecard, Programs, BasicMission, Budget, Agenda2030, Companies];

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
        InternalControlPlan => "Internkontrollplan",
        InternalControl => "Uppföljning av intern kontroll",
        InternalControlSummary => "Intern kontroll i sammanfattning",
        Assignments => "Uppdrag",
        _ => kind,
    };
}

/// <summary>A kind of report the municipality makes: its name and the sections it holds, in order.</summary>
/// <param name="Key">"tertialrapport": how the API, the verb and the form name the template.</param>
/// <param name="Name">"Tertialrapport": the title of the report.</param>
/// <param name="IsDefault">One of the defaults as Kedja ships it, not edited by the municipality.</param>
/// <param name="Version">The stored template's version, to send back with a change; null for a default never edited.</param>
public sealed record ReportTemplate(string Key, string Name, List<ReportSectionTemplate> Sections, bool IsDefault = true, int? Version = null)
{
    public bool Has(string kind) => Sections.Any(s => s.Kind == kind);

    /// <summary>Whether Kedja ships a template of this key (which can then be reset to it).</summary>
    public bool HasDefault => ReportTemplates.Defaults.Any(d => d.Key == Key);
}

/// <summary>
/// The tenant's report templates: the defaults (four of goals, three of internal control and assignments), each replaced by the municipality's edited one of the same key,
/// and templates of its own. Administrators edit them; every member orders reports from them.
/// </summary>
public sealed partial class ReportTemplates(KedjaDbContext db, TenantContext tenant)
{
    public const string TemplateMissing = "Rapportmallen finns inte.";

    public const string AdminsOnly = "Bara administratörer får ändra rapportmallar.";

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
        new("internkontrollplan", "Internkontrollplan", [S(SectionKinds.InternalControlPlan)]),
        new("uppfoljning-intern-kontroll", "Uppföljning av intern kontroll",
            [new(SectionKinds.InternalControlSummary, "Sammanfattning"), new(SectionKinds.InternalControl, "Kontrollmomentens resultat och åtgärder")]),
        new("uppdragsredovisning", "Uppdragsredovisning", [new(SectionKinds.Assignments, "Uppdrag och återrapportering")]),
    ];

    /// <summary>The defaults in their order (edited ones in their place), then the municipality's own by name.</summary>
    public async Task<List<ReportTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.ReportTemplates.AsNoTracking().ToListAsync(cancellationToken);
        var byKey = stored.ToDictionary(t => t.Key);
        return
        [
            .. Defaults.Select(d => byKey.TryGetValue(d.Key, out var own) ? Of(own) : d),
            .. stored.Where(t => Defaults.All(d => d.Key != t.Key)).OrderBy(t => t.Name, StringComparer.Create(SwedishFormat.Culture, false)).Select(Of),
        ];
    }

    public async Task<ServiceResult<ReportTemplate>> GetAsync(string? key, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Key == key?.Trim().ToLowerInvariant()) is { } found
            ? found
            : ServiceError.NotFound(TemplateMissing);

    private static ReportTemplate Of(TenantReportTemplate t) => new(t.Key, t.Name, [.. t.Sections], IsDefault: false, t.Version);

    /// <summary>
    /// Saves the municipality's version of a template (a default's key edits that default; a new key adds one). The
    /// version read is required to change a stored one: someone else's change since is a conflict, never overwritten.
    /// </summary>
    public async Task<ServiceResult<ReportTemplate>> SaveAsync(string key, ReportTemplate input, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        key = key.Trim().ToLowerInvariant();
        var errors = new ValidationErrors();
        if (key == "ny")
        {
            errors.Add("key", "Nyckeln ny är upptagen av sidan för nya mallar. Välj en annan.");
        }
        else if (!KeyPattern().IsMatch(key))
        {
            errors.Add("key", "Nyckeln ska vara 2–40 tecken: små bokstäver a–z, siffror och bindestreck.");
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "Ange mallens namn.");
        }
        else if (name.Length > 200)
        {
            errors.Add("name", "Namnet får vara högst 200 tecken.");
        }

        var sections = (input.Sections ?? []).Select(x => new ReportSectionTemplate(x.Kind?.Trim() ?? "", x.Heading?.Trim() ?? "")).ToList();
        if (sections.Count == 0)
        {
            errors.Add("sections", "Välj minst ett avsnitt.");
        }

        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (!SectionKinds.All.Contains(section.Kind))
            {
                errors.Add($"sections[{i}].kind", $"Okänt avsnitt '{section.Kind}'. Välj bland: {string.Join(", ", SectionKinds.All)}.");
            }
            else if (sections.Take(i).Any(x => x.Kind == section.Kind))
            {
                errors.Add($"sections[{i}].kind", $"Avsnittet {SectionKinds.DefaultHeading(section.Kind)} finns redan i mallen.");
            }

            if (section.Heading.Length == 0)
            {
                errors.Add($"sections[{i}].heading", "Ange avsnittets rubrik.");
            }
            else if (section.Heading.Length > 200)
            {
                errors.Add($"sections[{i}].heading", "Rubriken får vara högst 200 tecken.");
            }
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var stored = await db.ReportTemplates.SingleOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (stored is null)
        {
            if (input.Version is not null)
            {
                // Read as stored, now gone: someone reset it meanwhile.
                return ServiceError.Conflict();
            }

            db.ReportTemplates.Add(stored = new TenantReportTemplate { Key = key, Name = name });
        }
        else if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Mallen är redan ändrad av kommunen. " + ServiceError.VersionToChange);
        }
        else
        {
            db.ExpectVersion(stored, input.Version.Value);
        }

        stored.Name = name;
        stored.Sections = sections;
        return await db.TrySaveAsync() ? Of(stored) : ServiceError.Conflict();
    }

    /// <summary>Removes the municipality's version: a default comes back as Kedja ships it, a template of its own is gone.</summary>
    public async Task<ServiceResult<Done>> ResetAsync(string key, int? version, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var wanted = key.Trim().ToLowerInvariant();
        var stored = await db.ReportTemplates.SingleOrDefaultAsync(t => t.Key == wanted, cancellationToken);
        if (stored is null)
        {
            return ServiceError.NotFound(Defaults.Any(d => d.Key == wanted) ? "Mallen är redan som Kedja levererar den." : TemplateMissing);
        }

        return version is null ? ServiceError.Invalid("version", ServiceError.VersionToRemove) : await db.RemoveAsReadAsync(stored, version.Value);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex KeyPattern();
}
