using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.FollowUp;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Forecasts;

/// <summary>What a person may change of a forecast: its values and comment, from the version read (none for a new one).</summary>
public sealed record ForecastInput(decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version);

/// <summary>One forecast to record; a null <see cref="Value"/> in the outcome grid removes the forecast (the API requires a value).</summary>
public sealed record ForecastEntry(Guid IndicatorId, string PeriodKey, decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version);

/// <summary>
/// A forecast as GET gives it; PUT takes the same shape and reads only what <see cref="ForecastInput"/> names. The
/// status and explanation are computed when read.
/// </summary>
public sealed record VersionedForecast(Guid IndicatorId, string PeriodKey, int Year, decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment,
    string? RecordedBy, DateTime? RecordedAt, int? Version, StatusDto? Status, Explanation? Explanation);

/// <summary>
/// Records full-year forecasts by the rules every entry point shares (the API, the outcome grid): an indicator that
/// takes a forecast (<see cref="ForecastReading.Takes"/>), a period of the follow-up calendar (any kind, forecast-only
/// periods too), the editor's units only, nothing while the unit's follow-up of the period is submitted or locked,
/// every error at once and nothing saved, a stale version refused. Forecasts never change computed statuses.
/// </summary>
public sealed class ForecastRecording(KedjaDbContext db, IAuditActor actor, TimeProvider clock, PeriodWriteGuard guard)
{
    public const string OutsideScope = "Du får bara lämna prognoser för din egen enhet och enheterna under den.";

    public async Task<ServiceResult<VersionedForecast>> GetAsync(Guid indicatorId, string periodKey, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        var found = await PeriodAsync(periodKey, cancellationToken);
        if (found.Error is { } wrong)
        {
            return wrong;
        }

        var period = found.Value!;
        var models = await db.Models.AsNoTracking().Include(m => m.Scale).Where(m => m.FirstYear <= period.Year && m.LastYear >= period.Year).OrderBy(m => m.FirstYear).ToListAsync(cancellationToken);
        var modelId = indicator.GoalId is { } goal ? await db.Goals.Where(g => g.Id == goal).Select(g => (Guid?)g.ModelId).SingleOrDefaultAsync(cancellationToken) : null;
        var read = await ForecastReading.ForPeriodAsync(db, [indicator], period, models, _ => modelId, cancellationToken);
        return read.TryGetValue(indicator.Id, out var f)
            ? new VersionedForecast(indicator.Id, period.Key, f.Year, f.Value, f.ValueWomen, f.ValueMen, f.Comment, f.RecordedBy, f.RecordedAt, f.Version, f.Status, f.Explanation)
            : ServiceError.NotFound($"Indikatorn har ingen helårsprognos från {period.Name}.");
    }

    /// <summary>Records one forecast (a value is required): 404 for an unknown indicator or period, 403 outside the editor's units, 409 in a closed follow-up or on a stale version.</summary>
    public async Task<ServiceResult<VersionedForecast>> RecordAsync(ForecastEntry entry, CancellationToken cancellationToken = default)
    {
        var (_, error) = await SaveAsync([entry], batch: false, save: true, cancellationToken);
        return error is null ? await GetAsync(entry.IndicatorId, entry.PeriodKey, cancellationToken) : error;
    }

    /// <summary>
    /// Records many forecasts at once, all or nothing, in one save (and the caller's transaction, if it opened one); an
    /// entry without a value removes the forecast. Each problem is a field error under the entry's index ("[3].value").
    /// </summary>
    public async Task<ServiceError?> RecordAllAsync(IReadOnlyList<ForecastEntry> entries, CancellationToken cancellationToken = default) =>
        (await SaveAsync(entries, batch: true, save: true, cancellationToken)).Error;

    /// <summary>What <see cref="RecordAllAsync"/> would refuse, without saving.</summary>
    public async Task<ServiceError?> CheckAllAsync(IReadOnlyList<ForecastEntry> entries, CancellationToken cancellationToken = default) =>
        (await SaveAsync(entries, batch: true, save: false, cancellationToken)).Error;

