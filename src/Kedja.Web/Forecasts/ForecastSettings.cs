using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Model;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Forecasts;

/// <summary>A scale step's forecast wording: its own phrase (null: the standard) and the words a forecast uses now.</summary>
/// <param name="Words">What a forecast at the step says: the own phrase, else the standard ("uppfylls delvis", "bedöms bli gul").</param>
public sealed record ForecastPhraseSetting(string Key, string Label, bool IsNotAssessed, string? ForecastPhrase, string Words);

/// <summary>A model's forecast settings as GET gives them and PUT takes them back, with the model's version.</summary>
public sealed record ForecastSettingsDto(Guid ModelId, bool AllowsIndicatorForecasts, List<ForecastPhraseSetting> Scale, int Version);

/// <summary>A step's own forecast phrase; empty or null goes back to the standard wording.</summary>
public sealed record ForecastPhraseInput(string? Key, string? ForecastPhrase);

/// <summary>What to change: a value left out (null) is kept; the version is that of the model read.</summary>
public sealed record ForecastSettingsInput(bool? AllowsIndicatorForecasts, List<ForecastPhraseInput>? Scale, int? Version);

/// <summary>
/// Whether a governance model takes full-year forecasts of indicators, and how each step of its scale is said of a
/// forecast (issue 16, ADR 47 §2). Administrators change them, from the model's version read; the API and the model's
/// pages alike. The model row is always written, so the version guards the phrases as well, and SaveChanges audits it.
/// </summary>
public sealed class ForecastSettings(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan ändra inställningarna för prognoser.";

    public const string ModelMissing = "Styrmodellen finns inte.";

    public async Task<ServiceResult<ForecastSettingsDto>> GetAsync(Guid modelId, CancellationToken cancellationToken = default)
    {
        var model = await db.Models.AsNoTracking().Include(m => m.Scale).SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        return model is null ? ServiceError.NotFound(ModelMissing) : ToDto(model);
    }

    /// <summary>Changes the switch and the phrases given, every error at once and nothing saved on any.</summary>
    public async Task<ServiceResult<ForecastSettingsDto>> UpdateAsync(Guid modelId, ForecastSettingsInput input, CancellationToken cancellationToken = default)
    {
        if (!tenant.IsSystemAdmin && tenant.Role != TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var model = await db.Models.Include(m => m.Scale).SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        if (model is null)
        {
            return ServiceError.NotFound(ModelMissing);
        }

        var errors = new ValidationErrors();
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        var phrases = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (p, i) in (input.Scale ?? []).Select((p, i) => (p, i)))
        {
            var path = $"scale[{i}]";
            if (p is null || model.Scale.All(s => s.Key != p.Key))
            {
                errors.Add($"{path}.key", $"Steget {p?.Key} finns inte i styrmodellens skala.");
                continue;
            }

            if (!phrases.TryAdd(p.Key!, string.IsNullOrWhiteSpace(p.ForecastPhrase) ? null : p.ForecastPhrase.Trim()))
            {
                errors.Add($"{path}.key", $"Steget {p.Key} står två gånger.");
                continue;
            }

            errors.Text($"{path}.forecastPhrase", phrases[p.Key!], "Prognosfrasen");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(model, input.Version!.Value);
        if (input.AllowsIndicatorForecasts is { } allows)
        {
            model.AllowsIndicatorForecasts = allows;
        }

        foreach (var step in model.Scale.Where(s => phrases.ContainsKey(s.Key)))
        {
            step.ForecastPhrase = phrases[step.Key];
        }

        return await db.TrySaveAsync() ? ToDto(model) : ServiceError.Conflict();
    }

    private static ForecastSettingsDto ToDto(GovernanceModel model) =>
        new(model.Id, model.AllowsIndicatorForecasts, [.. model.Scale.OrderBy(s => s.SortOrder).Select(s => new ForecastPhraseSetting(s.Key, s.Label, s.IsNotAssessed, s.ForecastPhrase,
            new ScaleStep(s.Key, s.Label, s.Score, s.IsNotAssessed, s.Plural, s.SingularCommon, s.SingularNeuter, s.ForecastPhrase).ForecastWords()))], model.Version);
}
