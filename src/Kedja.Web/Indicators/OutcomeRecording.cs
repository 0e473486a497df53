using System.Diagnostics.CodeAnalysis;
using Kedja.Data;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Indicators;

/// <summary>
/// An outcome as the tenant document describes it, with its version: what GET gives. PUT takes it back as it is and
/// uses what a person may change (<see cref="OutcomeInput"/>); who recorded it, its source and its revisions follow.
/// </summary>
public sealed record VersionedOutcome : OutcomeDoc
{
    public VersionedOutcome()
    {
    }

    [SetsRequiredMembers]
    public VersionedOutcome(OutcomeDoc doc, int version)
        : base(doc) => Version = version;

    public int? Version { get; init; }
}

/// <summary>What a person may change of an outcome: its values and comment, from the version read (none for a new one).</summary>
public sealed record OutcomeInput(decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version);

/// <summary>
/// One outcome to record, from any entry point: a person through the API or a page (source manual), a file import or
/// a Kolada fetch (with their source and reference). <see cref="Version"/> is the one read; none for a new outcome.
/// </summary>
public sealed record OutcomeEntry(Guid IndicatorId, string PeriodKey, decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, int? Version)
{
    public ValueSource Source { get; init; } = ValueSource.Manual;

    public string? SourceReference { get; init; }

    public DateTime? FetchedAt { get; init; }

    /// <summary>A source revised a value it gave before: the outcome is flagged for review when its value changes (ADR 39).</summary>
    public bool FlagRevised { get; init; }
}

/// <summary>
/// Records outcomes by the rules every entry point shares: the values' own rules (<see cref="OutcomeRules"/>, also the
/// document importer's), a period of the indicator's periodicity, the editor's units only, nothing while the unit's
/// follow-up is submitted or locked, and the earlier value kept as a revision when a value changes.
/// </summary>
public sealed class OutcomeRecording(KedjaDbContext db, IAuditActor actor, TimeProvider clock, PeriodWriteGuard guard)
{
    public const string OutsideScope = "Du får bara registrera utfall för din egen enhet och enheterna under den.";

    /// <summary>The indicator's outcomes, oldest period first.</summary>
    public async Task<ServiceResult<List<VersionedOutcome>>> ListAsync(Guid indicatorId, CancellationToken cancellationToken = default)
    {
        if (!await db.Indicators.AnyAsync(i => i.Id == indicatorId, cancellationToken))
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        var outcomes = await WithRevisionsAsync(db.Outcomes.AsNoTracking().Where(o => o.IndicatorId == indicatorId), tracked: false, cancellationToken);
        return outcomes.OrderBy(o => PeriodRef.Parse(o.PeriodKey)).Select(Versioned).ToList();
    }

    public async Task<ServiceResult<VersionedOutcome>> GetAsync(Guid indicatorId, string periodKey, CancellationToken cancellationToken = default)
    {
        if (!await db.Indicators.AnyAsync(i => i.Id == indicatorId, cancellationToken))
        {
            return ServiceError.NotFound(IndicatorEditing.NotFound);
        }

        if (FollowUpCalendar.ParseKey(periodKey).Error is { } malformed)
        {
            return malformed;
        }

        var outcome = (await WithRevisionsAsync(db.Outcomes.AsNoTracking().Where(o => o.IndicatorId == indicatorId && o.PeriodKey == periodKey), tracked: false, cancellationToken))
            .SingleOrDefault();
        return outcome is null ? ServiceError.NotFound($"Indikatorn har inget utfall för {PeriodRef.Parse(periodKey).Label}.") : Versioned(outcome);
    }

    /// <summary>Records one outcome: 404 for an unknown indicator, 403 outside the editor's units, 409 in a closed follow-up.</summary>
    public async Task<ServiceResult<VersionedOutcome>> RecordAsync(OutcomeEntry entry, CancellationToken cancellationToken = default)
    {
        var (saved, error) = await SaveAsync([entry], batch: false, cancellationToken);
        return error is null ? saved![0] : error;
    }

