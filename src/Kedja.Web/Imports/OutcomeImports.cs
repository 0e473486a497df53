using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Bulk;
using Kedja.Domain;
using Kedja.Domain.Auditing;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using static Kedja.Domain.FollowUp.ExplanationWords;

namespace Kedja.Web.Imports;

public enum ImportRowResult
{
    New,
    Changed,
    Unchanged,
    Error,
}

/// <summary>What one row of the file does: its outcome and target before and after (null where it has none or sets none).</summary>
public sealed record ImportRowView(int Row, string Unit, string Indicator, string Period, ImportRowResult Result, int Decimals,
    decimal? ValueBefore, decimal? ValueAfter, decimal? TargetBefore, decimal? TargetAfter);

/// <summary>
/// The preview of a file: its row counts, every problem (row, column, Swedish message) and the first rows' results.
/// <see cref="PlanHash"/> stands for exactly what an import would write now.
/// </summary>
public sealed record ImportCheck(string FileName, string Format, string FileHash, int Rows, int NewRows, int ChangedRows, int UnchangedRows, int ErrorRows,
    int ProblemCount, List<ImportProblem> Problems, List<ImportRowView> Sample, string PlanHash)
{
    /// <summary>A file with any problem imports nothing; one with nothing new imports as a no-op.</summary>
    public bool CanImport => ProblemCount == 0;

    public static ImportCheck Unreadable(string fileName, string fileHash, string message) =>
        new(fileName, "", fileHash, 0, 0, 0, 0, 0, 1, [new ImportProblem(0, null, message)], [], "");
}

/// <summary>What an import did: the check it made in its own transaction, and whether it wrote (a refusal says why).</summary>
public sealed record ImportRun(ImportCheck Check, bool Imported, string? Refusal);

/// <summary>
/// Imports outcomes and targets from a file by the rules every other entry point keeps (ADR 36): the editor's units
/// only, periods of the indicator's periodicity inside the follow-up calendar, nothing into a submitted or locked
/// follow-up, values inside the indicator's plausible range, one row per indicator and period. The check and the
/// import run the same code; the import runs it again in its transaction and writes all or nothing. A value that is
/// already there is left alone, so importing the same file twice changes nothing the second time.
/// </summary>
public sealed class OutcomeImports(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock, OutcomeRecording outcomes, PeriodWriteGuard guard)
{
    /// <summary>Rows whose result the preview keeps; the counts cover every row.</summary>
    public const int SampleRows = 1000;

    /// <summary>Problems the preview keeps; <see cref="ImportCheck.ProblemCount"/> counts them all.</summary>
    public const int KeptProblems = 2000;

    public const string ChangedSinceCheck = "Uppgifterna har ändrats sedan filen kontrollerades, så importen gjordes inte. Kontrollera filen igen och importera sedan.";

    /// <summary>One planned write of a row: the outcome to record (null: none changes) and the target (null: none changes).</summary>
    private sealed record Planned(int Row, Indicator Indicator, PeriodRef Period, Outcome? Existing, OutcomeEntry? Outcome, IndicatorTarget? ExistingTarget, decimal? Target);

