using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Forecasts;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>
/// An indicator's full-year forecast (helårsprognos, issue 16) made at a follow-up period, as the tenant document carries
/// it: like an outcome, identified by its indicator and period, with who recorded it and when.
/// </summary>
public sealed record ForecastDoc(Guid IndicatorId, string PeriodKey, decimal Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, string RecordedBy, DateTime RecordedAt);

/// <summary>
/// Forecasts in the tenant document (ADR 47 section 2): read by indicator and period, checked with the rule of
/// <see cref="ForecastRecording"/> (an indicator that takes a forecast by the document's models, a period of its calendar,
/// once each) and written as the document gives them.
/// </summary>
public static class ForecastSection
{
    private const string Path = "$.forecasts";

    public static async Task<List<ForecastDoc>> ExportAsync(KedjaDbContext db, IReadOnlyDictionary<Guid, string> periodKeys, CancellationToken cancellationToken)
    {
        var forecasts = await db.IndicatorForecasts.AsNoTracking().ToListAsync(cancellationToken);
        return [.. forecasts.Select(f => new ForecastDoc(f.IndicatorId, periodKeys[f.PeriodId], DocumentNumbers.Normal(f.Value), DocumentNumbers.Normal(f.ValueWomen),
                DocumentNumbers.Normal(f.ValueMen), f.Comment, f.RecordedBy, f.RecordedAt))
            .OrderBy(f => TenantExporter.Key(f.IndicatorId)).ThenBy(f => f.PeriodKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every error of the section with its path. As with outcomes, the plausible range and the split by gender are not
    /// checked: a forecast's history may predate them, and an export must import again as it was.
    /// </summary>
    public static void Validate(ValidationErrors e, List<ForecastDoc>? forecasts, IReadOnlyDictionary<Guid, IndicatorDoc> indicators, IReadOnlySet<string> periods,
        IReadOnlyList<ModelDoc> models)
    {
        if (forecasts is null)
        {
            e.Add(Path, "Prognoserna saknas. Utelämna dem hellre: då har kommunen inga helårsprognoser.");
            return;
        }

        var years = models.Select(m => (m.AllowsIndicatorForecasts ?? true, m.Status, m.FirstYear, m.LastYear)).ToList();
        var seen = new HashSet<(Guid, string)>();
        for (var i = 0; i < forecasts.Count; i++)
        {
            var f = forecasts[i];
            var at = $"{Path}[{i}]";
            var indicator = indicators.GetValueOrDefault(f.IndicatorId);
            if (indicator is null)
            {
                e.Add($"{at}.indicatorId", $"Indikatorn {f.IndicatorId} finns inte.");
            }

            PeriodRef? period = null;
            if (FollowUpCalendar.ParseKey(f.PeriodKey).Error is { } malformed)
            {
                e.Add($"{at}.periodKey", malformed.Message);
            }
            else if (!periods.Contains(f.PeriodKey))
            {
                e.Add($"{at}.periodKey", $"Uppföljningsperioden '{f.PeriodKey}' finns inte.");
            }
            else
            {
                period = PeriodRef.Parse(f.PeriodKey);
                if (indicator is not null && !seen.Add((f.IndicatorId, f.PeriodKey)))
                {
                    e.Add($"{at}.periodKey", $"Prognosen från {period.Value.Label} finns redan för indikatorn.");
                }
            }

            if (indicator is not null && period is { } made && !ForecastReading.Takes(indicator.Source, years, made.Year))
            {
                e.Add($"{at}.indicatorId", indicator.Source == ValueSource.Kolada
                    ? "Indikatorn hämtas från Kolada och tar ingen helårsprognos."
                    : $"Styrmodellen för {made.Year} tar inga helårsprognoser för indikatorer.");
            }

            e.Value($"{at}.value", f.Value);
            e.Value($"{at}.valueWomen", f.ValueWomen);
            e.Value($"{at}.valueMen", f.ValueMen);
            e.Text($"{at}.comment", f.Comment, "Kommentaren", TextLimits.Text);
            e.Required($"{at}.recordedBy", f.RecordedBy, "Vem som lämnade prognosen");
        }
    }

    /// <summary>Adds the forecasts as the document gives them; the year forecast is the period's.</summary>
    public static void Add(KedjaDbContext db, List<ForecastDoc> forecasts, IReadOnlyDictionary<string, Guid> periods)
    {
        db.IndicatorForecasts.AddRange(forecasts.Select(f => new IndicatorForecast
        {
            IndicatorId = f.IndicatorId, PeriodId = periods[f.PeriodKey], Year = PeriodRef.Parse(f.PeriodKey).Year, Value = f.Value, ValueWomen = f.ValueWomen,
            ValueMen = f.ValueMen, Comment = string.IsNullOrWhiteSpace(f.Comment) ? null : f.Comment.Trim(), RecordedBy = f.RecordedBy, RecordedAt = f.RecordedAt,
        }));
    }
}
