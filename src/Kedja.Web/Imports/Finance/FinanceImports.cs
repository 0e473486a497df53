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
public sealed class FinanceImports(KedjaDbContext db, TenantContext tenant, IAuditActor actor, TimeProvider clock, FinanceMappings mappings)
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
        public Dictionary<(Guid Unit, int Line, int Month), (long Budget, long Actual)> Cells { get; } = [];

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
            return new ImportRun(check, false, $"Filen har {check.ProblemCount.ToString("N0", SwedishFormat.Culture)} fel, så inget importerades. Rätta felen och försök igen.");
        }

        if (expectedPlan is not null && expectedPlan != check.PlanHash)
        {
            return new ImportRun(check, false, OutcomeImports.ChangedSinceCheck);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var id = importId ?? Guid.CreateVersion7();
        if (!await WriteFramesAsync(plan, cancellationToken))
        {
            return new ImportRun(check, false, OutcomeImports.ChangedSinceCheck);
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

    /// <summary>Frames and outcomes through the change tracker: few rows, audited one by one, refused when someone changed one since the check.</summary>
    private async Task<bool> WriteFramesAsync(Plan plan, CancellationToken cancellationToken)
    {
        if (plan.Frames.Count == 0 && plan.Outcomes.Count == 0)
        {
            return true;
        }

        var units = plan.Frames.Select(f => f.Unit).Concat(plan.Outcomes.Select(o => o.Unit)).Distinct().ToList();
        var frames = await db.BudgetFrames.Include(f => f.Outcomes).Where(f => f.Year == plan.Year && units.Contains(f.UnitId)).ToDictionaryAsync(f => f.UnitId, cancellationToken);
        foreach (var f in plan.Frames)
        {
            if (frames.TryGetValue(f.Unit, out var frame))
            {
                db.ExpectVersion(frame, f.Existing?.Version ?? -1);
                frame.Amount = f.Amount;
            }
            else
            {
                db.BudgetFrames.Add(frames[f.Unit] = new BudgetFrame { UnitId = f.Unit, Year = plan.Year, Amount = f.Amount, Note = "Från ekonomisystemet" });
            }
        }

        foreach (var o in plan.Outcomes)
        {
            var frame = frames[o.Unit];
            if (frame.Outcomes.SingleOrDefault(x => x.PeriodKey == o.Period.Key) is { } outcome)
            {
                db.ExpectVersion(outcome, o.Existing?.Version ?? -1);
                outcome.Actual = o.Actual;
            }
            else
            {
                frame.Outcomes.Add(new BudgetOutcome { FrameId = frame.Id, PeriodKey = o.Period.Key, Actual = o.Actual });
            }
        }

        return await db.TrySaveAsync();
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
        var problems = new List<ImportProblem>();
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

        var errorRows = problems.Where(p => p.Row > 0).Select(p => p.Row).Distinct().Count();
        var kept = problems.OrderBy(p => p.Row).Take(OutcomeImports.KeptProblems).ToList();
        progress?.Report(100);
        return (new ImportCheck(fileName, sums.Format, fileHash, sums.Rows, added, changed, unchanged, errorRows, problems.Count, kept, samples, Hash(plan)), plan);
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

    private static Sums ReadSie(byte[] content, FinanceMapping mapping, List<ImportProblem> problems)
    {
        var sums = new Sums { Format = Sie };
        var lookup = new Lookup(mapping);
        var balances = new List<SieAmount>();
        var balanceProblems = new List<ImportProblem>();
        var file = new SieFile();
        void Take(SieAmount a, List<ImportProblem> into)
        {
            var line = lookup.Line(a.Account);
            if (line == Lookup.Outside)
            {
                return;
            }

            if (line == Lookup.Unmapped)
            {
                var name = file.Accounts.TryGetValue(a.Account, out var n) && n.Length > 0 ? $" ({n})" : "";
                into.Add(new ImportProblem(a.Line, null, $"Konto {a.Account}{name} är ett resultatkonto men hör inte till någon budgetrad i kopplingen."));
                return;
            }

            if (a.CostCentre is not { } code)
            {
                into.Add(new ImportProblem(a.Line, null, $"Raden har inget ansvar: inget objekt i dimension {mapping.Dimension}."));
                return;
            }

            if (lookup.Unit(code) is not { } unit)
            {
                var name = file.Objects.TryGetValue((mapping.Dimension, code), out var n) && n.Length > 0 ? $" ({n})" : "";
                into.Add(new ImportProblem(a.Line, null, $"Ansvar {code}{name} är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet."));
                return;
            }

            sums.Add(unit, line, a.Month, a.Ore, a.Kind == SieAmountKind.Budget);
        }

        SieReader.Read(content, mapping.Dimension, a =>
        {
            if (a.Kind == SieAmountKind.PeriodBalance)
            {
                balances.Add(a);
            }
            else
            {
                Take(a, problems);
            }
        }, problems, file);

        // Outcome from the vouchers when there are any; otherwise from the period balances: never both.
        if (file.Vouchers == 0)
        {
            foreach (var b in balances)
            {
                Take(b, problems);
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
    private static Sums? ReadTable(string fileName, byte[] content, FinanceMapping mapping, List<ImportProblem> problems)
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
                Problem("år", $"”{Cell(0)}” är inget år.");
            }
            else if (sums.Year is { } first && year != first)
            {
                Problem("år", $"Filen gäller {first}; en fil får bara gälla ett år.");
            }

            if (!int.TryParse(Cell(1), NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12)
            {
                Problem("månad", $"”{Cell(1)}” är ingen månad (1–12).");
            }

            var code = Cell(2).Trim();
            Guid? unit = null;
            if (code.Length == 0)
            {
                Problem("ansvar", "Ange ansvarskoden.");
            }
            else if ((unit = lookup.Unit(code)) is null)
            {
                Problem("ansvar", $"Ansvar {code} är inte kopplat till någon enhet. Lägg till det i kopplingen till ekonomisystemet.");
            }

            var line = Lookup.Outside;
            if (!int.TryParse(Cell(3), NumberStyles.None, CultureInfo.InvariantCulture, out var account) || account < 1)
            {
                Problem("konto", $"”{Cell(3)}” är inget kontonummer.");
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
                Problem("belopp", $"”{Cell(4)}” är inget belopp.");
            }

            var kind = Cell(5).Trim().ToLowerInvariant();
            if (kind is not ("budget" or "utfall"))
            {
                Problem("typ", $"Typen ska vara budget eller utfall, inte ”{Cell(5)}”.");
            }

            if (problems.Count == before)
            {
                sums.Year ??= year;
                sums.Add(unit!.Value, line, month, (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero), kind == "budget");
            }
        }

        return sums;
    }

    private async Task<(Plan Plan, int Added, int Changed, int Unchanged)> PlanWritesAsync(int year, Sums sums, FinanceMapping mapping, List<ImportProblem> problems,
        List<ImportRowView> samples, CancellationToken cancellationToken)
    {
        var modelYears = await db.Models.AsNoTracking().Select(m => new { m.FirstYear, m.LastYear }).ToListAsync(cancellationToken);
        if (!modelYears.Any(m => year >= m.FirstYear && year <= m.LastYear))
        {
            problems.Add(new ImportProblem(0, null, modelYears.Count == 0
                ? "Kommunen har ingen styrmodell, så det finns inget budgetår att importera till."
                : $"Året {year} ligger utanför styrmodellens år ({string.Join(", ", modelYears.Select(m => $"{m.FirstYear}–{m.LastYear}").Order())})."));
        }

        var periods = (await db.Periods.AsNoTracking().Where(p => p.Year == year).ToListAsync(cancellationToken))
            .Where(p => p.EndDate.Year == year).OrderBy(p => p.EndDate).ToList();
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

        static decimal Tkr(long ore) => Math.Round(ore / 100m, MidpointRounding.AwayFromZero) / 1000m;
        string Unit(Guid id) => names.GetValueOrDefault(id) ?? "";

        // Every line and month of a unit the file covers: the file's sums, and zero where an earlier import had one the file no longer has.
        var wanted = sums.Cells.ToDictionary(c => (c.Key.Unit, lineNames[c.Key.Line], c.Key.Month), c => c.Value);
        foreach (var key in existing.Keys.Where(k => units.Contains(k.Item1) && !wanted.ContainsKey(k)))
        {
            wanted[key] = (0, 0);
        }

        var byUnit = wanted.GroupBy(w => w.Key.Item1).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var unit in unitList.OrderBy(Unit, StringComparer.CurrentCulture))
        {
            var cells = byUnit[unit].OrderBy(w => lineNames.IndexOf(w.Key.Item2) is var i && i < 0 ? int.MaxValue : i).ThenBy(w => w.Key.Item3).ToList();
            var frame = frames.GetValueOrDefault(unit);
            var budgetOre = cells.Sum(c => c.Value.Budget);
            var amount = sums.HasBudget ? Tkr(budgetOre) : frame?.Amount ?? 0;
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
                    var actual = Tkr(cells.Where(c => c.Key.Item3 <= period.EndDate.Month).Sum(c => c.Value.Actual));
                    var before = frame?.Outcomes.SingleOrDefault(o => o.PeriodKey == period.Key);
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
                var budget = sums.HasBudget ? Tkr(value.Budget) : before?.Budget ?? 0;
                var actual = sums.HasActual ? Tkr(value.Actual) : before?.Actual ?? 0;
                var same = before is not null && before.Budget == budget && before.Actual == actual;
                Count(before, same);
                if (!same)
                {
                    plan.Lines.Add(new LinePlan(unit, line, month, before, budget, actual));
                    Sample(samples, Unit(unit), line, $"{MonthNames[month - 1]} {year}", before is null, before?.Actual, actual, before?.Budget, budget);
                }
            }

            // A locked year's budget stands as reported (review 16, finding 9).
            if ((plan.Frames.Any(f => f.Unit == unit) || plan.Lines.Any(l => l.Unit == unit)) && await Kedja.Web.Budget.BudgetLocks.CheckAsync(db, unit, year, cancellationToken) is { } locked)
            {
                problems.Add(new ImportProblem(0, null, $"{Unit(unit)}: {Lower(locked.Message)}"));
            }
        }

        return (plan, added, changed, unchanged);
    }

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