    /// <summary>Reads and checks a file without writing anything.</summary>
    public async Task<ImportCheck> CheckAsync(string fileName, byte[] content, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        (await PlanAsync(fileName, content, progress, cancellationToken)).Check;

    /// <summary>
    /// Checks the file again and, when it has no problem and (given <paramref name="expectedPlan"/>) would write exactly
    /// what was previewed, writes it in one transaction: changed values through <see cref="OutcomeRecording"/> (kept as
    /// revisions), new ones through the bulk writer, with their audit entries and the data version raised once.
    /// </summary>
    public async Task<ImportRun> ImportAsync(string fileName, byte[] content, string? expectedPlan, Guid? importId = null, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (check, plan) = await PlanAsync(fileName, content, progress is null ? null : new Progress<int>(p => progress.Report(p / 2)), cancellationToken);
        if (!check.CanImport)
        {
            return new ImportRun(check, false, $"Filen har {Count(check.ProblemCount, "fel", "fel")}, så inget importerades. Rätta felen och försök igen.");
        }

        if (expectedPlan is not null && expectedPlan != check.PlanHash)
        {
            return new ImportRun(check, false, ChangedSinceCheck);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var reference = Truncate($"Import av {fileName}", TextLimits.Short);
        var changed = plan.Where(p => p.Outcome is not null && p.Existing is not null).ToList();
        if (changed.Count > 0)
        {
            var recorded = await outcomes.RecordAllAsync([.. changed.Select(p => p.Outcome! with { SourceReference = reference })], cancellationToken);
            if (recorded.Error is { } error)
            {
                return new ImportRun(check, false, error.Kind == ServiceErrorKind.Conflict ? ChangedSinceCheck : error.Message);
            }
        }

        progress?.Report(60);
        await WriteTargetsAsync(plan, cancellationToken);
        var added = plan.Where(p => p.Outcome is not null && p.Existing is null).ToList();
        if (added.Count > 0)
        {
            var rows = added.Select(p => new Outcome
            {
                TenantId = tenant.TenantId, IndicatorId = p.Indicator.Id, PeriodKey = p.Period.Key, Value = p.Outcome!.Value, ValueWomen = p.Outcome.ValueWomen,
                ValueMen = p.Outcome.ValueMen, Comment = p.Outcome.Comment, Source = ValueSource.Import, SourceReference = reference, RecordedBy = actor.Name, RecordedAt = now,
            }).ToList();
            await new BulkWriter(db).InsertAsync(rows, cancellationToken);
            progress?.Report(85);

            // One entry per indicator names every value the file added to it, so that the indicator's history shows them.
            var entries = rows.GroupBy(r => r.IndicatorId).Select(g => new AuditEntry
            {
                TenantId = tenant.TenantId, UserName = actor.Name, At = now, Entity = nameof(Indicator), EntityId = g.Key.ToString(), Action = "Imported",
                After = JsonSerializer.Serialize(Described(g), JsonSerializerOptions.Web),
            }).ToList();
            await AuditChain.AppendAsync(db, entries, cancellationToken);
            await db.RecordStatusChangesAsync(tenant.TenantId, [.. rows.Select(r => r.IndicatorId).Distinct().Select(id => (StatusChangeKind.Indicator, (Guid?)id))], cancellationToken);
        }

        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenant.TenantId, UserName = actor.Name, At = now, Entity = "OutcomeImport", EntityId = (importId ?? Guid.CreateVersion7()).ToString(), Action = "Imported",
            After = JsonSerializer.Serialize(new { file = fileName, hash = check.FileHash, rows = check.Rows, added = check.NewRows, changed = check.ChangedRows, unchanged = check.UnchangedRows }),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        progress?.Report(100);
        return new ImportRun(check, true, null);
    }

    /// <summary>The values the import added to one indicator, by period, as its history shows them.</summary>
    private static Dictionary<string, object?> Described(IEnumerable<Outcome> added)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var o in added.OrderBy(o => o.PeriodKey, StringComparer.Ordinal))
        {
            fields[o.PeriodKey] = o.Value;
            if (o.ValueWomen is not null || o.ValueMen is not null)
            {
                fields[$"{o.PeriodKey} kvinnor"] = o.ValueWomen;
                fields[$"{o.PeriodKey} män"] = o.ValueMen;
            }

            if (o.Comment is not null)
            {
                fields[$"{o.PeriodKey} kommentar"] = o.Comment;
            }
        }

        return fields;
    }

