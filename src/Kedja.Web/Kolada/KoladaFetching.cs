using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Kolada;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Kolada;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using static Kedja.Domain.FollowUp.ExplanationWords;

namespace Kedja.Web.Kolada;

/// <summary>How and when linked indicators are fetched from Kolada in the background (<c>Kedja:Kolada</c>, beside the client's settings); ADR 39.</summary>
public sealed class KoladaFetchOptions
{
    public const string Section = KoladaOptions.Section;

    /// <summary>Whether this node's scheduler fetches; tests drive <see cref="KoladaScheduler.RunOnceAsync"/> themselves with false.</summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>How often each tenant's linked indicators are fetched.</summary>
    public double FetchEveryHours { get; set; } = 24;

    /// <summary>How often the scheduler looks for a tenant whose time has come.</summary>
    public double PollMinutes { get; set; } = 5;

    /// <summary>How long a node holds a tenant's fetch before another may take it over (the node may have died).</summary>
    public double LeaseMinutes { get; set; } = 30;

    internal IEnumerable<string> Problems()
    {
        if (!(FetchEveryHours > 0 && FetchEveryHours <= 24 * 365))
        {
            yield return "Kedja:Kolada:FetchEveryHours måste vara större än 0 och högst 8760 (ett år).";
        }

        if (!(PollMinutes > 0 && PollMinutes <= 24 * 60))
        {
            yield return "Kedja:Kolada:PollMinutes måste vara större än 0 och högst 1440.";
        }

        if (!(LeaseMinutes > 0 && LeaseMinutes <= 24 * 60))
        {
            yield return "Kedja:Kolada:LeaseMinutes måste vara större än 0 och högst 1440.";
        }
    }
}

/// <summary>Why a value from Kolada waits for a person rather than being written, or was written and should be looked at.</summary>
public enum KoladaFlagKind
{
    /// <summary>Kolada changed a value it gave before; the new one was recorded and the earlier kept as a revision.</summary>
    Revised,

    /// <summary>The period's follow-up is submitted, approved or locked: Kolada's value (new or changed) was not written.</summary>
    Pending,

    /// <summary>A person entered (or imported) the stored value, and Kolada has another: a person's value is never overwritten.</summary>
    Manual,

    /// <summary>Kolada's value lies outside the indicator's plausible range and was not written.</summary>
    Implausible,
}

/// <summary>A value from Kolada for a person to review, beside the value Kedja holds (<c>Stored…</c>; before the revision for <see cref="KoladaFlagKind.Revised"/>).</summary>
public sealed record KoladaFlag(string PeriodKey, KoladaFlagKind Kind, decimal? Value, decimal? ValueWomen, decimal? ValueMen,
    decimal? StoredValue, decimal? StoredWomen, decimal? StoredMen, DateTime Since);

/// <summary>An indicator's link to Kolada and how its fetching stands, as the API and the page show it.</summary>
public sealed record KoladaStatusDto(
    Guid IndicatorId, string IndicatorName, Guid OwnerUnitId, string KpiId, string? KpiTitle, string? MunicipalityId, string? OuId, KoladaGender Gender,
    bool SplitByGender, PeriodKind Periodicity, bool KpiMissing, DateTime? LastFetchedAt, DateTime? LastAttemptAt, string? Error, List<KoladaFlag> Flags);

/// <summary>What one fetch did: values recorded (new), revised, unchanged, flagged for review, indicators that failed; and the statuses after it.</summary>
public sealed record KoladaFetchDto(int Indicators, int Recorded, int Revised, int Unchanged, int Flagged, int Failed, List<KoladaStatusDto> Statuses);

