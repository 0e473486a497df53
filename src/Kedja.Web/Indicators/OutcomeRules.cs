using Kedja.Domain;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using static Kedja.Domain.FollowUp.ExplanationWords;

namespace Kedja.Web.Indicators;

/// <summary>The rules of an outcome's values, for the document importer and <see cref="OutcomeRecording"/> alike.</summary>
public static class OutcomeRules
{
    /// <summary>
    /// What an outcome must satisfy: a well-formed period of the indicator's periodicity, numbers and texts within
    /// bounds, and who recorded it. <paramref name="periodicity"/> is the indicator's, null when there is no such indicator.
    /// </summary>
    public static void Check(ValidationErrors e, string path, OutcomeDoc o, PeriodKind? periodicity)
    {
        if (periodicity is null)
        {
            e.Add(ValidationErrors.Join(path, "indicatorId"), $"Indikatorn {o.IndicatorId} finns inte.");
        }

        if (!PeriodRef.TryParse(o.PeriodKey, out var period))
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), FollowUpCalendar.Malformed(o.PeriodKey));
        }
        else if (periodicity is { } kind && period.Kind != kind)
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), $"Indikatorn mäts {Periodicity(kind)}; {period.Label} passar inte.");
        }

        e.Required(ValidationErrors.Join(path, "recordedBy"), o.RecordedBy, "Vem som registrerade utfallet");
        e.Value(ValidationErrors.Join(path, "value"), o.Value);
        e.Value(ValidationErrors.Join(path, "valueWomen"), o.ValueWomen);
        e.Value(ValidationErrors.Join(path, "valueMen"), o.ValueMen);
        e.Text(ValidationErrors.Join(path, "comment"), o.Comment, "Kommentaren", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "sourceReference"), o.SourceReference, "Källhänvisningen");
        foreach (var (revision, r) in (o.Revisions ?? []).Select((x, n) => (x, n)))
        {
            var revisionPath = ValidationErrors.Join(path, $"revisions[{r}]");
            e.Value(revisionPath + ".value", revision.Value);
            e.Value(revisionPath + ".valueWomen", revision.ValueWomen);
            e.Value(revisionPath + ".valueMen", revision.ValueMen);
            e.Required(revisionPath + ".recordedBy", revision.RecordedBy, "Vem som registrerade värdet");
            e.Text(revisionPath + ".sourceReference", revision.SourceReference, "Källhänvisningen");
        }
    }

    /// <summary>
    /// A value outside the indicator's plausible range, where a person or a file enters it. Not in a tenant document:
    /// its history may predate a range set later, and an export must import again as it was.
    /// </summary>
    public static void CheckPlausible(ValidationErrors e, string path, Indicator indicator, decimal? value, decimal? women, decimal? men)
    {
        if (indicator.PlausibleMin is null && indicator.PlausibleMax is null)
        {
            return;
        }

        foreach (var (field, figure) in new[] { ("value", value), ("valueWomen", women), ("valueMen", men) })
        {
            if (figure is { } v && (v < indicator.PlausibleMin || v > indicator.PlausibleMax))
            {
                e.Add(ValidationErrors.Join(path, field), Implausible(indicator, v));
            }
        }
    }

    /// <summary>"Värdet 250 ligger utanför det rimliga för indikatorn (0–100). ..."</summary>
    public static string Implausible(Indicator indicator, decimal value)
    {
        string F(decimal? x) => x is { } n ? SwedishFormat.Number(n, DocumentNumbers.Normal(n).Scale) : "";
        var range = (indicator.PlausibleMin, indicator.PlausibleMax) switch
        {
            ({ }, { }) => $"{F(indicator.PlausibleMin)}–{F(indicator.PlausibleMax)}",
            ({ }, null) => $"lägst {F(indicator.PlausibleMin)}",
            _ => $"högst {F(indicator.PlausibleMax)}",
        };
        return $"Värdet {F(value)} ligger utanför det rimliga för indikatorn ({range}). Kontrollera värdet, eller ändra det rimliga intervallet på indikatorn.";
    }

    /// <summary>An indicator has one outcome per period: the second of a document or a batch is refused.</summary>
    public static void CheckUnique(ValidationErrors e, string path, HashSet<(Guid, string)> seen, Guid indicatorId, string? periodKey)
    {
        if (PeriodRef.TryParse(periodKey, out _) && !seen.Add((indicatorId, periodKey)))
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), $"Utfallet för {periodKey} finns redan för indikatorn.");
        }
    }
}