    private async Task WriteTargetsAsync(List<Planned> plan, CancellationToken cancellationToken)
    {
        var targets = plan.Where(p => p.Target is not null).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var ids = targets.Where(p => p.ExistingTarget is not null).Select(p => p.ExistingTarget!.Id).ToList();
        var tracked = await db.Targets.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var p in targets)
        {
            if (p.ExistingTarget is { } before && tracked.TryGetValue(before.Id, out var target))
            {
                db.ExpectVersion(target, before.Version);
                target.Value = p.Target;
            }
            else
            {
                db.Targets.Add(new IndicatorTarget { IndicatorId = p.Indicator.Id, PeriodKey = p.Period.Key, Value = p.Target });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(ImportCheck Check, List<Planned> Plan)> PlanAsync(string fileName, byte[] content, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var read = ImportReader.Read(fileName, content);
        if (read.Table is not { } table)
        {
            return (ImportCheck.Unreadable(fileName, Convert.ToHexStringLower(SHA256.HashData(content)), read.Error ?? "Filen kunde inte läsas."), []);
        }

        progress?.Report(10);
        var (rows, problems) = ImportRowParser.Read(table);
        var facts = await ReadFactsAsync(rows, cancellationToken);
        progress?.Report(30);
        var plan = new List<Planned>();
        var views = new List<ImportRowView>();
        var errorRows = new HashSet<int>(problems.Where(p => p.Row > table.HeaderRow).Select(p => p.Row));
        var seen = new Dictionary<(Guid, string), int>();
        int added = 0, changed = 0, unchanged = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var before = problems.Count;
            var planned = PlanRow(row, facts, seen, problems);
            var failed = problems.Count > before || errorRows.Contains(row.Row);
            if (failed)
            {
                errorRows.Add(row.Row);
            }

            var result = failed ? ImportRowResult.Error
                : planned is null || (planned.Outcome is null && planned.Target is null) ? ImportRowResult.Unchanged
                : planned.Existing is null && planned.Outcome is not null || planned.ExistingTarget is null && planned.Target is not null ? ImportRowResult.New
                : ImportRowResult.Changed;
            switch (result)
            {
                case ImportRowResult.New: added++; break;
                case ImportRowResult.Changed: changed++; break;
                case ImportRowResult.Unchanged: unchanged++; break;
            }

            if (!failed && planned is not null && (planned.Outcome is not null || planned.Target is not null))
            {
                plan.Add(planned);
            }

            if (views.Count < SampleRows)
            {
                views.Add(View(row, planned, facts, result));
            }

            if (progress is not null && r % 5000 == 0)
            {
                progress.Report(30 + (70 * r / Math.Max(1, rows.Count)));
            }
        }
        var kept = problems.OrderBy(p => p.Row).Take(KeptProblems).ToList();
        var check = new ImportCheck(fileName, table.Format, table.Hash, rows.Count, added, changed, unchanged, errorRows.Count, problems.Count, kept, views, Hash(plan));
        return (check, plan);
    }

    /// <summary>What a row writes, with its problems added; null when it names no indicator that can be found.</summary>
    private Planned? PlanRow(ImportRow row, Facts facts, Dictionary<(Guid, string), int> seen, List<ImportProblem> problems)
    {
        void Problem(string? column, string message) => problems.Add(new ImportProblem(row.Row, column, message));

        var indicator = Find(row, facts, Problem);
        if (indicator is null || row.Period is not { } period)
        {
            return null;
        }

        // Whose the row is goes by the owner when its period's follow-up ended (a reorganisation since moves only later ones).
        var owner = facts.Writes.OwnerOfResult(indicator.Id, indicator.OwnerUnitId, period);
        if (facts.Writes.ScopeOfResult(indicator.Id, indicator.OwnerUnitId, period, "") is { } outside)
        {
            Problem(ImportColumns.Indicator, outside.Kind == ServiceErrorKind.Forbidden
                ? $"Du får bara importera för din egen enhet och enheterna under den; {indicator.Name} hör till {facts.UnitName(owner)}."
                : outside.Message);
            return null;
        }

        if (seen.TryGetValue((indicator.Id, period.Key), out var first))
        {
            Problem(ImportColumns.Period, $"Samma indikator och period finns redan på rad {first}. Ta bort den ena raden.");
            return null;
        }

        seen[(indicator.Id, period.Key)] = row.Row;
        if (!facts.Years.Contains(period.Year))
        {
            Problem(ImportColumns.Period, facts.Years.Count == 0
                ? "Kommunen har ingen uppföljningskalender ännu. En administratör lägger upp den under Modell och kalender."
                : $"{period.Label} ligger utanför uppföljningskalendern, som omfattar {facts.Years.Min()}–{facts.Years.Max()}.");
            return null;
        }

        OutcomeEntry? outcome = null;
        var existing = facts.Outcomes.GetValueOrDefault((indicator.Id, period.Key));
        if (row.Value is not null || row.ValueWomen is not null || row.ValueMen is not null || row.Comment is not null)
        {
            if (period.Kind != indicator.Periodicity)
            {
                Problem(ImportColumns.Period, $"{indicator.Name} mäts {Periodicity(indicator.Periodicity)}; {period.Label} passar inte.");
                return null;
            }

            var value = row.Value ?? existing?.Value;
            var women = row.ValueWomen ?? existing?.ValueWomen;
            var men = row.ValueMen ?? existing?.ValueMen;
            var comment = row.Comment ?? existing?.Comment;
            if (existing is null && value is null && women is null && men is null)
            {
                Problem(ImportColumns.Comment, "Kommentaren hör till ett utfall. Ange utfallet på samma rad.");
            }
            else if (existing is null || existing.Value != value || existing.ValueWomen != women || existing.ValueMen != men || existing.Comment != comment)
            {
                foreach (var (column, figure) in new[] { (ImportColumns.Value, row.Value), (ImportColumns.ValueWomen, row.ValueWomen), (ImportColumns.ValueMen, row.ValueMen) })
                {
                    if (figure is { } v && !Values.Contains(v))
                    {
                        Problem(column, Values.Message);
                    }
                    else if (figure is { } w && (w < indicator.PlausibleMin || w > indicator.PlausibleMax))
                    {
                        Problem(column, OutcomeRules.Implausible(indicator, w));
                    }
                }

                if (facts.Closed(owner, period) is { } closed)
                {
                    Problem(ImportColumns.Period, closed.Message);
                }

                outcome = new OutcomeEntry(indicator.Id, period.Key, value, women, men, comment, existing?.Version) { Source = ValueSource.Import };
            }
        }

        decimal? target = null;
        var existingTarget = facts.Targets.GetValueOrDefault((indicator.Id, period.Key));
        if (row.Target is { } wanted && existingTarget?.Value != wanted)
        {
            if (indicator.Direction is Direction.TargetRange or Direction.Neutral)
            {
                Problem(ImportColumns.Target, indicator.Direction == Direction.Neutral
                    ? $"{indicator.Name} följs utan mål och tar inget målvärde."
                    : $"{indicator.Name} har ett målintervall. Ändra det på indikatorns sida.");
            }
            else if (period.Kind != indicator.Periodicity && period.Kind != PeriodKind.Year)
            {
                Problem(ImportColumns.Target, $"Målvärdet för {period.Label} passar inte en indikator som mäts {Periodicity(indicator.Periodicity)}.");
            }
            else if (!Values.Contains(wanted))
            {
                Problem(ImportColumns.Target, Values.Message);
            }

            target = wanted;
        }

        return new Planned(row.Row, indicator, period, existing, outcome, existingTarget, target);
    }

    private static Indicator? Find(ImportRow row, Facts facts, Action<string?, string> problem)
    {
        if (row.IndicatorId is { } id)
        {
            if (facts.Indicators.TryGetValue(id, out var byId))
            {
                return byId;
            }

            problem(ImportColumns.IndicatorId, $"Det finns ingen indikator med id {id} i kommunen.");
            return null;
        }

        if (row.IndicatorName is not { } name)
        {
            return null;
        }

        var named = facts.ByName.GetValueOrDefault(Normal(name)) ?? [];
        if (row.UnitName is { } unit)
        {
            named = [.. named.Where(i => Normal(facts.UnitName(i.OwnerUnitId)) == Normal(unit))];
        }

        switch (named.Count)
        {
            case 1:
                return named[0];
            case 0:
                problem(ImportColumns.Indicator, row.UnitName is null ? $"Det finns ingen indikator som heter ”{name}”." : $"{row.UnitName} har ingen indikator som heter ”{name}”.");
                return null;
            default:
                problem(ImportColumns.Indicator, $"Flera indikatorer heter ”{name}”. Ange enheten i kolumnen {ImportColumns.Unit} eller indikatorns id.");
                return null;
        }
    }

    /// <summary>What the rows are checked against, read once for the whole file.</summary>
    private sealed record Facts(Dictionary<Guid, Indicator> Indicators, Dictionary<string, List<Indicator>> ByName, Dictionary<Guid, string> Units,
        HashSet<int> Years, PeriodWrites Writes, Dictionary<(Guid, string), Outcome> Outcomes, Dictionary<(Guid, string), IndicatorTarget> Targets)
    {
        private readonly Dictionary<(Guid, PeriodRef), ServiceError?> closed = [];

        public string UnitName(Guid id) => Units.GetValueOrDefault(id) ?? "";

        /// <summary>The follow-up guard's answer, asked once per unit and period: a file has many rows of each.</summary>
        public ServiceError? Closed(Guid unitId, PeriodRef period)
        {
            if (!closed.TryGetValue((unitId, period), out var answer))
            {
                closed[(unitId, period)] = answer = Writes.ClosedResultOf(unitId, period);
            }

            return answer;
        }
    }

    private async Task<Facts> ReadFactsAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        // What the rules read of an indicator, not its descriptions and thresholds: a large tenant has tens of thousands.
        var all = await db.Indicators.AsNoTracking().Select(i => new Indicator
        {
            Id = i.Id, Name = i.Name, OwnerUnitId = i.OwnerUnitId, GoalId = i.GoalId, Periodicity = i.Periodicity, Direction = i.Direction, Decimals = i.Decimals,
            UnitOfMeasure = i.UnitOfMeasure, PlausibleMin = i.PlausibleMin, PlausibleMax = i.PlausibleMax, Version = i.Version,
        }).ToListAsync(cancellationToken);
        var indicators = all.ToDictionary(i => i.Id);
        var byName = all.GroupBy(i => Normal(i.Name)).ToDictionary(g => g.Key, g => g.ToList());
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var periods = await db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync(cancellationToken);
        var years = periods.Select(k => PeriodRef.TryParse(k, out var p) ? p.Year : 0).Where(y => y > 0).ToHashSet();

        // Only the indicators the file can name: by id, or by a name it uses.
        var named = rows.Select(r => r.IndicatorName is { } n ? Normal(n) : null).Where(n => n is not null).ToHashSet();
        var ids = rows.Where(r => r.IndicatorId is { } id && indicators.ContainsKey(id)).Select(r => r.IndicatorId!.Value)
            .Concat(byName.Where(kv => named.Contains(kv.Key)).SelectMany(kv => kv.Value).Select(i => i.Id)).Distinct().ToList();
        var writes = await guard.LoadAsync([.. ids.Select(id => (id, indicators[id].OwnerUnitId, indicators[id].GoalId))], cancellationToken);
        var keys = rows.Where(r => r.Period is not null).Select(r => r.Period!.Value.Key).Distinct().ToList();
        var existing = new Dictionary<(Guid, string), Outcome>();
        var targets = new Dictionary<(Guid, string), IndicatorTarget>();
        foreach (var chunk in ids.Chunk(5000))
        {
            foreach (var o in await db.Outcomes.AsNoTracking().Where(o => chunk.Contains(o.IndicatorId) && keys.Contains(o.PeriodKey)).ToListAsync(cancellationToken))
            {
                existing[(o.IndicatorId, o.PeriodKey)] = o;
            }

            foreach (var t in await db.Targets.AsNoTracking().Where(t => chunk.Contains(t.IndicatorId) && keys.Contains(t.PeriodKey)).ToListAsync(cancellationToken))
            {
                targets[(t.IndicatorId, t.PeriodKey)] = t;
            }
        }

        return new Facts(indicators, byName, units, years, writes, existing, targets);
    }

