using Kedja.Domain;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Documents;

/// <summary>What a governing document points at, looked up by the caller in the document or in the database.</summary>
public sealed record DocumentReferences(Func<Guid, bool> UnitExists, Func<Guid, bool> GoalExists);

/// <summary>The rules of a governing document, for the document importer and <see cref="DocumentEditing"/> alike.</summary>
public static class DocumentRules
{
    public const string UrlMessage = "Dokumentets adress ska vara en webbadress som börjar med https:// eller http://.";

    public const string ValidityMessage = "Dokumentet kan inte sluta gälla innan det börjar gälla.";

    /// <summary>What a document must satisfy, with errors under <paramref name="path"/> ("" for a request body).</summary>
    public static void Check(ValidationErrors e, string path, GoverningDocumentDoc d, DocumentReferences references)
    {
        string Field(string name) => ValidationErrors.Join(path, name);
        if (!Enum.IsDefined(d.Kind))
        {
            e.Add(Field("kind"), "Okänt slag av dokument.");
        }

        e.Required(Field("title"), d.Title, "Dokumentets titel");
        e.Text(Field("description"), d.Description, "Dokumentets beskrivning", TextLimits.Text);
        e.Text(Field("url"), d.Url, "Dokumentets adress");

        // Shown as a link in pages, reports and the portal: only web addresses, never javascript: or data:.
        if (!string.IsNullOrWhiteSpace(d.Url) && !IsWebAddress(d.Url))
        {
            e.Add(Field("url"), UrlMessage);
        }

        if (d.ValidFrom is { } from && d.ValidTo is { } to && to < from)
        {
            e.Add(Field("validTo"), ValidityMessage);
        }

        foreach (var (field, date) in new[] { ("decidedOn", d.DecidedOn), ("validFrom", d.ValidFrom), ("validTo", d.ValidTo) })
        {
            if (date is { } day && !Years.Contains(day.Year))
            {
                e.Add(Field(field), Years.Message);
            }
        }

        if (d.DecidedByUnitId is { } decidedBy && !references.UnitExists(decidedBy))
        {
            e.Add(Field("decidedByUnitId"), $"Enheten {decidedBy} finns inte.");
        }

        var goalIds = d.GoalIds ?? [];
        foreach (var (goalId, g) in goalIds.Select((x, n) => (x, n)))
        {
            if (!references.GoalExists(goalId))
            {
                e.Add(Field($"goalIds[{g}]"), $"Målet {goalId} finns inte.");
            }
            else if (goalIds.IndexOf(goalId) != g)
            {
                e.Add(Field($"goalIds[{g}]"), $"Målet {goalId} förekommer flera gånger.");
            }
        }
    }

    public static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme is "https" or "http";
}
