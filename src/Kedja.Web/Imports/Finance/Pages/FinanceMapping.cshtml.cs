using System.Globalization;
using Kedja.Domain.Finance;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Imports.Finance.Pages;

/// <summary>
/// The tenant's mapping of its finance system (administrators): the SIE dimension of the cost centre, the result
/// accounts, which cost centre codes or ranges belong to which unit, and which account ranges make which budget line.
/// Saved whole through <see cref="FinanceMappings"/>, as the API saves it, every error beside its field at once; empty
/// rows let a code or a line be added without a script.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class FinanceMappingModel(TenantContext tenant, FinanceMappings mappings, UnitEditing units, IStringLocalizer<Texts> text) : FormPage
{
    public const int SpareRows = 3;

    public sealed class UnitInput
    {
        public string? From { get; set; }

        public string? To { get; set; }

        public Guid? UnitId { get; set; }
    }

    public sealed class AccountInput
    {
        public string? From { get; set; }

        public string? To { get; set; }

        public string? Line { get; set; }
    }

    public TenantContext Tenant => tenant;

    public List<(VersionedUnit Unit, int Depth)> UnitTree { get; private set; } = [];

    public bool WasSaved { get; private set; }

    [BindProperty]
    public string? Dimension { get; set; }

    [BindProperty]
    public string? ResultFrom { get; set; }

    [BindProperty]
    public string? ResultTo { get; set; }

    [BindProperty]
    public List<UnitInput> Units { get; set; } = [];

    [BindProperty]
    public List<AccountInput> Accounts { get; set; } = [];

    [BindProperty]
    public int? Version { get; set; }

    public async Task OnGetAsync([FromQuery(Name = FormDone.Query)] string? done)
    {
        var current = await mappings.GetAsync(HttpContext.RequestAborted);
        Fill(current.Value!);
        WasSaved = done == "sparad";
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        var result = await mappings.SetAsync(Read(), Unreadable, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/ekonomi/koppling?{FormDone.Query}=sparad");
        }

        Show(result.Error, result.Error.Kind == ServiceErrorKind.Conflict
            ? text["Finance.MappingConflict"] : text["Finance.MappingNotSaved"]);
        Pad();
        return Page();
    }

    private async Task LoadAsync() =>
        UnitTree = Organisation.Pages.UnitForm.Tree([.. (await units.ListAsync(HttpContext.RequestAborted)).Where(u => u.IsActive)]);

    private void Fill(FinanceMappingDto m)
    {
        Dimension = m.Dimension.ToString(CultureInfo.InvariantCulture);
        ResultFrom = m.ResultFrom.ToString(CultureInfo.InvariantCulture);
        ResultTo = m.ResultTo.ToString(CultureInfo.InvariantCulture);
        Units = [.. m.Units.Select(u => new UnitInput { From = u.From, To = u.To, UnitId = u.UnitId })];
        Accounts = [.. m.Accounts.Select(a => new AccountInput { From = a.From.ToString(CultureInfo.InvariantCulture), To = a.To.ToString(CultureInfo.InvariantCulture), Line = a.Line })];
        Version = m.Version;
        Pad();
    }

    private void Pad()
    {
        Units.AddRange(Enumerable.Range(0, SpareRows).Select(_ => new UnitInput()));
        Accounts.AddRange(Enumerable.Range(0, SpareRows).Select(_ => new AccountInput()));
    }

    /// <summary>The form as the service takes it: rows with anything typed, numbers that cannot be read said beside their fields.</summary>
    private FinanceMappingDto Read()
    {
        int Number(string field, string? typed, string what)
        {
            if (int.TryParse(typed?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            Unreadable.Unreadable(field, $"{what} ska vara ett heltal.");
            return 0;
        }

        var unitRows = Units.Select((u, i) => (u, i)).Where(x => !string.IsNullOrWhiteSpace(x.u.From) || !string.IsNullOrWhiteSpace(x.u.To) || x.u.UnitId is not null).ToList();
        var accountRows = Accounts.Select((a, i) => (a, i)).Where(x => !string.IsNullOrWhiteSpace(x.a.From) || !string.IsNullOrWhiteSpace(x.a.To) || !string.IsNullOrWhiteSpace(x.a.Line)).ToList();

        // The service names rows by their place in what it is given; the form's rows keep their places, so nothing typed moves.
        Units = [.. unitRows.Select(x => x.u)];
        Accounts = [.. accountRows.Select(x => x.a)];
        return new FinanceMappingDto(
            Number("dimension", Dimension, "Dimensionen"), Number("resultFrom", ResultFrom, "Det första resultatkontot"), Number("resultTo", ResultTo, "Det sista resultatkontot"),
            [.. Units.Select(u => new FinanceUnitRange(u.From ?? "", u.To, u.UnitId ?? Guid.Empty))],
            [.. Accounts.Select((a, i) => new FinanceAccountRange(Number($"accounts[{i}].from", a.From, "Första kontot"), string.IsNullOrWhiteSpace(a.To) ? Number($"accounts[{i}].from", a.From, "Första kontot") : Number($"accounts[{i}].to", a.To, "Sista kontot"), a.Line ?? ""))],
            Version);
    }
}
