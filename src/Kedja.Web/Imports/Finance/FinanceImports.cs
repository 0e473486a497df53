using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kedja.Data;
using Kedja.Data.Bulk;
using Kedja.Domain;
using Kedja.Domain.Auditing;
using Kedja.Domain.Budget;
using Kedja.Domain.Finance;
using Kedja.Domain.Periods;
using Kedja.Web.Budget;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Imports.Finance;

/// <summary>
/// Imports budget and outcome from the finance system (issue 16, ADR 47 section 6): an SIE file (type 2–4, read by
/// <see cref="SieReader"/>) or its CSV/xlsx twin (år;månad;ansvar;konto;belopp;typ). The rows are mapped by the
/// tenant's <see cref="FinanceMapping"/> (cost centre → unit, account → budget line) and summed to one figure per
/// unit, budget line and month in memory, so only those sums are written, in bulk. From them follow each unit's
/// budget frame for the year (the sum of the year-0 budget) and its outcome so far at the end of each follow-up period
/// of the year (tkr, costs positive and revenues negative, so the net cost). Outcome comes from the transactions when
/// the file has vouchers (#VER), else from the period balances (#PSALDO): never both, which would count it twice.
/// As <see cref="OutcomeImports"/>: the check and the import run the same code, the import again inside its
/// transaction, all or nothing; a file with any problem writes nothing; what is already there counts as unchanged,
/// so a second import of the same file changes nothing; an outcome that would change in a submitted, approved or
/// locked follow-up is refused. The file is the truth for the units and year it covers: their budget lines and months
/// that it no longer has become zero.
/// </summary>
public sealed class FinanceImports(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock, FinanceMappings mappings, BudgetEditing budget)
{
    /// <summary>A million transaction rows make about 45 MB; the upload limit (ADR 13) is 100 MB with the form around it.</summary>
    public const long MaxBytes = 95L * 1024 * 1024;

    public const string Sie = "sie";

    public const string NoMapping = "Kommunen har ingen koppling till ekonomisystemet ännu. En administratör anger den under Ekonomi › Koppling till ekonomisystemet.";

    public const string AdminsOnly = "Bara administratörer får importera budget och utfall från ekonomisystemet.";

    /// <summary>The CSV twin's columns, in the order the template has them.</summary>
    public static readonly string[] CsvColumns = ["år", "månad", "ansvar", "konto", "belopp", "typ"];

    public const string FrameLine = "Budgetram (året)";

    public const string OutcomeLine = "Utfall hittills i år";

    /// <summary>The note of a frame the import creates (from the unit's budget rows; never from outcome rows alone).</summary>
    private const decimal MaxKronor = 1_000_000_000_000_000m;

    public const string NewFrameNote = "Från ekonomisystemet";

    private static readonly string[] MonthNames = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    private sealed record LinePlan(Guid Unit, string Line, int Month, BudgetLineMonth? Existing, decimal Budget, decimal Actual);

    private sealed record FramePlan(Guid Unit, BudgetFrame? Existing, decimal Amount);

    private sealed record OutcomePlan(Guid Unit, FollowUpPeriod Period, BudgetOutcome? Existing, decimal Actual);

    private sealed record Plan(int Year, List<FramePlan> Frames, List<OutcomePlan> Outcomes, List<LinePlan> Lines)
    {
        public static readonly Plan Empty = new(0, [], [], []);
    }

    /// <summary>What the file holds once read and mapped: sums in öre per (unit, budget line index, month).</summary>
    private sealed class Sums
    {
        /// <summary>128 bits, so that no sum of amounts within the reader's 15 digits wraps (finding 10b).</summary>
        public Dictionary<(Guid Unit, int Line, int Month), (Int128 Budget, Int128 Actual)> Cells { get; } = [];

        /// <summary>The units the file has budget rows for: "has budget" is decided per unit, not per file (finding 11).</summary>
        public HashSet<Guid> BudgetUnits { get; } = [];

