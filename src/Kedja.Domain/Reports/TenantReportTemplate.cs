namespace Kedja.Domain.Reports;

/// <param name="Kind">What the section shows ("summary", "goals" …; Kedja.Web/Reports/SectionKinds).</param>
/// <param name="Heading">As the municipality names the section.</param>
public sealed record ReportSectionTemplate(string Kind, string Heading);

/// <summary>
/// A report template as a municipality edited it: its name and sections in order. It replaces the default of the same
/// key (tertialrapport, delarsrapport, arsredovisning, malkortsrapport) or adds a template of its own.
/// </summary>
public class TenantReportTemplate : TenantEntity
{
    public required string Key { get; set; }

    public required string Name { get; set; }

    public List<ReportSectionTemplate> Sections { get; set; } = [];
}