    /// <summary>
    /// Records many outcomes at once, all or nothing, in one save (and the caller's transaction, if it opened one).
    /// Each problem is a field error under the entry's index ("[3].value"), so an import can show it by row. The
    /// indicators, the organisation, the follow-up states and the existing outcomes are read once for the whole batch.
    /// </summary>
    public async Task<ServiceResult<List<VersionedOutcome>>> RecordAllAsync(IReadOnlyList<OutcomeEntry> entries, CancellationToken cancellationToken = default)
    {
        var (saved, error) = await SaveAsync(entries, batch: true, cancellationToken);
        return error is null ? saved! : error;
    }

    /// <summary>
    /// What <see cref="RecordAllAsync"/> would refuse, without saving: a form whose other fields could not be read
    /// shows these beside them, so that a person fixes every error in one round.
    /// </summary>
    public async Task<ServiceError?> CheckAllAsync(IReadOnlyList<OutcomeEntry> entries, CancellationToken cancellationToken = default) =>
        (await SaveAsync(entries, batch: true, cancellationToken, save: false)).Error;

    private async Task<(List<VersionedOutcome>? Saved, ServiceError? Error)> SaveAsync(IReadOnlyList<OutcomeEntry> entries, bool batch, CancellationToken cancellationToken, bool save = true)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = entries.Select(e => e.IndicatorId).Distinct().ToList();
        var indicators = await db.Indicators.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var writes = await guard.LoadAsync([.. indicators.Values.Select(i => (i.Id, i.OwnerUnitId, i.GoalId))], cancellationToken);
        var errors = new ValidationErrors();
        var seen = new HashSet<(Guid, string)>();
        var accepted = new List<(int Index, OutcomeEntry Entry, Indicator Indicator)>();