    private static ImportRowView View(ImportRow row, Planned? planned, Facts facts, ImportRowResult result)
    {
        var indicator = planned?.Indicator ?? (row.IndicatorId is { } id ? facts.Indicators.GetValueOrDefault(id) : null);
        return new ImportRowView(row.Row, indicator is null ? row.UnitName ?? "" : facts.UnitName(indicator.OwnerUnitId), indicator?.Name ?? row.IndicatorName ?? row.IndicatorId?.ToString() ?? "",
            row.Period?.Label ?? row.PeriodText, result, indicator?.Decimals ?? 2,
            planned?.Existing?.Value, planned?.Outcome?.Value ?? planned?.Existing?.Value, planned?.ExistingTarget?.Value, planned?.Target ?? planned?.ExistingTarget?.Value);
    }

    /// <summary>What the plan writes, and over which versions: equal hashes mean the same writes over the same data.</summary>
    private static string Hash(List<Planned> plan)
    {
        var text = new StringBuilder();
        foreach (var p in plan)
        {
            text.Append(CultureInfo.InvariantCulture, $"{p.Indicator.Id}|{p.Period.Key}|{p.Existing?.Version}|{p.Outcome?.Value}|{p.Outcome?.ValueWomen}|{p.Outcome?.ValueMen}|")
                .Append(p.Outcome?.Comment).Append(CultureInfo.InvariantCulture, $"|{p.ExistingTarget?.Version}|{p.Target}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Normal(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Count(int n, string one, string many) => $"{n.ToString("N0", SwedishFormat.Culture)} {(n == 1 ? one : many)}";
}
