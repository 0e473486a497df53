using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>
/// The model's dimensions (perspektiv, strategiska områden): add, rename, reorder, remove. Each change is a change of
/// the whole model through <see cref="ModelEditing"/>, which refuses to remove a dimension that goals use.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class DimensionsModel(TenantContext tenant, ModelEditing models, IStringLocalizer<Texts> text) : ModelPageBase(tenant, models, text)
{
    /// <summary>The dimension a form was about; with <see cref="Name"/> and <see cref="Description"/> as typed.</summary>
    [BindProperty]
    public Guid? Id { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>The dimension whose removal is to be confirmed (<c>?taBort=</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "taBort")]
    public Guid? Remove { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostSaveAsync() => ChangeAsync(list => [.. list.Select(d => d.Id == Id ? d with { Name = Name ?? "", Description = Clean(Description) } : d)]);

    public Task<IActionResult> OnPostAddAsync() => ChangeAsync(list =>
        [.. list, new DimensionDoc(Guid.Empty, Name ?? "", Clean(Description), list.Count == 0 ? 1 : list.Max(d => d.SortOrder) + 1, null, [])]);

    public Task<IActionResult> OnPostUpAsync() => ChangeAsync(list => Move(list, -1));

    public Task<IActionResult> OnPostDownAsync() => ChangeAsync(list => Move(list, +1));

    public Task<IActionResult> OnPostRemoveAsync() => ChangeAsync(list => [.. list.Where(d => d.Id != Id)]);

    /// <summary>Which row a form's typed values and errors belong to: the one it was about, or a new one at the end.</summary>
    public bool IsPosted(Guid? id) => Request.Method == HttpMethods.Post && Id == id;

    private async Task<IActionResult> ChangeAsync(Func<List<DimensionDoc>, List<DimensionDoc>> change)
    {
        if (!await LoadAsync())
        {
            return Page();
        }

        var saved = await SaveAsync(Version, m => m with { Dimensions = change(m.Dimensions) }, "/perspektiv");
        Remove = null;
        return saved ?? Page();
    }

    /// <summary>Swaps the dimension with its neighbour, numbering them all first so that equal sort orders cannot tie.</summary>
    private List<DimensionDoc> Move(List<DimensionDoc> list, int step)
    {
        var numbered = list.Select((d, n) => d with { SortOrder = n + 1 }).ToList();
        var at = numbered.FindIndex(d => d.Id == Id);
        var to = at + step;
        if (at < 0 || to < 0 || to >= numbered.Count)
        {
            return numbered;
        }

        (numbered[at], numbered[to]) = (numbered[to] with { SortOrder = at + 1 }, numbered[at] with { SortOrder = to + 1 });
        return numbered;
    }

    protected override bool Beside(string field) => System.Text.RegularExpressions.Regex.IsMatch(field, @"^dimensions\[\d+\]\.name$");

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
