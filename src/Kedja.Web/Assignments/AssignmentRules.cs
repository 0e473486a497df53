using Kedja.Domain;
using Kedja.Domain.Assignments;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;

namespace Kedja.Web.Assignments;

/// <summary>What an assignment points at, looked up by the caller in the document or in the database.</summary>
public sealed record AssignmentReferences(Func<Guid, bool> UnitExists, Func<Guid, bool> GoalExists, Func<string, bool> PeriodInCalendar);

/// <summary>The rules of an assignment and its reports (issue 15, ADR 46), for the document importer and the services alike.</summary>
public static class AssignmentRules
{
    public static void Check(ValidationErrors e, string path, AssignmentDoc a, AssignmentReferences references)
    {
        e.Required(ValidationErrors.Join(path, "title"), a.Title, "Uppdragets rubrik");
        e.Required(ValidationErrors.Join(path, "text"), a.Text, "Uppdragets text", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "decisionParagraph"), a.DecisionParagraph, "Paragrafen (§) i beslutet");
        if (a.Number < 0)
        {
            e.Add(ValidationErrors.Join(path, "number"), "Uppdragets nummer är ett positivt heltal.");
        }

        if (!Enum.IsDefined(a.Giver))
        {
            e.Add(ValidationErrors.Join(path, "giver"), "Okänd uppdragsgivare.");
        }
        else if (a.Giver == AssignmentGiver.Committee && a.GiverUnitId is null)
        {
            e.Add(ValidationErrors.Join(path, "giverUnitId"), "Ange vilken nämnd som gav uppdraget.");
        }

        if (a.GiverUnitId is { } giver && !references.UnitExists(giver))
        {
            e.Add(ValidationErrors.Join(path, "giverUnitId"), $"Enheten {giver} finns inte.");
        }

        if (!references.UnitExists(a.ResponsibleUnitId))
        {
            e.Add(ValidationErrors.Join(path, "responsibleUnitId"), $"Enheten {a.ResponsibleUnitId} finns inte.");
        }

        e.Year(ValidationErrors.Join(path, "decidedOn"), a.DecidedOn.Year);
        if (a.DueDate is { } due)
        {
            e.Year(ValidationErrors.Join(path, "dueDate"), due.Year);
            if (due < a.DecidedOn)
            {
                e.Add(ValidationErrors.Join(path, "dueDate"), "Uppdraget kan inte vara klart före beslutsdagen.");
            }

            if (a.DuePeriodKey is not null)
            {
                e.Add(ValidationErrors.Join(path, "duePeriodKey"), "Ange antingen ett datum eller en period då uppdraget ska vara klart, inte båda.");
            }
        }
        else if (a.DuePeriodKey is not null)
        {
            Period(e, ValidationErrors.Join(path, "duePeriodKey"), a.DuePeriodKey, references);
        }

        if (!Enum.IsDefined(a.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Okänd status.");
        }
        else if (a.Status == AssignmentStatus.NotDone && string.IsNullOrWhiteSpace(a.StatusReason))
        {
            e.Add(ValidationErrors.Join(path, "statusReason"), "Ange varför uppdraget inte genomfördes.");
        }
        else if (AssignmentDue.IsClosed(a.Status) != (a.ClosedOn is not null))
        {
            e.Add(ValidationErrors.Join(path, "closedOn"), AssignmentDue.IsClosed(a.Status)
                ? "Ett avslutat uppdrag har ett datum då det avslutades."
                : "Bara ett avslutat uppdrag har ett datum då det avslutades.");
        }

        e.Text(ValidationErrors.Join(path, "statusReason"), a.StatusReason, "Skälet", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "closedBy"), a.ClosedBy, "Vem som avslutade uppdraget");
        var goals = new HashSet<Guid>();
        for (var g = 0; g < a.GoalIds.Count; g++)
        {
            if (!goals.Add(a.GoalIds[g]))
            {
                e.Add(ValidationErrors.Join(path, $"goalIds[{g}]"), "Målet är redan kopplat till uppdraget.");
            }
            else if (!references.GoalExists(a.GoalIds[g]))
            {
                e.Add(ValidationErrors.Join(path, $"goalIds[{g}]"), $"Målet {a.GoalIds[g]} finns inte.");
            }
        }

        var periods = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < a.Reports.Count; r++)
        {
            var at = ValidationErrors.Join(path, $"reports[{r}]");
            if (!periods.Add(a.Reports[r].PeriodKey ?? ""))
            {
                e.Add(ValidationErrors.Join(at, "periodKey"), "Uppdraget har redan en rapport för perioden.");
            }

            CheckReport(e, at, a.Reports[r], references);
        }
    }

    /// <summary>A report for a follow-up period: its period, its text, who wrote it, and a status the unit may report (not closed: only the giver closes).</summary>
    public static void CheckReport(ValidationErrors e, string path, AssignmentReportDoc report, AssignmentReferences references)
    {
        Period(e, ValidationErrors.Join(path, "periodKey"), report.PeriodKey, references);
        e.Required(ValidationErrors.Join(path, "text"), report.Text, "Rapportens text", TextLimits.Long);
        e.Required(ValidationErrors.Join(path, "writtenBy"), report.WrittenBy, "Vem som skrev rapporten");
        if (!Enum.IsDefined(report.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Okänd status.");
        }
        else if (AssignmentDue.IsClosed(report.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Bara den som gav uppdraget avslutar det; rapportera ej påbörjat, pågår eller klart.");
        }
    }

    private static void Period(ValidationErrors e, string path, string? key, AssignmentReferences references)
    {
        if (!PeriodRef.TryParse(key, out _))
        {
            e.Add(path, FollowUpCalendar.Malformed(key));
        }
        else if (!references.PeriodInCalendar(key!))
        {
            e.Add(path, FollowUpCalendar.NotInCalendar);
        }
    }
}
