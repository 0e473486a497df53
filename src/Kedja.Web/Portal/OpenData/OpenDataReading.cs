using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.FollowUp;
using Kedja.Domain.Organisation;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Public;

namespace Kedja.Web.Portal.OpenData;

/// <summary>What the open data page and the catalogue describe: the municipality and its published periods, oldest first.</summary>
public sealed record OpenDataCatalogue(PublicTenantDto Tenant, List<PublicPeriodDto> Periods);

/// <summary>The licences a municipality chooses between, as open data names them (DCAT-AP-SE's Creative Commons URIs).</summary>
public static class OpenDataLicences
{
    public const string Cc0Uri = "http://creativecommons.org/publicdomain/zero/1.0/";

    public const string CcBy40Uri = "http://creativecommons.org/licenses/by/4.0/";

    public static OpenDataLicenceInfo For(OpenDataLicence licence, string municipality) => licence switch
    {
        OpenDataLicence.CcBy40 => new("CC BY 4.0", CcBy40Uri, $"Källa: {municipality}"),
        _ => new("CC0 1.0", Cc0Uri, null),
    };
}

/// <summary>
/// The open data of a municipality (issue 13, ADR 42): its published goal chain, indicators and outcomes, for one
/// published period or all of them. Reads only through <see cref="PublicReader"/>, so nothing unpublished can be in it;
/// an unknown municipality, one that has published nothing and a period that is not published are all not found.
/// </summary>
public sealed class OpenDataReading(PublicReader reader)
{
    /// <summary>The file name of all published periods together; no period key can be it (keys begin with a year).</summary>
    public const string AllPeriods = "alla";

    public const string KoladaAttribution = "Källa: Kolada";

    public Task<ServiceResult<OpenDataCatalogue>> CatalogueAsync(string slug, CancellationToken cancellationToken = default) =>
        reader.ReadAsync<OpenDataCatalogue>(slug, async t =>
            await PortalPeriod.PublishedAsync(t, cancellationToken) is { Value: { } found } ? new OpenDataCatalogue(found.Tenant, found.Periods) : ServiceError.NotFound(PublicReader.TenantMissing),
            cancellationToken);

    /// <param name="file">A published period's key, or <see cref="AllPeriods"/>.</param>
    /// <param name="schemaUrl">Where the file's JSON Schema is served, for its <c>$schema</c>.</param>
    public Task<ServiceResult<OpenDataDocument>> DocumentAsync(string slug, string file, string schemaUrl, CancellationToken cancellationToken = default) =>
        reader.ReadAsync<OpenDataDocument>(slug, async t =>
        {
            var published = await PortalPeriod.PublishedAsync(t, cancellationToken);
            if (published.Value is not { Tenant: var tenant, Periods: var all })
            {
                return published.Error!;
            }

            // Keys exactly as published: a file's address is stable, not one of several spellings.
            var periods = file == AllPeriods ? all : [.. all.Where(p => string.Equals(p.Key, file, StringComparison.Ordinal))];
            if (periods.Count == 0)
            {
                return ServiceError.NotFound(PublishedTenant.PeriodMissing);
            }

            var statuses = new Dictionary<string, Dictionary<Guid, StatusDto>>();
            foreach (var period in periods)
            {
                var found = await t.GoalStatusesAsync(period.Key, cancellationToken);
                if (found.Value is not { } list)
                {
                    return found.Error!;
                }

                statuses[period.Key] = list.ToDictionary(s => s.GoalId, s => s.Status);
            }

            var units = (await t.UnitsAsync(cancellationToken)).Value ?? [];
            var goals = (await t.GoalsAsync(null, cancellationToken)).Value ?? [];
            var indicators = (await t.IndicatorsAsync(null, null, cancellationToken)).Value ?? [];
            var history = await OrganisationHistory.ReadAsync(t.Data, cancellationToken);
            return Build(tenant, periods, statuses, units, goals, indicators, history, file == AllPeriods, schemaUrl);
        }, cancellationToken);