        private Guid lastBudgetUnit;

        public int? Year { get; set; }

        public int Rows { get; set; }

        public bool HasBudget { get; set; }

        public bool HasActual { get; set; }

        public int LastActualMonth { get; set; }

        public string Format { get; set; } = "";

        public void Add(Guid unit, int line, int month, long ore, bool budget)
        {
            ref var cell = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Cells, (unit, line, month), out _);
            cell = budget ? (cell.Budget + ore, cell.Actual) : (cell.Budget, cell.Actual + ore);
            if (budget)
            {
                HasBudget = true;
                if (unit != lastBudgetUnit)
                {
                    BudgetUnits.Add(lastBudgetUnit = unit);
                }
            }
            else
            {
                HasActual = true;
                LastActualMonth = Math.Max(LastActualMonth, month);
            }
        }
    }

    public async Task<ImportCheck> CheckAsync(string fileName, byte[] content, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        (await PlanAsync(fileName, content, progress, cancellationToken)).Check;

    /// <summary>Checks the file again inside one transaction and, without problems and (given <paramref name="expectedPlan"/>) as previewed, writes it.</summary>
    public async Task<ImportRun> ImportAsync(string fileName, byte[] content, string? expectedPlan, Guid? importId = null, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (check, plan) = await PlanAsync(fileName, content, progress is null ? null : new Progress<int>(p => progress.Report(p / 2)), cancellationToken);
        if (!check.CanImport)
        {
            db.ChangeTracker.Clear();
            return new ImportRun(check, false, $"Filen har {check.ProblemCount.ToString("N0", SwedishFormat.Culture)} fel, så inget importerades. Rätta felen och försök igen.");
        }

        if (expectedPlan is not null && expectedPlan != check.PlanHash)
        {
            db.ChangeTracker.Clear();
            return new ImportRun(check, false, OutcomeImports.ChangedSinceCheck);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var id = importId ?? Guid.CreateVersion7();
        // Every early return leaves nothing tracked: the verb's log entry is saved after, and must not save refused rows (finding 20).
        if (await WriteFramesAsync(plan, cancellationToken) is { } refusal)
        {
            db.ChangeTracker.Clear();
            return new ImportRun(check, false, refusal);
        }

        progress?.Report(70);
        await WriteLinesAsync(plan, id, now, cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenant.TenantId, UserName = actor.Name, At = now, Entity = "FinanceImport", EntityId = id.ToString(), Action = "Imported",
            After = JsonSerializer.Serialize(new { file = fileName, hash = check.FileHash, year = plan.Year, rows = check.Rows, added = check.NewRows, changed = check.ChangedRows, unchanged = check.UnchangedRows }),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        progress?.Report(100);
        return new ImportRun(check, true, null);
    }

    /// <summary>
    /// Frames and outcomes through <see cref="BudgetEditing.SaveAllAsync"/> (finding 21): few rows, by the budget's own
    /// rules (bounds, model years, calendar, closed follow-ups) and audited as every other budget change; the outcome's
    /// forecast, its comment and the deviation's explanation stay as the unit gave them. A refusal says why.
    /// </summary>
    private async Task<string?> WriteFramesAsync(Plan plan, CancellationToken cancellationToken)
    {
        if (plan.Frames.Count == 0 && plan.Outcomes.Count == 0)
        {
            return null;
        }

        var batch = new BudgetBatch(
            [.. plan.Frames.Select(f => new BudgetFrameEntry(f.Unit, plan.Year, f.Amount, f.Existing is null ? NewFrameNote : null))],
            [.. plan.Outcomes.Select(o => new BudgetOutcomeEntry(o.Unit, plan.Year, o.Period.Key, o.Actual))]);
        var saved = await budget.SaveAllAsync(batch, cancellationToken);
        return saved.Error switch
        {
            null => null,
            { Kind: ServiceErrorKind.Conflict } => OutcomeImports.ChangedSinceCheck,
            { Errors: { Count: > 0 } errors } => $"Budgeten kunde inte sparas: {string.Join(" ", errors.Values.SelectMany(m => m).Distinct().Take(5))}",
            { } error => $"Budgeten kunde inte sparas: {error.Message}",
        };
    }

    /// <summary>The sums by line and month in bulk: changed rows are deleted and written again, with one audit entry per unit naming its figures.</summary>
    private async Task WriteLinesAsync(Plan plan, Guid importId, DateTime now, CancellationToken cancellationToken)
    {
        if (plan.Lines.Count == 0)
        {
            return;
        }

        foreach (var chunk in plan.Lines.Where(l => l.Existing is not null).Select(l => l.Existing!.Id).Chunk(2000))
        {
            await db.BudgetLineMonths.Where(l => chunk.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        var rows = plan.Lines.Select(l => new BudgetLineMonth
        {
            TenantId = tenant.TenantId, UnitId = l.Unit, Year = plan.Year, Month = l.Month, Line = l.Line, Budget = l.Budget, Actual = l.Actual, ImportId = importId,
            Version = (l.Existing?.Version ?? -1) + 1,
        }).ToList();
        await new BulkWriter(db).InsertAsync(rows, cancellationToken);
        var entries = rows.GroupBy(r => r.UnitId).Select(g => new AuditEntry
        {
            TenantId = tenant.TenantId, UserName = actor.Name, At = now, Entity = nameof(BudgetLineMonth), EntityId = g.Key.ToString(), Action = "Imported",
            After = JsonSerializer.Serialize(g.OrderBy(r => r.Line, StringComparer.Ordinal).ThenBy(r => r.Month)
                .ToDictionary(r => $"{plan.Year}-{r.Month:00} {r.Line}", r => new { budget = r.Budget, actual = r.Actual }), JsonSerializerOptions.Web),
        }).ToList();
        await AuditChain.AppendAsync(db, entries, cancellationToken);
    }

    private async Task<(ImportCheck Check, Plan Plan)> PlanAsync(string fileName, byte[] content, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var fileHash = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!mappings.Allowed)
        {
            return (ImportCheck.Unreadable(fileName, fileHash, AdminsOnly), Plan.Empty);
        }

        if (content.LongLength > MaxBytes)
        {
            return (ImportCheck.Unreadable(fileName, fileHash, $"Filen är för stor: högst {MaxBytes / 1024 / 1024} MB."), Plan.Empty);
        }

        if (await mappings.SavedAsync(cancellationToken) is not { } mapping)
        {
            return (ImportCheck.Unreadable(fileName, fileHash, NoMapping), Plan.Empty);
        }

        progress?.Report(5);
        var problems = new ProblemLog();
        var sums = IsSie(content) ? ReadSie(content, mapping, problems) : ReadTable(fileName, content, mapping, problems);
        if (sums is null)
        {
            return (ImportCheck.Unreadable(fileName, fileHash, problems[0].Message), Plan.Empty);
        }

        progress?.Report(60);
        var samples = new List<ImportRowView>();
        var plan = Plan.Empty;
        int added = 0, changed = 0, unchanged = 0;
        if (sums.Year is { } year)
        {
            (plan, added, changed, unchanged) = await PlanWritesAsync(year, sums, mapping, problems, samples, cancellationToken);
        }

        progress?.Report(100);
        return (new ImportCheck(fileName, sums.Format, fileHash, sums.Rows, added, changed, unchanged, problems.ErrorRows, problems.Count, problems.Shown(), samples, Hash(plan)), plan);
    }

    private static bool IsSie(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var trimmed = content.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'#';
    }

    private sealed class Lookup(FinanceMapping mapping)
    {
        private readonly Dictionary<int, int> lines = [];
        private readonly Dictionary<string, Guid?> units = new(StringComparer.Ordinal);

        public const int Outside = -1, Unmapped = -2;

        /// <summary>The index of the account's budget line, <see cref="Outside"/> for a balance account, <see cref="Unmapped"/> for a result account of no line.</summary>
        public int Line(int account)
        {
            if (!lines.TryGetValue(account, out var line))
            {
                line = account < mapping.ResultFrom || account > mapping.ResultTo ? Outside : mapping.Accounts.FindIndex(a => account >= a.From && account <= a.To);
                lines[account] = line = line == -1 && account >= mapping.ResultFrom && account <= mapping.ResultTo ? Unmapped : line;
            }

            return line;
        }

        public Guid? Unit(string code)
        {
            if (!units.TryGetValue(code, out var unit))
            {
                units[code] = unit = CodeOrder.UnitOf(mapping.Units, code);
            }

            return unit;
        }
    }

    private static Sums ReadSie(byte[] content, FinanceMapping mapping, ProblemLog problems)
    {
        var sums = new Sums { Format = Sie };
        var lookup = new Lookup(mapping);
        var balances = new List<SieAmount>();
        var finer = new List<SieAmount>();
        var alone = new HashSet<(SieAmountKind Kind, int Account, string Centre, int Month)>();
        var centred = new HashSet<(SieAmountKind Kind, int Account)>();
        var file = new SieFile();
        void Take(SieAmount a)
        {
            var line = lookup.Line(a.Account);
            if (line == Lookup.Outside)
            {
                return;
            }

            if (line == Lookup.Unmapped)
            {
                var name = file.Accounts.TryGetValue(a.Account, out var n) && n.Length > 0 ? $" ({ProblemLog.Echo(n)})" : "";
                problems.Add(new ImportProblem(a.Line, null, $"Konto {a.Account}{name} är ett resultatkonto men hör inte till någon budgetrad i kopplingen."));
                return;
            }

            if (a.CostCentre is not { } code)
            {
                problems.Add(new ImportProblem(a.Line, null, $"Raden har inget ansvar: inget objekt i dimension {mapping.Dimension}."));
                return;
            }

            if (lookup.Unit(code) is not { } unit)
            {
                var name = file.Objects.TryGetValue((mapping.Dimension, code), out var n) && n.Length > 0 ? $" ({ProblemLog.Echo(n)})" : "";
                problems.Add(new ImportProblem(a.Line, null, $"Ansvar {ProblemLog.Echo(code)}{name} är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet."));
                return;
            }

            sums.Add(unit, line, a.Month, a.Ore, a.Kind == SieAmountKind.Budget);
        }

        // #PBUDGET and #PSALDO (finding 12): a row of the cost centre alone is counted; a row of several objects is a
        // finer breakdown, counted (summed by its cost centre) only where the file has no row of that account, cost
        // centre and month alone; a row without a cost centre (the account's total, or another dimension's breakdown)
        // is passed over where the account has rows with a cost centre, and otherwise named by its line.
        void Note(SieAmount a)
        {
            if (a.CostCentre is { } centre)
            {
                centred.Add((a.Kind, a.Account));
                if (a.Objects == 1)
                {
                    alone.Add((a.Kind, a.Account, centre, a.Month));
                }
            }
        }

        void Counted(SieAmount a)
        {
            if (a.CostCentre is { } centre ? a.Objects == 1 || !alone.Contains((a.Kind, a.Account, centre, a.Month)) : !centred.Contains((a.Kind, a.Account)))
            {
                Take(a);
            }
        }

        SieReader.Read(content, mapping.Dimension, a =>
        {
            if (a.Kind == SieAmountKind.Transaction)
            {
                Take(a);
            }
            else if (a.Kind == SieAmountKind.PeriodBalance)
            {
                balances.Add(a);
            }
            else if (a.Objects == 1 && a.CostCentre is not null)
            {
                Note(a);
                Take(a);
            }
            else
            {
                Note(a);
                finer.Add(a);
            }
        }, problems, file);

        foreach (var a in finer)
        {
            Counted(a);
        }

        // Outcome from the vouchers when there are any; otherwise from the period balances: never both.
        if (file.Vouchers == 0)
        {
            foreach (var b in balances)
            {
                Note(b);
            }

            foreach (var b in balances)
            {
                Counted(b);
            }
        }

        sums.Year = file.Year;
        sums.Rows = file.Transactions + file.BudgetRows + file.BalanceRows;
        if (sums.Rows == 0)
        {
            problems.Add(new ImportProblem(0, null, "Filen har varken budget (#PBUDGET), periodsaldon (#PSALDO) eller verifikationer (#VER)."));
        }

        return sums;
    }

    /// <summary>The CSV or xlsx twin: år;månad;ansvar;konto;belopp;typ, kronor with the finance system's sign.</summary>
    private static Sums? ReadTable(string fileName, byte[] content, FinanceMapping mapping, ProblemLog problems)
    {
        var read = ImportReader.Read(fileName, content);
        if (read.Table is not { } table)
        {
            problems.Add(new ImportProblem(0, null, read.Error ?? "Filen kunde inte läsas."));
            return null;
        }

        var sums = new Sums { Format = table.Format };
        var columns = CsvColumns.Select(c => table.Header.ToList().FindIndex(h => string.Equals(h.Trim(), c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = CsvColumns.Where((c, i) => columns[i] < 0).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new ImportProblem(table.HeaderRow, null,
                $"Rubrikraden saknar {string.Join(", ", missing)}. En fil från ekonomisystemet ska ha kolumnerna {string.Join(";", CsvColumns)} (eller vara en SIE-fil)."));
            return sums;
        }

        var lookup = new Lookup(mapping);
        foreach (var row in table.Lines)
        {
            sums.Rows++;
            var before = problems.Count;
            void Problem(string column, string message) => problems.Add(new ImportProblem(row.Row, column, message));
            string Cell(int c) => row[columns[c]].Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : row[columns[c]].Text;
            var yearOk = int.TryParse(Cell(0), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2200;
            if (!yearOk)
            {
                Problem("år", $"”{ProblemLog.Echo(Cell(0))}” är inget år.");
            }
            else if (sums.Year is { } first && year != first)
            {
                Problem("år", $"Filen gäller {first}; en fil får bara gälla ett år.");
            }

            if (!int.TryParse(Cell(1), NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12)
            {
                Problem("månad", $"”{ProblemLog.Echo(Cell(1))}” är ingen månad (1–12).");
            }

            var code = Cell(2).Trim();
            Guid? unit = null;
            if (code.Length == 0)
            {
                Problem("ansvar", "Ange ansvarskoden.");
            }
            else if ((unit = lookup.Unit(code)) is null)
            {
                Problem("ansvar", $"Ansvar {ProblemLog.Echo(code)} är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet.");
            }

            var line = Lookup.Outside;
            if (!int.TryParse(Cell(3), NumberStyles.None, CultureInfo.InvariantCulture, out var account) || account < 1)
            {
                Problem("konto", $"”{ProblemLog.Echo(Cell(3))}” är inget kontonummer.");
            }
            else if ((line = lookup.Line(account)) == Lookup.Outside)
            {
                Problem("konto", $"Konto {account} är inget resultatkonto ({mapping.ResultFrom}–{mapping.ResultTo}).");
            }
            else if (line == Lookup.Unmapped)
            {
                Problem("konto", $"Konto {account} är ett resultatkonto men hör inte till någon budgetrad i kopplingen.");
            }

            decimal amount = 0;
            if (row[columns[4]].Number is { } number)
            {
                amount = number;
            }
            else if (!ImportNumbers.TryParse(Cell(4), out amount))
            {
                Problem("belopp", $"”{ProblemLog.Echo(Cell(4))}” är inget belopp.");
            }

            // As in SIE: at most 15 digits of kronor, so the öre fit a long and their sums do not wrap (finding 10b).
            if (Math.Abs(amount) >= MaxKronor)
            {
                Problem("belopp", $"Beloppet {ProblemLog.Echo(Cell(4))} är för stort: högst {SieReader.MaxAmountDigits} siffror före decimaltecknet.");
            }

            var kind = Cell(5).Trim().ToLowerInvariant();
            if (kind is not ("budget" or "utfall"))
            {
                Problem("typ", $"Typen ska vara budget eller utfall, inte ”{ProblemLog.Echo(Cell(5))}”.");
            }

            if (problems.Count == before)
            {
                sums.Year ??= year;
                sums.Add(unit!.Value, line, month, (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero), kind == "budget");
            }
        }

        return sums;
    }

    /// <summary>
    /// The one place where the import plans what it writes: frames, outcomes and line-months, with every problem that
    /// refuses the file. A guard on the year (a draft year, finding 13) belongs here, before anything is planned.
    /// </summary>
    private async Task<(Plan Plan, int Added, int Changed, int Unchanged)> PlanWritesAsync(int year, Sums sums, FinanceMapping mapping, ProblemLog problems,
        List<ImportRowView> samples, CancellationToken cancellationToken)
    {
        var modelYears = await db.Models.AsNoTracking().Select(m => new { m.FirstYear, m.LastYear }).ToListAsync(cancellationToken);
        if (!modelYears.Any(m => year >= m.FirstYear && year <= m.LastYear))
        {
            problems.Add(new ImportProblem(0, null, modelYears.Count == 0
                ? "Kommunen har ingen styrmodell, så det finns inget budgetår att importera till."
                : $"Året {year} ligger utanför styrmodellens år ({string.Join(", ", modelYears.Select(m => $"{m.FirstYear}–{m.LastYear}").Order())})."));
        }

        // A year still being planned has draft frames that activation replaces: an import into it would write outcomes
        // that planning later deletes, so it is refused until the year is activated (finding 13).
        if (await db.PlanningYears.AsNoTracking().AnyAsync(p => p.Year == year && p.State == Domain.Planning.PlanningYearState.Draft, cancellationToken)
            || await db.BudgetFrames.AsNoTracking().AnyAsync(f => f.Year == year && f.IsDraft, cancellationToken))
        {
            problems.Add(new ImportProblem(0, null, DraftYear(year)));
            return (Plan.Empty, 0, 0, 0);
        }

        // Outcomes belong to the follow-up periods that report a result (finding 23): not to forecast-only periods (P),
        // and of the delår only the one the calendar asks for.
        var calendar = await db.Periods.AsNoTracking().Where(p => p.Year == year).ToListAsync(cancellationToken);
        var periods = calendar.Where(p => p.EndDate.Year == year && p.Kind != PeriodKind.Forecast && FollowUpCalendar.IsItsDelar(p.Ref, calendar))
            .OrderBy(p => p.EndDate).ToList();
        if (sums.HasActual && periods.Count == 0)
        {
            problems.Add(new ImportProblem(0, null, $"Uppföljningskalendern har inga perioder för {year}, så utfallet har ingenstans att höra hemma. En administratör lägger upp kalendern under Modell och kalender."));
        }

        var units = sums.Cells.Keys.Select(k => k.Unit).ToHashSet();
        var unitList = units.ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitList.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var frames = await db.BudgetFrames.AsNoTracking().Include(f => f.Outcomes).Where(f => f.Year == year && unitList.Contains(f.UnitId)).ToDictionaryAsync(f => f.UnitId, cancellationToken);
        var existing = new Dictionary<(Guid, string, int), BudgetLineMonth>();
        foreach (var chunk in unitList.Chunk(2000))
        {
            foreach (var l in await db.BudgetLineMonths.AsNoTracking().Where(l => l.Year == year && chunk.Contains(l.UnitId)).ToListAsync(cancellationToken))
            {
                existing[(l.UnitId, l.Line, l.Month)] = l;
            }
        }

        var states = await WorkflowGuard.LoadAsync(db, unitList, cancellationToken);
        var lineNames = mapping.Accounts.Select(a => a.Line).ToList();
        var plan = new Plan(year, [], [], []);
        int added = 0, changed = 0, unchanged = 0;
        void Count(object? before, bool same)
        {
            if (before is null) { added++; }
            else if (same) { unchanged++; }
            else { changed++; }
        }

        static decimal Tkr(Int128 ore) => Math.Round((decimal)ore / 100m, MidpointRounding.AwayFromZero) / 1000m;
        var outOfBounds = new HashSet<Guid>();
        bool Bounded(Guid unit, string what, decimal value)
        {
            // Within the bounds BudgetRules keeps (finding 10b): once per unit, so that a file cannot flood the list.
            if (Values.Contains(value))
            {
                return true;
            }

            if (outOfBounds.Add(unit))
            {
                problems.Add(new ImportProblem(0, null, $"{Unit(unit)}, {what}: {value.ToString("#,0.###", SwedishFormat.Culture)} tkr är för stort. {Values.Message}"));
            }

            return false;
        }

        string Unit(Guid id) => names.GetValueOrDefault(id) ?? "";

        // Every line and month of a unit the file covers: the file's sums, and zero where an earlier import had one the file no longer has.
        var wanted = sums.Cells.ToDictionary(c => (c.Key.Unit, lineNames[c.Key.Line], c.Key.Month), c => c.Value);
        foreach (var key in existing.Keys.Where(k => units.Contains(k.Item1) && !wanted.ContainsKey(k)))
        {
            wanted[key] = (Int128.Zero, Int128.Zero);
        }

        var byUnit = wanted.GroupBy(w => w.Key.Item1).ToDictionary(g => g.Key, g => g.ToList());
        var gate = await Kedja.Web.Budget.BudgetWriteGate.LoadAsync(db, unitList, [year], cancellationToken);
        foreach (var unit in unitList.OrderBy(Unit, StringComparer.CurrentCulture))
        {
            var cells = byUnit[unit].OrderBy(w => lineNames.IndexOf(w.Key.Item2) is var i && i < 0 ? int.MaxValue : i).ThenBy(w => w.Key.Item3).ToList();
            var frame = frames.GetValueOrDefault(unit);

            // Budget or not is the unit's (finding 11): a unit without budget rows keeps its frame, the council's
            // decision, and one without a frame gets none from outcome rows alone.
            var hasBudget = sums.BudgetUnits.Contains(unit);
            if (frame is null && !hasBudget)
            {
                problems.Add(new ImportProblem(0, null, NoBudget(Unit(unit), year)));
                continue;
            }

            var amount = hasBudget ? Tkr(cells.Aggregate(Int128.Zero, (sum, c) => sum + c.Value.Budget)) : frame!.Amount;
            Bounded(unit, FrameLine, amount);
            Count(frame, frame?.Amount == amount);
            if (frame is null || frame.Amount != amount)
            {
                plan.Frames.Add(new FramePlan(unit, frame, amount));
                Sample(samples, Unit(unit), FrameLine, year.ToString(CultureInfo.InvariantCulture), frame is null, null, null, frame?.Amount, amount);
            }

            if (sums.HasActual)
            {
                foreach (var period in periods.Where(p => p.EndDate.Month <= sums.LastActualMonth))
                {
                    var actual = Tkr(cells.Where(c => c.Key.Item3 <= period.EndDate.Month).Aggregate(Int128.Zero, (sum, c) => sum + c.Value.Actual));
                    var before = frame?.Outcomes.SingleOrDefault(o => o.PeriodKey == period.Key);

                    // A new outcome beside one of the same end that carries the unit's forecast or explanation would
                    // become the card's latest report and hide them (finding 23): the figure is the same, so it is not made.
                    if (before is null && frame is not null && frame.Outcomes.Any(o => o.PeriodKey != period.Key
                        && (o.Forecast is not null || o.DeviationExplanation is not null) && PeriodRef.TryParse(o.PeriodKey, out var other) && other.End == period.EndDate))
                    {
                        continue;
                    }

                    Bounded(unit, period.Name, actual);
                    Count(before, before?.Actual == actual);
                    if (before?.Actual == actual)
                    {
                        continue;
                    }

                    if (states.Check(unit, period) is { } closed)
                    {
                        problems.Add(new ImportProblem(0, null, $"{Unit(unit)}, {period.Name}: utfallet skulle ändras till {actual.ToString("#,0.###", SwedishFormat.Culture)} tkr, men {Lower(closed.Message)}"));
                    }

                    plan.Outcomes.Add(new OutcomePlan(unit, period, before, actual));
                    Sample(samples, Unit(unit), OutcomeLine, period.Name, before is null, before?.Actual, actual, null, null);
                }
            }

            foreach (var ((_, line, month), value) in cells)
            {
                var before = existing.GetValueOrDefault((unit, line, month));
                var budget = hasBudget ? Tkr(value.Budget) : before?.Budget ?? 0;
                // A month after the file's last booked month is one the file says nothing of: an earlier, longer file's stands.
                var actual = sums.HasActual && month <= sums.LastActualMonth ? Tkr(value.Actual) : before?.Actual ?? 0;
                if (!Bounded(unit, line, budget) || !Bounded(unit, line, actual))
                {
                    continue;
                }

                var same = before is not null && before.Budget == budget && before.Actual == actual;
                Count(before, same);
                if (!same)
                {
                    plan.Lines.Add(new LinePlan(unit, line, month, before, budget, actual));
                    Sample(samples, Unit(unit), line, $"{MonthNames[month - 1]} {year}", before is null, before?.Actual, actual, before?.Budget, budget);
                }
            }

            // A locked year's budget stands as reported (review 16, finding 9).
            if ((plan.Frames.Any(f => f.Unit == unit) || plan.Lines.Any(l => l.Unit == unit)) && gate.Locked(unit, year) is { } locked)
            {
                problems.Add(new ImportProblem(0, null, $"{Unit(unit)}: {Lower(locked.Message)}"));
            }
        }

        return (plan, added, changed, unchanged);
    }

    public static string DraftYear(int year) =>
        $"År {year} planeras ännu och är inte aktiverat, så dess budgetramar är utkast. Importera budget och utfall för {year} när året har aktiverats under Planering.";

    public static string NoBudget(string unit, int year) =>
        $"{unit} har utfall i filen men ingen budgetram för {year} och ingen budget i filen. En ram skapas inte av utfall: lägg in ramen under Budget, eller ta med enhetens budget i filen.";

    private static string Lower(string message) => message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    private static void Sample(List<ImportRowView> samples, string unit, string what, string period, bool isNew, decimal? actualBefore, decimal? actualAfter,
        decimal? budgetBefore, decimal? budgetAfter)
    {
        if (samples.Count < OutcomeImports.SampleRows)
        {
            samples.Add(new ImportRowView(0, unit, what, period, isNew ? ImportRowResult.New : ImportRowResult.Changed, 3, actualBefore, actualAfter, budgetBefore, budgetAfter));
        }
    }

    /// <summary>What the plan writes, over which versions: equal hashes mean the same writes over the same data.</summary>
    private static string Hash(Plan plan)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{plan.Year}\n");
        foreach (var f in plan.Frames)
        {
            text.Append(CultureInfo.InvariantCulture, $"F|{f.Unit}|{f.Existing?.Version}|{f.Amount}\n");
        }

        foreach (var o in plan.Outcomes)
        {
            text.Append(CultureInfo.InvariantCulture, $"O|{o.Unit}|{o.Period.Key}|{o.Existing?.Version}|{o.Actual}\n");
        }

        foreach (var l in plan.Lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"L|{l.Unit}|{l.Line}|{l.Month}|{l.Existing?.Version}|{l.Budget}|{l.Actual}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