    private async Task<ServiceResult<FollowUpPeriod>> PeriodAsync(string? periodKey, CancellationToken cancellationToken) =>
        FollowUpCalendar.ParseKey(periodKey).Error is { } malformed ? malformed : await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);

    private async Task<(bool Saved, ServiceError? Error)> SaveAsync(IReadOnlyList<ForecastEntry> entries, bool batch, bool save, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = entries.Select(e => e.IndicatorId).Distinct().ToList();
        var indicators = await db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var writes = await guard.LoadAsync([.. indicators.Values.Select(i => (i.Id, i.OwnerUnitId, i.GoalId))], cancellationToken);
        var calendar = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Key, StringComparer.Ordinal, cancellationToken);

        // A tenant has a handful of models: all of them, rather than a query per year.
        var models = await db.Models.AsNoTracking().ToListAsync(cancellationToken);
        var errors = new ValidationErrors();
        var seen = new HashSet<(Guid, string)>();
        var accepted = new List<(int Index, ForecastEntry Entry, Indicator Indicator, FollowUpPeriod Period)>();

        // A single forecast answers what is wrong with its indicator or period as such (404, 403, 409); a batch reports it by row.
        ServiceError? Refuse(int index, string field, ServiceError error)
        {
            if (!batch)
            {
                return error;
            }

            errors.Add($"[{index}].{field}", error.Message);
            return null;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var path = batch ? $"[{i}]" : "";
            if (!indicators.TryGetValue(entry.IndicatorId, out var indicator))
            {
                if (Refuse(i, "indicatorId", ServiceError.NotFound(batch ? $"Indikatorn {entry.IndicatorId} finns inte." : IndicatorEditing.NotFound)) is { } missing)
                {
                    return (false, missing);
                }

                continue;
            }

            if (FollowUpCalendar.ParseKey(entry.PeriodKey).Error is { } malformed)
            {
                if (Refuse(i, "periodKey", malformed) is { } refused)
                {
                    return (false, refused);
                }

                continue;
            }

            if (!calendar.TryGetValue(PeriodRef.Parse(entry.PeriodKey).Key, out var period))
            {
                if (Refuse(i, "periodKey", ServiceError.NotFound(FollowUpCalendar.NotInCalendar)) is { } refused)
                {
                    return (false, refused);
                }

                continue;
            }

            // Whose the forecast is goes by the owner at the period's end (a reorganisation since moves only later ones).
            if (writes.Scope(indicator.Id, indicator.OwnerUnitId, period.EndDate, OutsideScope) is { } outside)
            {
                if (Refuse(i, "indicatorId", outside) is { } forbidden)
                {
                    return (false, forbidden);
                }

                continue;
            }

            if (!ForecastReading.Takes(indicator, models, period.Year))
            {
                errors.Add(ValidationErrors.Join(path, "indicatorId"), indicator.Source == ValueSource.Kolada
                    ? "Indikatorn hämtas från Kolada och tar ingen helårsprognos."
                    : $"Styrmodellen för {period.Year} tar inga helårsprognoser för indikatorer.");
                continue;
            }

            if (!batch && entry.Value is null)
            {
                errors.Add("value", "Ange prognosen för helåret.");
            }

            errors.Value(ValidationErrors.Join(path, "value"), entry.Value);
            errors.Value(ValidationErrors.Join(path, "valueWomen"), entry.ValueWomen);
            errors.Value(ValidationErrors.Join(path, "valueMen"), entry.ValueMen);
            errors.Text(ValidationErrors.Join(path, "comment"), entry.Comment, "Kommentaren", TextLimits.Text);
            if (entry.Value is null && (entry.ValueWomen is not null || entry.ValueMen is not null || !string.IsNullOrWhiteSpace(entry.Comment)))
            {
                errors.Add(ValidationErrors.Join(path, "value"), "Ange prognosen för helåret, eller töm även kommentaren och värdena för kvinnor och män.");
            }

            if (!indicator.SplitByGender && (entry.ValueWomen is not null || entry.ValueMen is not null))
            {
                errors.Add(ValidationErrors.Join(path, "valueWomen"), "Indikatorn delas inte upp på kvinnor och män.");
            }

            OutcomeRules.CheckPlausible(errors, path, indicator, entry.Value, entry.ValueWomen, entry.ValueMen);
            if (!seen.Add((entry.IndicatorId, entry.PeriodKey)))
            {
                errors.Add(ValidationErrors.Join(path, "periodKey"), $"Prognosen från {period.Name} finns redan för indikatorn.");
            }

            accepted.Add((i, entry, indicator, period));
        }

        if (errors.Count > 0)
        {
            return (false, ServiceError.Invalid(errors));
        }

        var periodIds = accepted.Select(a => a.Period.Id).Distinct().ToList();
        var existing = await db.IndicatorForecasts.Where(f => ids.Contains(f.IndicatorId) && periodIds.Contains(f.PeriodId)).ToDictionaryAsync(f => (f.IndicatorId, f.PeriodId), cancellationToken);
        foreach (var (index, entry, indicator, period) in accepted)
        {
            if (writes.Closed(indicator.Id, indicator.OwnerUnitId, period) is { } closed && Refuse(index, "periodKey", closed) is { } refused)
            {
                return (false, refused);
            }

            if (existing.ContainsKey((indicator.Id, period.Id)) && entry.Version is null)
            {
                errors.Add(batch ? $"[{index}].version" : "version", "Prognosen finns redan. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
            }
        }

        if (errors.Count > 0)
        {
            return (false, ServiceError.Invalid(errors));
        }

        if (!save)
        {
            db.ChangeTracker.Clear();
            return (false, null);
        }

        foreach (var (_, entry, indicator, period) in accepted)
        {
            var comment = string.IsNullOrWhiteSpace(entry.Comment) ? null : entry.Comment.Trim();
            if (existing.TryGetValue((indicator.Id, period.Id), out var forecast))
            {
                db.ExpectVersion(forecast, entry.Version!.Value);
                if (entry.Value is not { } value)
                {
                    db.IndicatorForecasts.Remove(forecast);
                }
                else if (forecast.Value != value || forecast.ValueWomen != entry.ValueWomen || forecast.ValueMen != entry.ValueMen || forecast.Comment != comment)
                {
                    (forecast.Value, forecast.ValueWomen, forecast.ValueMen, forecast.Comment, forecast.RecordedBy, forecast.RecordedAt) =
                        (value, entry.ValueWomen, entry.ValueMen, comment, actor.Name, now);
                }
            }
            else if (entry.Value is { } value)
            {
                db.IndicatorForecasts.Add(new IndicatorForecast
                {
                    IndicatorId = indicator.Id, PeriodId = period.Id, Year = period.Year, Value = value, ValueWomen = entry.ValueWomen, ValueMen = entry.ValueMen,
                    Comment = comment, RecordedBy = actor.Name, RecordedAt = now,
                });
            }
        }

        return await db.TrySaveAsync() ? (true, null) : (false, ServiceError.Conflict());
    }
}
