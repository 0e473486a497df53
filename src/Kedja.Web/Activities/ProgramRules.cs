using Kedja.Domain;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Activities;

/// <summary>The rules of a program, for the document importer and <see cref="ProgramEditing"/> alike.</summary>
public static class ProgramRules
{
    /// <summary>What a program must satisfy, with errors under <paramref name="path"/> ("" for a request body).</summary>
    /// <param name="ownerExists">Whether its owner exists (true when it names none).</param>
    public static void Check(ValidationErrors e, string path, ProgramDoc p, bool ownerExists)
    {
        e.Required(ValidationErrors.Join(path, "name"), p.Name, "Programmets namn");
        e.Text(ValidationErrors.Join(path, "description"), p.Description, "Programmets beskrivning", TextLimits.Text);
        if (!ownerExists)
        {
            e.Add(ValidationErrors.Join(path, "ownerUnitId"), $"Enheten {p.OwnerUnitId} finns inte.");
        }

        // A program is no goal: it has no level and so no time horizon, only years in order (ADR 23).
        TenantDocumentValidator.CheckValidity(e, path, p.ValidFromYear, p.ValidToYear, null, null, null);
    }
}
