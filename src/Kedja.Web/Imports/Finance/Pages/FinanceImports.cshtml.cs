using Kedja.Domain.Imports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Imports.Finance.Pages;

/// <summary>
/// Where an administrator (controller) brings budget and outcome in from the finance system: the upload of an SIE or
/// CSV file and the earlier finance imports. The check and the import happen on the import's own page, as outcome
/// files' do, through the same import log and worker.
/// </summary>
[RequireTenant(TenantRole.Admin)]
[ImportBodyLimit]
public sealed class FinanceImportsModel(TenantContext tenant, ImportJobs imports, FinanceMappings mappings, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    public List<ImportDto> Imports { get; private set; } = [];

    public bool HasMapping { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(IFormFile? fil)
    {
        (byte[] Content, bool TooLarge) read = ([], false);
        if (fil is not null)
        {
            await using var stream = fil.OpenReadStream();
            read = await FinanceUpload.ReadAsync(stream, fil.Length, HttpContext.RequestAborted);
        }

        var started = read.TooLarge ? ServiceError.Invalid("file", ImportJobs.TooLarge(FinanceImports.MaxBytes))
            : await imports.StartAsync(fil?.FileName, read.Content, OutcomeImportKind.Finance, HttpContext.RequestAborted);
        if (started.Error is { } error)
        {
            await LoadAsync();
            Show(error, text["Finance.NotReceived"]);
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/ekonomi/import/{started.Value!.Id}");
    }

    private async Task LoadAsync()
    {
        HasMapping = await mappings.SavedAsync(HttpContext.RequestAborted) is not null;
        Imports = await imports.ListAsync(OutcomeImportKind.Finance, HttpContext.RequestAborted);
    }

    public static string State(string state) => state switch
    {
        "checkQueued" => "Väntar på kontroll",
        "checking" => "Kontrolleras",
        "checked" => "Kontrollerad",
        "importQueued" => "Väntar på import",
        "importing" => "Importeras",
        "imported" => "Importerad",
        _ => "Avbruten",
    };
}
