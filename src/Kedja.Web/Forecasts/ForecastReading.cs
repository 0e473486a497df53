using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Periods;
using Kedja.Web.FollowUp;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Forecasts;

/// <summary>
/// An indicator's full-year forecast made at a follow-up period, with its status against the year's target (none for
/// a neutral indicator or a missing target) and the engine's explanation. Computed when read: a forecast never
/// changes a computed status.
/// </summary>
/// <param name="Target">The year's target the forecast is measured against; for a range, <see cref="TargetMin"/> and <see cref="TargetMax"/>.</param>
public sealed record ForecastDto(int Year, decimal Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, StatusDto? Status, Explanation Explanation,
    decimal? Target, decimal? TargetMin, decimal? TargetMax, string RecordedBy, DateTime RecordedAt, int Version);

/// <summary>Which indicators take a forecast, and the forecasts of a period as the scorecard, the goal page and the reports show them.</summary>
public static class ForecastReading
{
    /// <summary>
    /// An indicator takes a full-year forecast when a model of the year allows it (<see cref="GovernanceModel.AllowsIndicatorForecasts"/>)
    /// and its values are the unit's own: a value fetched from Kolada is someone else's statistic, published a year late.
    /// </summary>
    public static bool Takes(Indicator indicator, IEnumerable<GovernanceModel> models, int year) =>
        Takes(indicator.Source, models.Select(m => (m.AllowsIndicatorForecasts, m.Status, m.FirstYear, m.LastYear)), year);

    /// <summary>The same rule for what a tenant document or a model about to be saved says.</summary>
    public static bool Takes(ValueSource source, IEnumerable<(bool Allows, ModelStatus Status, int FirstYear, int LastYear)> models, int year) =>
        source != ValueSource.Kolada && models.Any(m => m.Allows && m.Status != ModelStatus.Archived && m.FirstYear <= year && m.LastYear >= year);

    /// <summary>The forecasts made at the period for these indicators, each measured against its year's target; two statements at most, none for no indicators.</summary>
    /// <param name="models">The models of the period's year, with their scales; <paramref name="modelOf"/> names an indicator's (its goal's), else the first is used.</param>
    public static async Task<Dictionary<Guid, ForecastDto>> ForPeriodAsync(KedjaDbContext db, IReadOnlyCollection<Indicator> indicators, FollowUpPeriod period,
        IReadOnlyList<GovernanceModel> models, Func<Indicator, Guid?> modelOf, CancellationToken cancellationToken)
    {
        if (indicators.Count == 0)
        {
            return [];
        }

        var ids = indicators.Select(i => i.Id).ToList();
        var forecasts = await db.IndicatorForecasts.AsNoTracking().Where(f => f.PeriodId == period.Id && ids.Contains(f.IndicatorId)).ToListAsync(cancellationToken);
        if (forecasts.Count == 0)
        {
            return [];
        }

        var byId = indicators.ToDictionary(i => i.Id);
        var year = period.Year;
        var forecastIds = forecasts.Select(f => f.IndicatorId).ToList();
        var keys = forecasts.SelectMany(f => ForecastEvaluator.TargetKeys(byId[f.IndicatorId].Periodicity, year)).Distinct().ToList();
        var targets = (await db.Targets.AsNoTracking().Where(t => forecastIds.Contains(t.IndicatorId) && keys.Contains(t.PeriodKey)).ToListAsync(cancellationToken))
            .ToLookup(t => t.IndicatorId);
        var scales = new Dictionary<Guid, FulfilmentScale>();
        return forecasts.ToDictionary(f => f.IndicatorId, f =>
        {
            var indicator = byId[f.IndicatorId];
            var model = (modelOf(indicator) is { } id ? models.FirstOrDefault(m => m.Id == id) : null) ?? models.FirstOrDefault();
            return Read(f, indicator, [.. targets[f.IndicatorId]], model, model is null ? FulfilmentScale.Standard : ScaleOf(model, scales));
        });
    }

    /// <summary>One forecast measured against the year's target under the model's scale and default rule (the standard ones without a model).</summary>
    public static ForecastDto Read(IndicatorForecast forecast, Indicator indicator, IReadOnlyCollection<IndicatorTarget> targets, GovernanceModel? model, FulfilmentScale scale)
    {
        var facts = new IndicatorFacts(indicator.Id, indicator.Name, indicator.Direction, indicator.Periodicity, new Dictionary<string, decimal?>(),
            targets.ToDictionary(t => t.PeriodKey, t => new TargetFacts(t.Value, t.Min, t.Max)), indicator.UnitOfMeasure, indicator.Decimals, indicator.Thresholds);
        var result = ForecastEvaluator.Evaluate(facts, forecast.Value, forecast.Year, scale, model?.DefaultThresholds ?? ThresholdRule.Standard);
        StatusDto? status = null;
        if (result.StatusKey is { } key)
        {
            var level = model?.Scale.FirstOrDefault(s => s.Key == key);
            status = level is null ? new StatusDto(key, scale.Label(key), "#5f6368", "") : new StatusDto(level.Key, level.Label, level.Colour, level.Symbol);
        }

        return new ForecastDto(forecast.Year, forecast.Value, forecast.ValueWomen, forecast.ValueMen, forecast.Comment, status, result.Explanation,
            result.Target?.Value, result.Target?.Min, result.Target?.Max, forecast.RecordedBy, forecast.RecordedAt, forecast.Version);
    }

    /// <summary>The model's scale as the engine sees it, with each level's forecast phrase.</summary>
    public static FulfilmentScale ScaleOf(GovernanceModel model, Dictionary<Guid, FulfilmentScale>? held = null)
    {
        if (held?.TryGetValue(model.Id, out var known) == true)
        {
            return known;
        }

        var scale = model.Scale.Count == 0 ? FulfilmentScale.Standard
            : new FulfilmentScale(model.Scale.Select(s => new ScaleStep(s.Key, s.Label, s.Score, s.IsNotAssessed, s.Plural, s.SingularCommon, s.SingularNeuter, s.ForecastPhrase)));
        held?.Add(model.Id, scale);
        return scale;
    }
}
