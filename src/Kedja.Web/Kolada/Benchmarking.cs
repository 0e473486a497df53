using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Kolada;
using Kedja.Web.Exchange;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Kolada;

/// <summary>
/// Benchmarking an indicator linked to a Kolada key figure (ADR 40): its own municipality's values beside a comparison
/// group's or chosen municipalities', the comparison's statistics per year, and target suggestions a person may accept.
/// Accepting goes through <see cref="IndicatorEditing"/> with the indicator's version, so its rules, permissions and
/// audit are those of any change of the indicator. When Kolada cannot be reached, the answer says so and carries
/// everything Kedja itself knows.
/// </summary>
public sealed partial class KoladaBenchmarking(
    KedjaDbContext db, KoladaClient kolada, BenchmarkingCache cache, IndicatorEditing indicators, TimeProvider clock, IOptions<KoladaOptions> koladaOptions)
{
    public const int DefaultYears = 5;

    public const int MaxYears = 20;

    public const string NotLinked = "Indikatorn är inte kopplad till något nyckeltal i Kolada. Koppla den till ett nyckeltal och en kommun för att kunna jämföra.";

    public const string NoDirection = "Indikatorn har ingen riktning där högre eller lägre är bättre, så Kedja föreslår inget målvärde.";

    /// <summary>The indicator's values beside the comparison the query names.</summary>
    public async Task<ServiceResult<Benchmark>> CompareAsync(Guid indicatorId, BenchmarkQuery query, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().Include(i => i.Targets).SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        if (indicator.KoladaKpiId is not { Length: > 0 } kpiId)
        {
            return ServiceError.Invalid("koladaKpiId", NotLinked);
        }

        if (OwnMunicipality(indicator) is not { } own)
        {
            return ServiceError.Invalid("koladaMunicipalityId", $"Det går inte att se vilken kommun enheten {indicator.KoladaOuId} hör till. Ange kommunen i indikatorns koppling till Kolada.");
        }

        var errors = new ValidationErrors();
        var yearCount = query.Years ?? DefaultYears;
        if (yearCount is < 1 or > MaxYears)
        {
            errors.Add("years", $"Antal år ska vara mellan 1 och {MaxYears}.");
        }

        var targetYears = await TargetYearsAsync(cancellationToken);
        var targetYear = query.TargetYear ?? targetYears[0];
        if (!targetYears.Contains(targetYear))
        {
            errors.Add("targetYear", $"Välj ett år för målvärdet mellan {targetYears[0]} och {targetYears[^1]}.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var gender = indicator.KoladaGender switch { KoladaGender.Women => "K", KoladaGender.Men => "M", _ => "T" };
        var currentTarget = indicator.Targets.SingleOrDefault(t => t.PeriodKey == Key(targetYear))?.Value;
        Benchmark Empty(string? unavailable) => new(
            indicator.Id, indicator.Name, indicator.UnitOfMeasure, indicator.Decimals, indicator.Direction, kpiId, kpiId, gender, own, own,
            query.Group is { Length: > 0 } g ? new BenchmarkGroup(g.Trim(), g.Trim()) : null, [], [], [], [], targetYear, targetYears, currentTarget, indicator.Version, unavailable);

        if (cache.Paused is { } paused)
        {
            return Empty(paused);
        }

        try
        {
            var kpi = (await CachedAsync($"kpi|{kpiId}", ct => kolada.GetKpisAsync([kpiId], ct), cancellationToken)).FirstOrDefault(k => k.Id == kpiId);
            if (kpi is null)
            {
                return ServiceError.Invalid("koladaKpiId", $"Kolada har inget nyckeltal {kpiId}. Kontrollera indikatorns koppling till Kolada.");
            }

            var municipalities = await MunicipalitiesAsync(cancellationToken);
            var titles = municipalities.ToDictionary(m => m.Id, m => m.Title, StringComparer.Ordinal);
            KoladaGroup? group = null;
            if (query.Group?.Trim() is { Length: > 0 } groupId)
            {
                group = await CachedAsync($"group|{groupId}", async ct => await kolada.GetGroupAsync(groupId, ct) ?? Missing, cancellationToken);
                if (ReferenceEquals(group, Missing))
                {
                    errors.Add("group", $"Kolada har ingen jämförelsegrupp {groupId}.");
                }
            }

            var chosen = Resolve(query.Municipalities ?? [], municipalities, out var unknown);
            if (unknown.Count > 0)
            {
                errors.Add("municipalities", $"Kolada känner inte till {string.Join(", ", unknown)}. Ange kommunkoder (fyra siffror) eller kommunernas namn.");
            }

            if (errors.Count > 0)
            {
                return ServiceError.Invalid(errors);
            }

            var compared = (group?.Members.Select(m => m.Id) ?? []).Concat(chosen).Where(id => id != own).Distinct(StringComparer.Ordinal).ToList();
            foreach (var member in group?.Members ?? [])
            {
                titles.TryAdd(member.Id, member.Title);
            }

            var latest = int.TryParse(kpi.PublPeriod, NumberStyles.None, CultureInfo.InvariantCulture, out var published) ? published : clock.GetUtcNow().Year - 1;
            var years = Enumerable.Range(latest - yearCount + 1, yearCount).ToList();
            var ids = compared.Prepend(own).Order(StringComparer.Ordinal).ToList();
            var values = (await CachedAsync($"data|{kpiId}|{string.Join(',', ids)}|{years[0]}-{years[^1]}", ct => kolada.GetDataAsync([kpiId], ids, years, cancellationToken: ct), cancellationToken))
                .Where(v => v.Kpi == kpiId && v.Gender == gender)
                .GroupBy(v => (v.Entity, v.Year)).ToDictionary(g => g.Key, g => g.First().Value);
            decimal? Value(string id, int year) => values.GetValueOrDefault((id, year));

            var statistics = years.Select(y => BenchmarkingStatistics.Year(y, compared.Select(id => Value(id, y)).OfType<decimal>(), Value(own, y), indicator.Direction)).ToList();
            var sortYear = statistics.LastOrDefault(s => s.Count > 0 || s.Own is not null)?.Year;
            var rows = compared.Select(id => new BenchmarkRow(id, titles.GetValueOrDefault(id, id), false, true, [.. years.Select(y => Value(id, y))]))
                .Prepend(new BenchmarkRow(own, titles.GetValueOrDefault(own, own), true, false, [.. years.Select(y => Value(own, y))]))
                .OrderBy(r => sortYear is { } y && Value(r.MunicipalityId, y) is not null ? 0 : 1)
                .ThenBy(r => sortYear is { } y && Value(r.MunicipalityId, y) is { } v ? indicator.Direction == Direction.LowerIsBetter ? v : -v : 0m)
                .ThenBy(r => r.Title, StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), ignoreCase: true))
                .ToList();
            return new Benchmark(
                indicator.Id, indicator.Name, indicator.UnitOfMeasure, indicator.Decimals, indicator.Direction, kpiId, kpi.Title, gender, own, titles.GetValueOrDefault(own, own),
                group is null ? null : new BenchmarkGroup(group.Id, group.Title), years, rows, statistics,
                BenchmarkingStatistics.Suggest(statistics, indicator.Direction, indicator.Decimals), targetYear, targetYears, currentTarget, indicator.Version, null);
        }
        catch (KoladaUnavailableException e)
        {
            cache.Pause(e.Message);
            return Empty(e.Message);
        }
        catch (KoladaException e)
        {
            return Empty(e.Message);
        }
    }

    /// <summary>
    /// The comparison groups and municipalities a person may pick from: groups whose name holds <paramref name="filter"/>,
    /// or without one the groups the indicator's municipality is in.
    /// </summary>
    public async Task<BenchmarkChoices> ChoicesAsync(Guid indicatorId, string? filter, int maxGroups = 200, CancellationToken cancellationToken = default)
    {
        if (cache.Paused is { } paused)
        {
            return new([], false, [], paused);
        }

        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        var own = indicator is null ? null : OwnMunicipality(indicator);
        try
        {
            var groups = await CachedAsync("groups", ct => kolada.GetGroupsAsync(ct), cancellationToken);
            var municipalities = await MunicipalitiesAsync(cancellationToken);
            var text = filter?.Trim() ?? "";
            var matching = groups
                .Where(g => text.Length > 0
                    ? g.Title.Contains(text, StringComparison.CurrentCultureIgnoreCase) || g.Id.Equals(text, StringComparison.OrdinalIgnoreCase)
                    : own is not null && g.Members.Any(m => m.Id == own))
                .OrderBy(g => g.Title, StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), ignoreCase: true))
                .Select(g => new BenchmarkGroup(g.Id, g.Title)).ToList();
            return new(
                [.. matching.Take(maxGroups)], matching.Count > maxGroups,
                [.. municipalities.Where(m => m.Type == "K" || m.Id == "0000").OrderBy(m => m.Title, StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), ignoreCase: true))
                    .Select(m => new BenchmarkGroup(m.Id, m.Title))],
                null);
        }
        catch (KoladaUnavailableException e)
        {
            cache.Pause(e.Message);
            return new([], false, [], e.Message);
        }
        catch (KoladaException e)
        {
            return new([], false, [], e.Message);
        }
    }

    /// <summary>
    /// Sets the indicator's target for <paramref name="year"/> to a suggestion the person accepted, through
    /// <see cref="IndicatorEditing.UpdateAsync"/>: the version read with the suggestion must still be the indicator's, or
    /// the answer is a conflict and nothing changes.
    /// </summary>
    public async Task<ServiceResult<VersionedIndicator>> AcceptAsync(
        Guid indicatorId, int year, decimal value, SuggestionKind kind, int fromYear, int? version, CancellationToken cancellationToken = default)
    {
        var read = await indicators.GetAsync(indicatorId, cancellationToken);
        if (read.Value is not { } current)
        {
            return read.Error!;
        }

        // Who may not change the indicator hears that first, whatever else is wrong with what they sent.
        if (!await indicators.MayEditAsync([current.OwnerUnitId], cancellationToken))
        {
            return ServiceError.Forbidden(IndicatorEditing.OutsideUnits);
        }

        if (current.Direction is not (Direction.HigherIsBetter or Direction.LowerIsBetter))
        {
            return ServiceError.Invalid("direction", NoDirection);
        }

        var targetYears = await TargetYearsAsync(cancellationToken);
        if (!targetYears.Contains(year))
        {
            return ServiceError.Invalid("year", $"Välj ett år för målvärdet mellan {targetYears[0]} och {targetYears[^1]}.");
        }

        var note = $"Från jämförelse i Kolada: {(kind == SuggestionKind.Median ? "medianen" : "bästa kvartilen")} {fromYear}.";
        var key = Key(year);
        var targets = current.Targets.Where(t => t.PeriodKey != key)
            .Append(new TargetDoc(key, value, null, null, note))
            .OrderBy(t => t.PeriodKey, StringComparer.Ordinal).ToList();
        return await indicators.UpdateAsync(indicatorId, current with { Targets = targets, Version = version }, cancellationToken: cancellationToken);
    }

    /// <summary>Next year first, then the calendar's years from this year on.</summary>
    private async Task<List<int>> TargetYearsAsync(CancellationToken cancellationToken)
    {
        var thisYear = clock.GetUtcNow().Year;
        var calendar = await db.Periods.AsNoTracking().Where(p => p.Year >= thisYear).Select(p => p.Year).Distinct().ToListAsync(cancellationToken);
        return [thisYear + 1, .. calendar.Where(y => y != thisYear + 1).Order()];
    }

    private static string Key(int year) => year.ToString(CultureInfo.InvariantCulture);

    /// <summary>The indicator's municipality, or the one its organisational unit's Kolada id names ("V15E0180…": 0180).</summary>
    private static string? OwnMunicipality(Indicator indicator) =>
        indicator.KoladaMunicipalityId?.Trim() is { Length: > 0 } municipality ? municipality
        : indicator.KoladaOuId is { } ou && OuMunicipality().Match(ou.Trim()) is { Success: true } m ? m.Groups[1].Value
        : null;

    [GeneratedRegex(@"^V\d{2}E(\d{4})")]
    private static partial Regex OuMunicipality();

    /// <summary>Kommunkoder and names as a person typed them, as Kolada's ids; what matches nothing is named in <paramref name="unknown"/>.</summary>
    private static List<string> Resolve(IEnumerable<string> typed, IReadOnlyList<KoladaMunicipality> municipalities, out List<string> unknown)
    {
        unknown = [];
        var ids = new List<string>();
        foreach (var token in typed.SelectMany(t => t.Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var match = municipalities.FirstOrDefault(m => m.Id == token)
                ?? municipalities.FirstOrDefault(m => string.Equals(m.Title, token, StringComparison.CurrentCultureIgnoreCase));
            if (match is null)
            {
                unknown.Add(token);
            }
            else
            {
                ids.Add(match.Id);
            }
        }

        return ids;
    }

    private Task<IReadOnlyList<KoladaMunicipality>> MunicipalitiesAsync(CancellationToken cancellationToken) =>
        CachedAsync("municipalities", ct => kolada.GetMunicipalitiesAsync(ct), cancellationToken);

    private Task<T> CachedAsync<T>(string key, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
        where T : class =>
        cache.GetAsync($"{koladaOptions.Value.BaseUrl}|{key}", fetch, cancellationToken);

    /// <summary>Remembered for a group Kolada does not have, so that asking again does not ask Kolada again.</summary>
    private static readonly KoladaGroup Missing = new("", "", []);
}