    private static OpenDataDocument Build(PublicTenantDto tenant, List<PublicPeriodDto> periods, Dictionary<string, Dictionary<Guid, StatusDto>> statuses,
        List<PublicUnitDto> units, List<PublicGoalDto> goals, List<PublicIndicatorDto> indicators, OrganisationHistory history, bool allPeriods, string schemaUrl)
    {
        var levels = tenant.Models.SelectMany(m => m.Levels).ToDictionary(l => l.Id, l => l.Name);
        var perspectives = tenant.Models.SelectMany(m => m.Dimensions).ToDictionary(d => d.Id, d => d.Name);

        // One period's file holds the goals the engine follows up in it (its models and their years of validity); the
        // file of all periods every published goal.
        var included = allPeriods ? goals : [.. goals.Where(g => periods.Any(p => statuses[p.Key].ContainsKey(g.Id)))];
        var goalIds = included.Select(g => g.Id).ToHashSet();
        var measured = indicators.Where(i => i.GoalId is not { } goal || goalIds.Contains(goal)).ToList();

        var goalOwners = goals.ToDictionary(g => g.Id, g => g.OwnerUnitId);

        Guid IndicatorOwnerAt(PublicIndicatorDto indicator, DateOnly date) =>
            indicator.GoalId is { } goalId && goalOwners.TryGetValue(goalId, out var goalOwner)
            && Ownership.FollowsGoal(history.Has(OwnedKind.Indicator, indicator.Id), indicator.OwnerUnitId, goalOwner)
                ? history.OwnerAt(OwnedKind.Goal, goalId, goalOwner, date)
                : history.OwnerAt(OwnedKind.Indicator, indicator.Id, indicator.OwnerUnitId, date);

        // A period's file describes the organisation at that period's end (units, their names and parents, the owners of
        // goals and indicators), so a later reorganisation does not rewrite it; the file of all periods describes today's.
        DateOnly? asOf = allPeriods || periods.Count == 0 ? null : periods.Max(p => p.EndDate);
        var unitsThen = asOf is { } day ? history.At(day) : null;
        var outcomes = new List<OpenDataOutcome>();
        var written = new HashSet<(Guid, string)>();
        foreach (var period in periods)
        {
            // The values a period's follow-up reads: every calendar period that ends within it (the year in the tertial
            // that closes it, the months of a tertial), as the published view lets through (ADR 17).
            var within = PeriodRef.Parse(period.Key).PeriodsEndingWithin().ToDictionary(r => r.Key);
            foreach (var indicator in measured)
            {
                var targets = indicator.Targets.ToDictionary(x => x.PeriodKey, StringComparer.Ordinal);
                foreach (var (outcome, of) in indicator.Outcomes
                             .Select(o => (Outcome: o, Of: within.TryGetValue(o.PeriodKey, out var r) ? r : (PeriodRef?)null))
                             .Where(o => o.Of is not null && (o.Outcome.Value ?? o.Outcome.ValueWomen ?? o.Outcome.ValueMen) is not null)
                             .OrderBy(o => o.Of!.Value))
                {
                    if (!written.Add((indicator.Id, outcome.PeriodKey)))
                    {
                        continue;
                    }

                    var range = of!.Value;
                    // As the engine reads targets (IndicatorEvaluator): the period's own, else its year's.
                    var target = targets.GetValueOrDefault(outcome.PeriodKey) ?? targets.GetValueOrDefault(PeriodRef.ForYear(range.Year).Key);
                    var kolada = outcome.Source == Domain.Indicators.ValueSource.Kolada;
                    // Outcomes never move (ADR 47): each is the owner's at its period's end, named as then.
                    var owner = IndicatorOwnerAt(indicator, range.End);
                    outcomes.Add(new OpenDataOutcome(indicator.Id, period.Key, outcome.PeriodKey, range.Start, range.End, OpenDataCsv.Plain(outcome.Value), OpenDataCsv.Plain(outcome.ValueWomen),
                        OpenDataCsv.Plain(outcome.ValueMen), OpenDataCsv.Plain(target?.Value), OpenDataCsv.Plain(target?.Min), OpenDataCsv.Plain(target?.Max), outcome.Source, kolada ? KoladaAttribution : null, kolada ? outcome.SourceReference : null,
                        owner, history.NameAt(owner, range.End)));
                }
            }
        }

        return new OpenDataDocument(
            schemaUrl,
            new OpenDataTenant(tenant.Slug, tenant.Name, tenant.Kommunkod),
            OpenDataLicences.For(tenant.Licence, tenant.Name),
            [.. periods.Select(p => new OpenDataPeriod(p.Key, p.Name, p.StartDate, p.EndDate, p.PublishedAt))],
            unitsThen is null
                ? [.. units.Select(u => new OpenDataUnit(u.Id, u.ParentId, u.Name, u.Kind, u.KindName))]
                : [.. units.Where(u => unitsThen.TryGetValue(u.Id, out var then) && then.IsActive)
                    .Select(u => new OpenDataUnit(u.Id, unitsThen[u.Id].ParentId, unitsThen[u.Id].Name, u.Kind, u.KindName))],
            [.. included.Select(g => new OpenDataGoal(g.Id, g.Code, g.Title, g.Description, g.LevelId, levels.GetValueOrDefault(g.LevelId, ""),
                g.DimensionId, g.DimensionId is { } d ? perspectives.GetValueOrDefault(d) : null,
                asOf is { } goalDay ? history.OwnerAt(OwnedKind.Goal, g.Id, g.OwnerUnitId, goalDay) : g.OwnerUnitId, g.ContributesTo, g.ValidFromYear, g.ValidToYear,
                [.. periods.Select(p => (p.Key, Status: statuses[p.Key].GetValueOrDefault(g.Id))).Where(s => s.Status is not null)
                    .Select(s => new OpenDataGoalStatus(s.Key, s.Status!.Key, s.Status.Label))]))],
            [.. measured.Select(i => new OpenDataIndicator(i.Id, i.Name, i.Description, i.UnitOfMeasure, i.Decimals, i.Direction, i.GoalId,
                asOf is { } indicatorDay ? IndicatorOwnerAt(i, indicatorDay) : i.OwnerUnitId, i.IsBasicMission, i.SplitByGender))],
            outcomes);
    }
}
