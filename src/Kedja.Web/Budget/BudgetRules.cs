using Kedja.Domain;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;

namespace Kedja.Web.Budget;

/// <summary>What a budget frame points at, looked up by the caller in the document or in the database.</summary>
/// <param name="ModelYears">The years of the tenant's governance models (mandate periods), first and last of each.</param>
/// <param name="PeriodInCalendar">Whether a period key is one of the tenant's follow-up periods.</param>
public sealed record BudgetReferences(bool UnitExists, IReadOnlyList<(int First, int Last)> ModelYears, Func<string, bool> PeriodInCalendar);

/// <summary>The rules of a budget frame and its outcomes, for the document importer and <see cref="BudgetEditing"/> alike.</summary>
public static class BudgetRules
{
    /// <summary>What a frame and its outcomes must satisfy, with errors under <paramref name="path"/> ("" for a request body).</summary>
    public static void Check(ValidationErrors e, string path, BudgetDoc b, BudgetReferences references)
    {
        CheckFrame(e, path, b, references);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (outcome, o) in (b.Outcomes ?? []).Select((x, n) => (x, n)))
        {
            var at = ValidationErrors.Join(path, $"outcomes[{o}]");
            CheckOutcome(e, at, b.Year, outcome, references.PeriodInCalendar, seen);
            CheckForecastComment(e, at, outcome.Forecast, outcome.ForecastComment);
            CheckExplained(e, at, outcome);
        }

        // A draft is next year's proposal: nothing is reported on it until the year is activated (BudgetEditing reads no drafts).
        if (b.IsDraft && b.Outcomes is { Count: > 0 })
        {
            e.Add(ValidationErrors.Join(path, "outcomes"), "Ett utkast till budgetram har inga utfall; utfall rapporteras när året har aktiverats.");
        }
    }

    /// <summary>
    /// An explanation as it was given, in a document: within the length of a comment, with who gave it and when, and
    /// neither without it. Whether the forecast still deviates is not asked: the frame or forecast may have changed since.
    /// </summary>
    private static void CheckExplained(ValidationErrors e, string path, BudgetOutcomeDoc outcome)
    {
        if (Text(outcome.DeviationExplanation) is { } text)
        {
            e.Text(ValidationErrors.Join(path, "deviationExplanation"), text, "Förklaringen", TextLimits.Text);
            e.Required(ValidationErrors.Join(path, "explainedBy"), outcome.ExplainedBy, "Vem som förklarade avvikelsen");
            if (outcome.ExplainedAt is null)
            {
                e.Add(ValidationErrors.Join(path, "explainedAt"), "Ange när avvikelsen förklarades.");
            }
        }
        else if (outcome.ExplainedBy is not null || outcome.ExplainedAt is not null)
        {
            e.Add(ValidationErrors.Join(path, "deviationExplanation"), "Vem som förklarade och när hör till en förklaring. Skriv förklaringen eller ta bort dem.");
        }
    }

    /// <summary>The frame itself: its unit, a year of the models' mandate periods, an amount within bounds, a short note.</summary>
    public static void CheckFrame(ValidationErrors e, string path, BudgetDoc b, BudgetReferences references)
    {
        if (!references.UnitExists)
        {
            e.Add(ValidationErrors.Join(path, "unitId"), $"Enheten {b.UnitId} finns inte.");
        }

        if (!Years.Contains(b.Year))
        {
            e.Add(ValidationErrors.Join(path, "year"), Years.Message);
        }
        // A draft frame belongs to next year's planning, whose year the model reaches only when the year is activated.
        else if (!b.IsDraft && !references.ModelYears.Any(m => b.Year >= m.First && b.Year <= m.Last))
        {
            e.Add(ValidationErrors.Join(path, "year"), references.ModelYears.Count == 0
                ? "Kommunen har ingen styrmodell, så det finns inget budgetår att ange en ram för."
                : $"Budgetåret {b.Year} ligger utanför styrmodellens år ({string.Join(", ", references.ModelYears.Order().Select(m => $"{m.First}-{m.Last}"))}).");
        }

        e.Value(ValidationErrors.Join(path, "amount"), b.Amount);
        e.Text(ValidationErrors.Join(path, "note"), b.Note, "Anteckningen");
    }

    /// <summary>
    /// One outcome of a frame: a period of the follow-up calendar within the budget year, once per frame (when
    /// <paramref name="seen"/> is given), and figures within bounds.
    /// </summary>
    public static void CheckOutcome(ValidationErrors e, string path, int year, BudgetOutcomeDoc outcome, Func<string, bool> periodInCalendar, HashSet<string>? seen)
    {
        var key = ValidationErrors.Join(path, "periodKey");
        if (!PeriodRef.TryParse(outcome.PeriodKey, out var period))
        {
            e.Add(key, FollowUpCalendar.Malformed(outcome.PeriodKey));
        }
        else if (period.Year != year)
        {
            e.Add(key, $"Perioden {period.Label} ligger utanför budgetåret {year}.");
        }
        else if (seen is not null && !seen.Add(outcome.PeriodKey))
        {
            e.Add(key, $"Utfallet för {outcome.PeriodKey} finns redan i budgetramen.");
        }
        else if (!periodInCalendar(outcome.PeriodKey))
        {
            e.Add(key, FollowUpCalendar.NotInCalendar);
        }

        e.Value(ValidationErrors.Join(path, "actual"), outcome.Actual);
        e.Value(ValidationErrors.Join(path, "forecast"), outcome.Forecast);
    }

    /// <summary>A comment says what a forecast rests on, so it needs the forecast; within the length of a comment.</summary>
    public static void CheckForecastComment(ValidationErrors e, string path, decimal? forecast, string? comment)
    {
        var key = ValidationErrors.Join(path, "forecastComment");
        if (Text(comment) is { } text)
        {
            if (forecast is null)
            {
                e.Add(key, "Kommentaren hör till helårsprognosen. Ange prognosen eller ta bort kommentaren.");
            }

            e.Text(key, text, "Kommentaren", TextLimits.Text);
        }
    }

    /// <summary>
    /// The explanation of a deviation: required, within the length of a comment, and only for an outcome with a
    /// forecast that differs from the frame (the deviation is the frame minus the forecast).
    /// </summary>
    public static void CheckExplanation(ValidationErrors e, string path, decimal frame, decimal? forecast, string? explanation)
    {
        var key = ValidationErrors.Join(path, "explanation");
        if (Text(explanation) is not { } text)
        {
            e.Add(key, "Skriv förklaringen till avvikelsen mot budget.");
        }
        else
        {
            e.Text(key, text, "Förklaringen", TextLimits.Text);
        }

        if (forecast is null)
        {
            e.Add(key, "Avvikelsen räknas mot helårsprognosen. Ange prognosen innan du förklarar avvikelsen.");
        }
        else if (forecast == frame)
        {
            e.Add(key, "Prognosen är lika med ramen, så det finns ingen avvikelse att förklara.");
        }
    }

    /// <summary>A text as stored: trimmed, none when blank.</summary>
    public static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
