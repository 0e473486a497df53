using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Kolada;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Kolada;

/// <summary>A KPI found in Kolada's catalogue, as the search shows it.</summary>
public sealed record KoladaKpiHit(string Id, string Title, string? OperatingArea, bool IsDividedByGender, bool HasOuData);

/// <summary>
/// Finding a key figure in Kolada by its title and linking an indicator to it, so that nobody needs to know Kolada's
/// ids. The link is saved through <see cref="IndicatorEditing"/> with the version the person read: the indicator's
/// rules, the editor's units and the audit apply, and a change made meanwhile is a conflict.
/// </summary>
public sealed class KoladaLinking(KoladaClient client, BenchmarkingCache cache, IndicatorEditing indicators, KedjaDbContext db, TenantContext tenant)
{
    public const int MaxHits = 50;

    public async Task<ServiceResult<List<KoladaKpiHit>>> SearchAsync(string? text, CancellationToken cancellationToken = default)
    {
        var wanted = text?.Trim() ?? "";
        if (wanted.Length < 3)
        {
            return ServiceError.Invalid("sok", "Skriv minst tre tecken av nyckeltalets namn, t.ex. ”sjukfrånvaro”.");
        }

        // Kolada just failed on this node: say so at once instead of waiting through every retry again.
        if (cache.Paused is { } paused)
        {
            return ServiceError.Conflict(paused);
        }

        try
        {
            var found = await cache.GetAsync($"kpi-search:{wanted.ToLowerInvariant()}", async ct => await client.SearchKpisAsync(wanted, ct), cancellationToken);
            return found.Where(k => !k.IsDeleted).OrderBy(k => k.Title, StringComparer.Create(Domain.SwedishFormat.Culture, ignoreCase: true)).Take(MaxHits)
                .Select(k => new KoladaKpiHit(k.Id, k.Title, k.OperatingArea, k.IsDividedByGender, k.HasOuData)).ToList();
        }
        catch (KoladaException e)
        {
            var message = KoladaFetching.Unreachable(e);
            if (e is KoladaUnavailableException)
            {
                cache.Pause(message);
            }

            return ServiceError.Conflict(message);
        }
    }

    /// <summary>Links the indicator to the KPI for the municipality (the tenant's own kommunkod by default) or an organisational unit.</summary>
    public async Task<ServiceResult<VersionedIndicator>> LinkAsync(Guid indicatorId, string kpiId, string? municipalityId, string? ouId, KoladaGender gender, int? version,
        CancellationToken cancellationToken = default)
    {
        var current = await indicators.GetAsync(indicatorId, cancellationToken);
        if (current.Value is not { } indicator)
        {
            return current.Error!;
        }

        var municipality = string.IsNullOrWhiteSpace(municipalityId)
            ? await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => t.Kommunkod).SingleOrDefaultAsync(cancellationToken)
            : municipalityId.Trim();
        if (string.IsNullOrWhiteSpace(ouId) && string.IsNullOrEmpty(municipality))
        {
            return ServiceError.Invalid("kommun", "Ange kommunkoden (fyra siffror) som värdena ska hämtas för.");
        }

        return await indicators.UpdateAsync(indicatorId, indicator with
        {
            KoladaKpiId = kpiId.Trim(), KoladaMunicipalityId = string.IsNullOrWhiteSpace(ouId) ? municipality : null, KoladaOuId = string.IsNullOrWhiteSpace(ouId) ? null : ouId.Trim(),
            KoladaGender = gender, Source = ValueSource.Kolada, Version = version,
        }, cancellationToken: cancellationToken);
    }
}
