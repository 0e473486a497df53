using Microsoft.Extensions.Localization;

namespace Kedja.Web.Reports.Pages;

/// <summary>A template's name in the interface: a default as shipped in the reader's language, an edited one as the municipality named it.</summary>
public static class TemplateNames
{
    public static string Display(ReportTemplate template, IStringLocalizer text) =>
        template.IsDefault ? text["ReportTemplates.Default." + template.Key].Value : template.Name;
}
