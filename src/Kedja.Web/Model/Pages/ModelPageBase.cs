using Kedja.Domain.Model;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>
/// What the model's pages share: which model (the tenant's current one unless <c>?modell=</c> names another), and one
/// way to save a change to it through <see cref="ModelEditing"/>, as the API does, from the version the form was read at.
/// </summary>
public abstract class ModelPageBase(TenantContext tenant, ModelEditing models, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<VersionedModel> Models { get; private set; } = [];

    /// <summary>The model as it stands now (after a refused save: as the other person left it).</summary>
    public VersionedModel? Current { get; private set; }

    [BindProperty(SupportsGet = true, Name = "modell")]
    public Guid? ModelId { get; set; }

    [BindProperty(SupportsGet = true, Name = "klart")]
    public bool Saved { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; protected set; }

    /// <summary>Someone else saved the model first: what was typed stays, with theirs beside it.</summary>
    public bool Conflicted { get; private set; }

    protected IStringLocalizer<Texts> Text => text;

    /// <summary>The address of this page for the model, to link and to come back to.</summary>
    public string Here(string page) => $"/k/{tenant.Slug}/styrmodell{page}" + (Models.Count > 1 && Current is not null ? $"?modell={Current.Id}" : "");

    protected async Task<bool> LoadAsync()
    {
        Models = await models.ListAsync(HttpContext.RequestAborted);
        Current = ModelId is { } id
            ? Models.FirstOrDefault(m => m.Id == id)
            : Models.FirstOrDefault(m => m.Status == ModelStatus.Active) ?? Models.FirstOrDefault();
        if (Current is null)
        {
            Error = text["ModelAdmin.NoModel"];
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Saves the current model as <paramref name="change"/> makes it. Back to the page with "saved" when it went
    /// through; null when refused, with every error by field and the model read again (theirs, after a conflict).
    /// </summary>
    protected async Task<IActionResult?> SaveAsync(int? version, Func<VersionedModel, VersionedModel> change, string page)
    {
        var result = await models.UpdateAsync(Current!.Id, change(Current) with { Version = version }, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            var back = Here(page);
            return LocalRedirect(back + (back.Contains('?') ? "&" : "?") + "klart=true");
        }

        Show(result.Error);
        await LoadAsync();
        return null;
    }

    protected void Show(ServiceError error)
    {
        Conflicted = error.Kind == ServiceErrorKind.Conflict;
        Error = Conflicted ? text["ModelAdmin.Conflict"] : error.Errors is { Count: > 0 } ? text["ModelAdmin.NotSaved"] : error.Message;
        Response.StatusCode = error.StatusCode;
        Ui.Html.CopyFieldErrors(error, Errors);

        if (error.Field is { } one && !Errors.ContainsKey(one))
        {
            Errors[one] = error.Message;
        }
    }

    /// <summary>
    /// The errors no field of the page stands beside (a level in use, a scale step a rule names), for the top of the
    /// page, so that no refusal goes unexplained.
    /// </summary>
    public IEnumerable<string> OtherErrors => Errors.Where(e => !Beside(e.Key)).Select(e => e.Value);

    /// <summary>Whether the page shows the field's error beside its input.</summary>
    protected virtual bool Beside(string field) => false;
}
