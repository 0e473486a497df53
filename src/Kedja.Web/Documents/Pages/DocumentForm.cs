using System.Globalization;
using Kedja.Domain.Documents;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Documents.Pages;

/// <summary>
/// What the new-document and change-document pages share: the form as typed (dates as text, so a wrong one is said
/// beside its field), the units and goals to choose from, and saving through <see cref="DocumentEditing"/> with each
/// refusal beside its field. A stale save keeps what was typed and shows the other person's document beside it.
/// </summary>
public abstract class DocumentFormModel(TenantContext tenant, DocumentEditing documents, UnitEditing units, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    [BindProperty]
    public DocumentKind Kind { get; set; } = DocumentKind.Policy;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public Guid? DecidedByUnitId { get; set; }

    [BindProperty]
    public string? DecidedOn { get; set; }

    [BindProperty]
    public string? ValidFrom { get; set; }

    [BindProperty]
    public string? ValidTo { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public List<Guid> GoalIds { get; set; } = [];

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>The units to choose from in the organisation's order, with their depth (<see cref="UnitTree"/>).</summary>
    public List<(VersionedUnit Unit, int Depth)> Units { get; private set; } = [];

    /// <summary>The goals to choose from, by level and unit.</summary>
    public List<IGrouping<(string Level, string Unit), DocumentGoalChoice>> GoalGroups { get; private set; } = [];

    /// <summary>After a refused stale save: the document as the other person saved it.</summary>
    public VersionedDocument? TheirDocument { get; protected set; }

    /// <summary>The goal titles by id, to name the other person's goals.</summary>
    public Dictionary<Guid, string> GoalTitles { get; private set; } = [];

    protected DocumentEditing Documents => documents;

    protected IStringLocalizer<Texts> Text => text;

    protected async Task LoadChoicesAsync()
    {
        var ct = HttpContext.RequestAborted;
        Units = Organisation.Pages.UnitForm.Tree([.. (await units.ListAsync(ct)).Where(u => u.IsActive || u.Id == DecidedByUnitId)]);
        var goals = await documents.GoalChoicesAsync(ct);
        GoalTitles = goals.ToDictionary(g => g.Id, g => g.Title);
        GoalGroups = [.. goals.GroupBy(g => (g.Level, g.Unit))];
    }

    protected void Fill(VersionedDocument d)
    {
        (Kind, Title, Description, DecidedByUnitId, Address, GoalIds, Version) = (d.Kind, d.Title, d.Description, d.DecidedByUnitId, d.Url, [.. d.GoalIds], d.Version);
        (DecidedOn, ValidFrom, ValidTo) = (Day(d.DecidedOn), Day(d.ValidFrom), Day(d.ValidTo));
    }

    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The form as the service takes it; a date that cannot be read goes to the service as unreadable.</summary>
    protected VersionedDocument Read(Guid id)
    {
        DateOnly? Date(string? typed, string field)
        {
            if (string.IsNullOrWhiteSpace(typed))
            {
                return null;
            }

            if (DateOnly.TryParseExact(typed.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            Unreadable.Unreadable(field, text["Document.BadDate"]);
            return null;
        }

        return new VersionedDocument(id, Kind, Title ?? "", Description, DecidedByUnitId, Date(DecidedOn, "decidedOn"), Date(ValidFrom, "validFrom"),
            Date(ValidTo, "validTo"), Address, [.. GoalIds.Distinct()], Version);
    }

    /// <summary>Shows the service's refusal: the message at the top, each field's beside it, and on a conflict the other person's document.</summary>
    protected async Task ShowAsync(ServiceError error, Guid? id)
    {
        // "goalIds[2]": said once beside the goals' fieldset.
        Show(error, error.Kind switch { ServiceErrorKind.Conflict => text["Document.Conflict"], ServiceErrorKind.Invalid => text["Document.NotSaved"], _ => error.Message },
            field => field.StartsWith("goalIds", StringComparison.Ordinal) ? "goalIds" : field);
        if (error.Kind == ServiceErrorKind.Conflict && id is { } known && await documents.GetAsync(known, HttpContext.RequestAborted) is { Value: { } now })
        {
            // What was typed stays; saving again with their version overrides their change knowingly.
            TheirDocument = now;
            Version = now.Version;
        }
    }
}
