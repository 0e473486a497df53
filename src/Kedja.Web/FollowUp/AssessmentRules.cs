using Kedja.Domain;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;

namespace Kedja.Web.FollowUp;

/// <summary>What an assessment points at, looked up by the caller in the document or in the database.</summary>
/// <param name="GoalExists">Whether the assessed goal exists.</param>
/// <param name="Scale">The steps of the goal's model in their order (key and label); null when the goal is missing.</param>
/// <param name="PeriodInCalendar">Whether the period is one of the tenant's follow-up periods.</param>
public sealed record AssessmentReferences(bool GoalExists, IReadOnlyList<(string Key, string Label)>? Scale, bool PeriodInCalendar);

/// <summary>The rules of a goal's assessment, for the document importer and <see cref="AssessmentRecording"/> alike.</summary>
public static class AssessmentRules
{
    /// <summary>
    /// What an assessment must satisfy: a status of the goal's scale, a motivation when it deviates from the rule's
    /// suggestion, texts within bounds, and closed actions that say when and by whom.
    /// </summary>
    public static void Check(ValidationErrors e, string path, AssessmentDoc a, AssessmentReferences references)
    {
        if (!references.GoalExists)
        {
            e.Add(ValidationErrors.Join(path, "goalId"), $"Målet {a.GoalId} finns inte.");
        }
        else if (references.Scale is { } scale && scale.All(s => s.Key != a.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), $"Statusen '{a.Status}' finns inte i skalan. Välj en av: {string.Join(", ", scale.Select(s => s.Key))}.");
        }

        if (!PeriodRef.TryParse(a.PeriodKey, out _))
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), FollowUpCalendar.Malformed(a.PeriodKey));
        }
        else if (!references.PeriodInCalendar)
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), FollowUpCalendar.NotInCalendar);
        }

        if (a.DeviatesFromRule && string.IsNullOrWhiteSpace(a.Motivation))
        {
            var suggested = references.Scale?.FirstOrDefault(s => s.Key == a.SuggestedStatus).Label ?? a.SuggestedStatus;
            e.Add(ValidationErrors.Join(path, "motivation"), suggested is null
                ? "En bedömning som avviker från regelns förslag måste motiveras."
                : $"Bedömningen avviker från regelns förslag ({suggested}) och måste motiveras.");
        }

        e.Text(ValidationErrors.Join(path, "suggestedStatus"), a.SuggestedStatus, "Föreslagen status");
        e.Text(ValidationErrors.Join(path, "motivation"), a.Motivation, "Motiveringen", TextLimits.Long);
        e.Text(ValidationErrors.Join(path, "analysis"), a.Analysis, "Analysen", TextLimits.Long);
        e.Text(ValidationErrors.Join(path, "actions"), a.Actions, "Åtgärderna", TextLimits.Long);
        e.Required(ValidationErrors.Join(path, "assessedBy"), a.AssessedBy, "Vem som bedömde");
        if ((a.ActionsClosedAt is null) != string.IsNullOrWhiteSpace(a.ActionsClosedBy))
        {
            e.Add(ValidationErrors.Join(path, "actionsClosedBy"), "Ange både när och av vem åtgärderna stängdes, eller inget av dem.");
        }
        else if (a.ActionsClosedAt is not null && string.IsNullOrWhiteSpace(a.Actions))
        {
            e.Add(ValidationErrors.Join(path, "actionsClosedAt"), "Bedömningen har inga åtgärder som kan vara stängda.");
        }
    }
}