/// <summary>
/// The rules of fetching Kolada values into linked indicators (ADR 39), shared by the API, the page and the scheduler:
/// yearly values of the KPI for the calendar's years and five before, for the municipality or organisational unit and
/// the gender the indicator chose, written through <see cref="OutcomeRecording"/> (its workflow guard, revisions and
/// audit) as Kolada. A value equal to the stored one only gets its fetch time; a revised one is recorded and flagged;
/// what cannot be written (a closed follow-up, a person's own value, an implausible figure) is flagged, not written.
/// </summary>
public sealed class KoladaFetching(KedjaDbContext db, TenantContext tenant, IAuditActor actor, OutcomeRecording recording, KoladaClient kolada,
    TimeProvider clock, ILogger<KoladaFetching> logger, PeriodWriteGuard guard)
{
    public const int HistoryYears = 5;

    /// <summary>Who records the values: Kolada, for the person who asked when one did.</summary>
    public const string ActorName = "Kolada";

    public const string NotLinked = "Indikatorn är inte kopplad till Kolada. Ange nyckeltal och kommun eller enhet bland indikatorns uppgifter.";

    public const string AdminOnly = "Bara en administratör hämtar alla indikatorers värden från Kolada på en gång.";

    public const string OutsideScope = "Du får bara hämta och granska Kolada-värden för indikatorer på din egen enhet och enheterna under den.";

    public const string NothingToReview = "Det finns ingen flagga att granska.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Fetches every linked indicator of the tenant (administrators, and the scheduler as the system).</summary>
    public async Task<ServiceResult<KoladaFetchDto>> FetchAllAsync(CancellationToken cancellationToken = default)
    {
        if (!(tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin))
        {
            return ServiceError.Forbidden(AdminOnly);
        }

        var linked = await Linked().ToListAsync(cancellationToken);
        var ids = linked.Select(i => i.Id).ToList();
        // An indicator unlinked or removed since keeps no status.
        await db.KoladaLinkStatuses.Where(s => !ids.Contains(s.IndicatorId)).ExecuteDeleteAsync(cancellationToken);
        return await FetchAsync(linked, cancellationToken);
    }

    /// <summary>Fetches one indicator ("Hämta nu"): an editor of its unit or an administrator.</summary>
    public async Task<ServiceResult<KoladaFetchDto>> FetchIndicatorAsync(Guid indicatorId, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, indicator.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideScope);
        }

        if (!IsLinked(indicator))
        {
            return ServiceError.Invalid("koladaKpiId", NotLinked);
        }

        return await FetchAsync([indicator], cancellationToken);
    }

    /// <summary>Every linked indicator with how its fetching stands (never fetched: no time, no error), by name.</summary>
    public async Task<List<KoladaStatusDto>> StatusesAsync(CancellationToken cancellationToken = default)
    {
        var linked = await Linked().OrderBy(i => i.Name).ToListAsync(cancellationToken);
        var statuses = await db.KoladaLinkStatuses.AsNoTracking().ToDictionaryAsync(s => s.IndicatorId, cancellationToken);
        return [.. linked.Select(i => Dto(i, Current(statuses.GetValueOrDefault(i.Id), i)))];
    }

    public async Task<ServiceResult<KoladaStatusDto>> StatusAsync(Guid indicatorId, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        if (!IsLinked(indicator))
        {
            return ServiceError.NotFound(NotLinked);
        }

        var status = await db.KoladaLinkStatuses.AsNoTracking().SingleOrDefaultAsync(s => s.IndicatorId == indicatorId, cancellationToken);
        return Dto(indicator, Current(status, indicator));
    }

    /// <summary>
    /// "Granskat": clears the indicator's flags of one period (all when none is named). A revised outcome loses its
    /// mark; a difference not written is remembered as reviewed, so the next fetch does not flag the same value again.
    /// Saved through the change tracker, so the trail records who reviewed what (the status's flags before and after).
    /// </summary>
    public async Task<ServiceResult<KoladaStatusDto>> ReviewAsync(Guid indicatorId, string? periodKey, CancellationToken cancellationToken = default)
    {
        var indicator = await db.Indicators.AsNoTracking().SingleOrDefaultAsync(i => i.Id == indicatorId, cancellationToken);
        if (indicator is null)
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        if (!await UnitScope.AllowsAsync(tenant, db, indicator.OwnerUnitId, cancellationToken))
        {
            return ServiceError.Forbidden(OutsideScope);
        }

        var status = await db.KoladaLinkStatuses.SingleOrDefaultAsync(s => s.IndicatorId == indicatorId, cancellationToken);
        var flags = Read(status?.Flags);
        var clearing = flags.Where(f => periodKey is null || f.PeriodKey == periodKey).ToList();
        if (status is null || clearing.Count == 0)
        {
            return ServiceError.NotFound(NothingToReview);
        }

        status.Flags = Write(flags.Except(clearing));
        status.Reviewed = Write(Read(status.Reviewed).Concat(clearing.Where(f => f.Kind != KoladaFlagKind.Revised)));
        var revisedKeys = clearing.Where(f => f.Kind == KoladaFlagKind.Revised).Select(f => f.PeriodKey).ToList();
        if (revisedKeys.Count > 0)
        {
            foreach (var outcome in await db.Outcomes.Where(o => o.IndicatorId == indicatorId && revisedKeys.Contains(o.PeriodKey) && o.IsRevised).ToListAsync(cancellationToken))
            {
                outcome.IsRevised = false;
            }
        }

        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return Dto(indicator, status);
    }

    private IQueryable<Indicator> Linked() =>
        db.Indicators.AsNoTracking().Where(i => i.KoladaKpiId != null && i.KoladaKpiId != "" && (i.KoladaMunicipalityId != null || i.KoladaOuId != null));

    private static bool IsLinked(Indicator i) => !string.IsNullOrWhiteSpace(i.KoladaKpiId) && (i.KoladaMunicipalityId is not null || i.KoladaOuId is not null);

    private static bool ByOu(Indicator i) => !string.IsNullOrWhiteSpace(i.KoladaOuId);

    private static string Entity(Indicator i) => (ByOu(i) ? i.KoladaOuId! : i.KoladaMunicipalityId!).Trim();

    private static string Link(Indicator i) => $"{i.KoladaKpiId!.Trim()} {(ByOu(i) ? "enhet" : "kommun")} {Entity(i)}";

    /// <summary>"Kolada N00945, kommun 1280" or "Kolada N15033, enhet V15E128000101": where the value came from.</summary>
    public static string Reference(Indicator i) => $"Kolada {i.KoladaKpiId!.Trim()}, {(ByOu(i) ? "enhet" : "kommun")} {Entity(i)}";

    private static string GenderCode(KoladaGender gender) => gender switch
    {
        KoladaGender.Women => "K",
        KoladaGender.Men => "M",
        _ => "T",
    };

    public static string Unreachable(KoladaException e) => e is KoladaUnavailableException
        ? $"Kolada kunde inte nås, så inga värden hämtades. {e.Message}"
        : $"Hämtningen från Kolada misslyckades. {e.Message}";

    public static string KpiGone(string kpi) =>
        $"Nyckeltalet {kpi} finns inte längre i Kolada. Välj ett annat nyckeltal bland indikatorns uppgifter, eller ta bort kopplingen.";

    public static string NotYearly(PeriodKind kind) =>
        $"Indikatorn mäts {Periodicity(kind)}, men Kolada har bara värden per år. Inga värden hämtas förrän indikatorn mäts årsvis.";

    /// <summary>The stored status, or a fresh one when there is none or the link has changed since (the old flags were another KPI's).</summary>
    private static KoladaLinkStatus Current(KoladaLinkStatus? stored, Indicator indicator) =>
        stored is not null && stored.Link == Link(indicator)
            ? stored
            : new KoladaLinkStatus { TenantId = indicator.TenantId, IndicatorId = indicator.Id, Link = Link(indicator), LastAttemptAt = stored?.LastAttemptAt };

    private sealed class Work(Indicator indicator, KoladaLinkStatus status, bool isNew)
    {
        public Indicator Indicator { get; } = indicator;

        public KoladaLinkStatus Status { get; } = status;

        public bool IsNew { get; } = isNew;

        public int Recorded { get; set; }

        public int Revised { get; set; }

        public int Unchanged { get; set; }

        public int Flagged { get; set; }

        public bool Failed { get; set; }
    }

    /// <summary>A span and a duration per fetch, whoever asked (issue 18, ADR 51); "failed" when an indicator could not be fetched.</summary>
    private async Task<KoladaFetchDto> FetchAsync(List<Indicator> indicators, CancellationToken cancellationToken)
    {
        using var measured = Observability.KedjaTelemetry.Start(Observability.KedjaTelemetry.Work.KoladaFetch, tenant.Slug);
        try
        {
            var done = await FetchIndicatorsAsync(indicators, cancellationToken);
            System.Diagnostics.Activity.Current?.SetTag("kedja.kolada.indicators", done.Indicators).SetTag("kedja.kolada.failed", done.Failed);
            if (done.Failed > 0)
            {
                measured.Fail();
            }

            return done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            measured.Fail(exception: e);
            throw;
        }
    }

    private async Task<KoladaFetchDto> FetchIndicatorsAsync(List<Indicator> indicators, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (actor is HttpAuditActor http && !actor.Name.StartsWith(ActorName, StringComparison.Ordinal))
        {
            // The values are Kolada's, not the person's who pressed the button; the trail still names who asked.
            http.ActFor(actor.Name == "system" ? ActorName : $"{ActorName}, hämtat av {actor.Name}");
        }

        var ids = indicators.Select(i => i.Id).ToList();
        var stored = await db.KoladaLinkStatuses.AsNoTracking().Where(s => ids.Contains(s.IndicatorId)).ToDictionaryAsync(s => s.IndicatorId, cancellationToken);
        var work = indicators.Select(i =>
        {
            var status = Current(stored.GetValueOrDefault(i.Id), i);
            return new Work(i, status, !stored.ContainsKey(i.Id));
        }).ToList();
        if (work.Count == 0)
        {
            return Result(work);
        }

        void Fail(Work w, string message)
        {
            w.Status.LastAttemptAt = now;
            w.Status.LastError = message;
            w.Failed = true;
        }

        Dictionary<string, KoladaKpi> kpis;
        try
        {
            kpis = (await kolada.GetKpisAsync(work.Select(w => w.Indicator.KoladaKpiId!.Trim()).Distinct(), cancellationToken))
                .GroupBy(k => k.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }
        catch (KoladaException e)
        {
            logger.LogWarning("Kolada kunde inte nås för kommunen {Tenant}: {Message}", tenant.Slug, e.Message);
            work.ForEach(w => Fail(w, Unreachable(e)));
            await SaveStatusesAsync(work, cancellationToken);
            return Result(work);
        }

        var ready = new List<Work>();
        foreach (var w in work)
        {
            var kpi = w.Indicator.KoladaKpiId!.Trim();
            var meta = kpis.GetValueOrDefault(kpi);
            w.Status.KpiTitle = meta?.Title ?? w.Status.KpiTitle;
            w.Status.KpiMissing = meta is null || meta.IsDeleted;
            if (w.Status.KpiMissing)
            {
                Fail(w, KpiGone(kpi));
            }
            else if (w.Indicator.Periodicity != PeriodKind.Year)
            {
                Fail(w, NotYearly(w.Indicator.Periodicity));
            }
            else
            {
                ready.Add(w);
            }
        }

        var calendarYears = await db.Periods.AsNoTracking().Select(p => p.Year).Distinct().ToListAsync(cancellationToken);
        var (first, last) = calendarYears.Count == 0 ? (now.Year, now.Year) : (calendarYears.Min(), calendarYears.Max());
        var years = Enumerable.Range(first - HistoryYears, last - first + HistoryYears + 1).ToList();
        var states = await guard.LoadAsync([.. ready.Select(w => (w.Indicator.Id, w.Indicator.OwnerUnitId, w.Indicator.GoalId))], cancellationToken);

        // Indicators sharing a municipality (or unit) are asked for together: one request per 25 KPIs, not one per indicator.
        foreach (var group in ready.GroupBy(w => (Ou: ByOu(w.Indicator), Entity: Entity(w.Indicator))))
        {
            var groupKpis = group.Select(w => w.Indicator.KoladaKpiId!.Trim()).Distinct().ToList();
            IReadOnlyList<KoladaValue> values;
            try
            {
                values = group.Key.Ou
                    ? await kolada.GetOuDataAsync(groupKpis, [group.Key.Entity], years, cancellationToken)
                    : await kolada.GetDataAsync(groupKpis, [group.Key.Entity], years, null, cancellationToken);
            }
            catch (KoladaException e)
            {
                logger.LogWarning("Kolada kunde inte nås för kommunen {Tenant}: {Message}", tenant.Slug, e.Message);
                foreach (var w in group)
                {
                    Fail(w, Unreachable(e));
                }

                continue;
            }

            var byKpi = values.Where(v => v.Entity == group.Key.Entity).ToLookup(v => v.Kpi, StringComparer.Ordinal);
            foreach (var w in group)
            {
                if (await ApplyAsync(w, byKpi[w.Indicator.KoladaKpiId!.Trim()], states, now, cancellationToken) is { } problem)
                {
                    Fail(w, problem);
                }
            }
        }

        await SaveStatusesAsync(work, cancellationToken);
        return Result(work);
    }

    /// <summary>Writes what may be written of one indicator's values and flags the rest; the Swedish problem when nothing could be saved.</summary>
    private async Task<string?> ApplyAsync(Work w, IEnumerable<KoladaValue> values, PeriodWrites states, DateTime now, CancellationToken cancellationToken)
    {
        var indicator = w.Indicator;
        var wanted = GenderCode(indicator.KoladaGender);
        var figures = values.GroupBy(v => v.Year).Select(g =>
            {
                decimal? Pick(string code) => g.FirstOrDefault(v => v.Gender == code)?.Value is { } x ? Math.Round(x, 4, MidpointRounding.AwayFromZero) : null;
                return (Key: g.Key.ToString(CultureInfo.InvariantCulture), Value: Pick(wanted), Women: indicator.SplitByGender ? Pick("K") : null, Men: indicator.SplitByGender ? Pick("M") : null);
            })
            .Where(f => f.Value is not null || f.Women is not null || f.Men is not null)
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        var keys = figures.Select(f => f.Key).ToList();
        var stored = await db.Outcomes.AsNoTracking().Where(o => o.IndicatorId == indicator.Id && keys.Contains(o.PeriodKey)).ToDictionaryAsync(o => o.PeriodKey, cancellationToken);
        var reference = Reference(indicator);
        var entries = new List<OutcomeEntry>();
        var touched = new List<Guid>();
        var found = new List<KoladaFlag>();
        var revised = new List<KoladaFlag>();
        foreach (var f in figures)
        {
            var before = stored.GetValueOrDefault(f.Key);
            KoladaFlag Flag(KoladaFlagKind kind) => new(f.Key, kind, f.Value, f.Women, f.Men, before?.Value, before?.ValueWomen, before?.ValueMen, now);
            if (before is not null && before.Value == f.Value && before.ValueWomen == f.Women && before.ValueMen == f.Men)
            {
                w.Unchanged++;
                if (before.Source == ValueSource.Kolada && before.SourceReference == reference)
                {
                    touched.Add(before.Id);
                }
                else if (before.Source == ValueSource.Kolada && states.WriteResult(indicator.Id, indicator.OwnerUnitId, PeriodRef.Parse(f.Key), OutsideScope) is null)
                {
                    entries.Add(new OutcomeEntry(indicator.Id, f.Key, f.Value, f.Women, f.Men, before.Comment, before.Version) { Source = ValueSource.Kolada, SourceReference = reference, FetchedAt = now });
                }

                continue;
            }

            if (before is not null && before.Source != ValueSource.Kolada)
            {
                found.Add(Flag(KoladaFlagKind.Manual));
                continue;
            }

            // A closed follow-up, or a year that belonged to a unit the person does not act for (before a reorganisation),
            // waits for whoever may write it: a fetch by an administrator or the scheduler.
            if (states.WriteResult(indicator.Id, indicator.OwnerUnitId, PeriodRef.Parse(f.Key), OutsideScope) is not null)
            {
                found.Add(Flag(KoladaFlagKind.Pending));
                continue;
            }

            var implausible = new ValidationErrors();
            OutcomeRules.CheckPlausible(implausible, "", indicator, f.Value, f.Women, f.Men);
            if (implausible.Count > 0)
            {
                found.Add(Flag(KoladaFlagKind.Implausible));
                continue;
            }

            entries.Add(new OutcomeEntry(indicator.Id, f.Key, f.Value, f.Women, f.Men, before?.Comment, before?.Version)
            {
                Source = ValueSource.Kolada, SourceReference = reference, FetchedAt = now, FlagRevised = before is not null,
            });
            if (before is not null)
            {
                revised.Add(Flag(KoladaFlagKind.Revised));
            }
        }

        if (entries.Count > 0)
        {
            var result = await recording.RecordAllAsync(entries, cancellationToken);
            // Whatever the save left in the tracker (a refused batch) must not ride along with the statuses saved later.
            db.ChangeTracker.Clear();
            if (result.Error is { } error)
            {
                var details = (error.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value);
                return $"Värdena från Kolada kunde inte sparas: {string.Join(" ", new[] { error.Message }.Concat(details).Distinct())}";
            }

            w.Recorded += entries.Count(e => e.Version is null);
            w.Revised += revised.Count;
        }

        if (touched.Count > 0)
        {
            // The same value again: only its fetch time, past the change tracker, so no version, revision or data version moves.
            await db.Outcomes.Where(o => touched.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.FetchedAt, now), cancellationToken);
        }

        var status = w.Status;
        var reviewed = Read(status.Reviewed);
        var earlier = Read(status.Flags);
        var fresh = found.Where(f => !reviewed.Any(r => SameValue(r, f))).Select(f => earlier.FirstOrDefault(e => SameValue(e, f)) ?? f).ToList();
        var keptRevised = earlier.Where(e => e.Kind == KoladaFlagKind.Revised && !revised.Any(r => r.PeriodKey == e.PeriodKey));
        status.Flags = Write(keptRevised.Concat(revised).Concat(fresh));
        status.Reviewed = Write(reviewed.Where(r => found.Any(f => SameValue(r, f))));
        status.LastFetchedAt = now;
        status.LastAttemptAt = now;
        status.LastError = null;
        w.Flagged += revised.Count + fresh.Count(f => !earlier.Any(e => SameValue(e, f)));
        return null;
    }

    private static bool SameValue(KoladaFlag a, KoladaFlag b) =>
        a.PeriodKey == b.PeriodKey && a.Kind == b.Kind && a.Value == b.Value && a.ValueWomen == b.ValueWomen && a.ValueMen == b.ValueMen;

    /// <summary>Statuses are operational rows saved without row audit: a daily fetch must not fill the trail or raise the data version.</summary>
    private async Task SaveStatusesAsync(List<Work> work, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.SuppressRowAudit = true;
        try
        {
            foreach (var w in work)
            {
                if (w.IsNew)
                {
                    db.KoladaLinkStatuses.Add(w.Status);
                }
                else
                {
                    db.KoladaLinkStatuses.Update(w.Status);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // Another fetch of the same indicator (the schedule and a person's "Hämta nu") wrote at the same moment; its status stands.
            logger.LogInformation(e, "Kolada-statusen för kommunen {Tenant} skrevs samtidigt av en annan hämtning.", tenant.Slug);
        }
        finally
        {
            db.SuppressRowAudit = false;
            db.ChangeTracker.Clear();
        }
    }

    private static KoladaFetchDto Result(List<Work> work) => new(
        work.Count, work.Sum(w => w.Recorded), work.Sum(w => w.Revised), work.Sum(w => w.Unchanged), work.Sum(w => w.Flagged), work.Count(w => w.Failed),
        [.. work.Select(w => Dto(w.Indicator, w.Status))]);

    private static KoladaStatusDto Dto(Indicator i, KoladaLinkStatus s) => new(
        i.Id, i.Name, i.OwnerUnitId, i.KoladaKpiId!.Trim(), s.KpiTitle, ByOu(i) ? null : i.KoladaMunicipalityId, ByOu(i) ? i.KoladaOuId : null, i.KoladaGender,
        i.SplitByGender, i.Periodicity, s.KpiMissing, s.LastFetchedAt, s.LastAttemptAt, s.LastError,
        [.. Read(s.Flags).OrderBy(f => f.PeriodKey, StringComparer.Ordinal).ThenBy(f => f.Kind)]);

    private static List<KoladaFlag> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<KoladaFlag>>(json, Json) ?? [];

    private static string Write(IEnumerable<KoladaFlag> flags) => JsonSerializer.Serialize(flags.ToList(), Json);
}