        // A single outcome answers what is wrong with its indicator as such (404, 403); a batch reports it by row.
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
                    return (null, missing);
                }

                continue;
            }

            // Whose the value is goes by the owner when its period ended; a malformed period (refused below) by today's.
            var outside = PeriodRef.TryParse(entry.PeriodKey, out var result)
                ? writes.ScopeOfResult(indicator.Id, indicator.OwnerUnitId, result, OutsideScope)
                : writes.Scope(indicator.Id, indicator.OwnerUnitId, DateOnly.MaxValue, OutsideScope);
            if (outside is not null)
            {
                if (Refuse(i, "indicatorId", outside) is { } forbidden)
                {
                    return (null, forbidden);
                }

                continue;
            }

            OutcomeRules.Check(errors, path, Document(entry, now), indicator.Periodicity);
            OutcomeRules.CheckUnique(errors, path, seen, entry.IndicatorId, entry.PeriodKey);
            accepted.Add((i, entry, indicator));
        }

        if (errors.Count > 0)
        {
            return (null, ServiceError.Invalid(errors));
        }

        var keys = entries.Select(e => e.PeriodKey).Distinct().ToList();
        var existing = (await WithRevisionsAsync(db.Outcomes.Where(o => ids.Contains(o.IndicatorId) && keys.Contains(o.PeriodKey)), tracked: true, cancellationToken))
            .ToDictionary(o => (o.IndicatorId, o.PeriodKey));
        foreach (var (index, entry, indicator) in accepted)
        {
            if (writes.ClosedResult(indicator.Id, indicator.OwnerUnitId, PeriodRef.Parse(entry.PeriodKey)) is { } closed && Refuse(index, "periodKey", closed) is { } refused)
            {
                return (null, refused);
            }

            // A value kept as it was stays, even outside a plausible range set after it was entered.
            var before = existing.GetValueOrDefault((entry.IndicatorId, entry.PeriodKey));
            if (before is null || before.Value != entry.Value || before.ValueWomen != entry.ValueWomen || before.ValueMen != entry.ValueMen)
            {
                OutcomeRules.CheckPlausible(errors, batch ? $"[{index}]" : "", indicator, entry.Value, entry.ValueWomen, entry.ValueMen);
            }

            if (before is not null && entry.Version is null)
            {
                errors.Add(batch ? $"[{index}].version" : "version", "Utfallet finns redan. Ange versionen du ändrar, så att ingen annans ändring skrivs över.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, ServiceError.Invalid(errors));
        }

        if (!save)
        {
            db.ChangeTracker.Clear();
            return ([], null);
        }

        var saved = new List<Outcome>();
        foreach (var (_, entry, _) in accepted)
        {
            if (existing.TryGetValue((entry.IndicatorId, entry.PeriodKey), out var outcome))
            {
                db.ExpectVersion(outcome, entry.Version!.Value);
                Change(outcome, entry, now);
            }
            else
            {
                outcome = new Outcome { IndicatorId = entry.IndicatorId, PeriodKey = entry.PeriodKey, RecordedBy = actor.Name, RecordedAt = now };
                Set(outcome, entry);
                db.Outcomes.Add(outcome);
            }

            saved.Add(outcome);
        }

        return await db.TrySaveAsync() ? ([.. saved.Select(Versioned)], null) : (null, ServiceError.Conflict());
    }

    /// <summary>
    /// A changed value keeps the earlier one as a revision; any change is recorded as the actor's, now. Sending back
    /// what was read changes nothing but the version, so who recorded the value and when stay as they were.
    /// </summary>
    private void Change(Outcome outcome, OutcomeEntry entry, DateTime now)
    {
        var valuesChanged = outcome.Value != entry.Value || outcome.ValueWomen != entry.ValueWomen || outcome.ValueMen != entry.ValueMen;
        if (!valuesChanged && outcome.Comment == entry.Comment && outcome.Source == entry.Source && outcome.SourceReference == entry.SourceReference)
        {
            outcome.FetchedAt = entry.FetchedAt ?? outcome.FetchedAt;
            return;
        }

        if (valuesChanged)
        {
            outcome.Revisions.Add(new OutcomeRevision
            {
                OutcomeId = outcome.Id, Value = outcome.Value, ValueWomen = outcome.ValueWomen, ValueMen = outcome.ValueMen, Source = outcome.Source,
                SourceReference = outcome.SourceReference, RecordedBy = outcome.RecordedBy, RecordedAt = outcome.RecordedAt, ReplacedAt = now,
            });
            outcome.IsRevised |= entry.FlagRevised;
        }

        outcome.RecordedBy = actor.Name;
        outcome.RecordedAt = now;
        Set(outcome, entry);
    }

    private static void Set(Outcome outcome, OutcomeEntry entry)
    {
        outcome.Value = entry.Value;
        outcome.ValueWomen = entry.ValueWomen;
        outcome.ValueMen = entry.ValueMen;
        outcome.Comment = entry.Comment;
        outcome.Source = entry.Source;
        outcome.SourceReference = entry.SourceReference;
        outcome.FetchedAt = entry.FetchedAt;
    }

    /// <summary>The entry as the document would hold it once recorded, for the rules the importer applies too.</summary>
    private OutcomeDoc Document(OutcomeEntry entry, DateTime now) => new()
    {
        IndicatorId = entry.IndicatorId, PeriodKey = entry.PeriodKey, Value = entry.Value, ValueWomen = entry.ValueWomen, ValueMen = entry.ValueMen,
        Comment = entry.Comment, Source = entry.Source, SourceReference = entry.SourceReference, FetchedAt = entry.FetchedAt, RecordedBy = actor.Name, RecordedAt = now,
    };

    private static VersionedOutcome Versioned(Outcome outcome) => new(outcome.ToDoc(), outcome.Version);

    /// <summary>
    /// The outcomes with their revisions, in two plain reads. An Include orders the outcomes by their key for the split
    /// query, and SQLite (no statistics, ADR 19) then walks every outcome of the tenant in key order instead of seeking
    /// the indicators: 1.5 million rows on the L tenant, seconds for a grid of 50.
    /// </summary>
    private async Task<List<Outcome>> WithRevisionsAsync(IQueryable<Outcome> outcomes, bool tracked, CancellationToken cancellationToken)
    {
        var found = await outcomes.ToListAsync(cancellationToken);
        if (found.Count == 0)
        {
            return found;
        }

        var ids = found.Select(o => o.Id).ToList();
        var revisions = db.OutcomeRevisions.Where(r => ids.Contains(r.OutcomeId));
        var read = await (tracked ? revisions : revisions.AsNoTracking()).ToListAsync(cancellationToken);
        if (!tracked)
        {
            // Tracked revisions are fixed up into their outcomes by the context; untracked ones are placed by hand.
            var byOutcome = read.ToLookup(r => r.OutcomeId);
            foreach (var outcome in found)
            {
                outcome.Revisions = [.. byOutcome[outcome.Id]];
            }
        }

        return found;
    }
}
