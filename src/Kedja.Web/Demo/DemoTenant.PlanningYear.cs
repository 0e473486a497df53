using System.Globalization;
using System.Text;
using Kedja.Data;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Finance;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Budget;
using Kedja.Web.FollowUp;
using Kedja.Web.Forecasts;
using Kedja.Web.Imports;
using Kedja.Web.Imports.Finance;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Periods;
using Kedja.Web.Planning;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Demo;

/// <summary>
/// The planning year in Exempelkommun (issue 16, ADR 47): what the tenant document does not carry is written after the
/// import through the services the pages use, so that the rules apply and the history is what a person would leave:
/// 2025's year-end report locked through the workflow (cards kept as reported) and one corrected card, a forecast-only period, full-year
/// forecasts and budget comments in 2026-T2 before the nämnder submit it, a finance mapping and one imported SIE file,
/// a merger confirmed for next New Year's Day and the planning of 2027 opened with some choices.
/// </summary>
public static partial class DemoTenant
{
    private const int LockedYear = 2025;
    private const string Controller = "controller@exempelkommun.se";
    private const string FinanceFile = "exempelkommun-2026-jan-aug.se";

    /// <summary>Cost centres (ansvar) of the nämnder in the finance system, and each one's share of revenue in its net cost.</summary>
    private static readonly (string Code, string Unit, decimal Revenue)[] CostCentres =
    [
        ("110", "Barn- och utbildningsnämnden", 0.06m), ("120", "Socialnämnden", 0.09m), ("130", "Vård- och omsorgsnämnden", 0.12m),
        ("140", "Kultur- och fritidsnämnden", 0.15m), ("150", "Samhällsbyggnadsnämnden", 0.25m), ("160", "Miljö- och byggnämnden", 0.30m),
    ];

    /// <summary>Writes the planning year's data into the freshly imported demo tenant, in a scope of its own.</summary>
    public static async Task SeedPlanningYearAsync(IServiceProvider root, CancellationToken cancellationToken = default)
    {
        using var scope = root.GetRequiredService<IServiceScopeFactory>().CreateScope();
        var services = scope.ServiceProvider;
        Must(await services.GetRequiredService<TenantAccess>().EnterAsSystemAsync(Slug, cancellationToken), "kommunen");
        (services.GetRequiredService<IAuditActor>() as HttpAuditActor)?.ActFor(Controller);
        var db = services.GetRequiredService<KedjaDbContext>();
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Name, u => u.Id, cancellationToken);
        var workflow = services.GetRequiredService<FollowUpWorkflow>();

        // A forecast-only period in October, as many municipalities have before the budget decision.
        Must(await services.GetRequiredService<CalendarEditing>().AddAsync(new NewPeriodInput("forecast", 2026, 10, null), cancellationToken), "prognosperioden");

        await LockYearAsync(db, workflow, cancellationToken);
        await CorrectAsync(services, db, workflow, units, cancellationToken);
        await ForecastAsync(services, db, units, cancellationToken);
        await BudgetCommentsAsync(services, db, units, cancellationToken);
        await FinanceAsync(services, db, units, cancellationToken);

        // Nämnder and förvaltningar submit 2026-T2 once forecasts and comments are in.
        foreach (var unit in await db.Units.AsNoTracking().Where(u => u.Kind == UnitKind.Committee || u.Kind == UnitKind.Administration)
            .OrderBy(u => u.SortOrder).Select(u => u.Id).ToListAsync(cancellationToken))
        {
            Must(await workflow.TransitionAsync(unit, LastOutcome, new WorkflowInput(WorkflowAction.Submit, null, 0), cancellationToken), "inskickningen");
        }

        await ReorganiseAsync(services, units, cancellationToken);
        await PlanNextYearAsync(services, cancellationToken);
    }

    /// <summary>The approved year-end follow-ups of 2025 are locked one by one, as the controller does: each lock keeps the card as reported.</summary>
    private static async Task LockYearAsync(KedjaDbContext db, FollowUpWorkflow workflow, CancellationToken cancellationToken)
    {
        var approved = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.State == WorkflowState.Approved && db.Periods.Any(p => p.Id == s.PeriodId && p.Year == LockedYear))
            .Join(db.Periods, s => s.PeriodId, p => p.Id, (s, p) => new { s.UnitId, p.Key, p.EndDate, s.Version }).ToListAsync(cancellationToken);
        foreach (var row in approved.OrderBy(r => r.EndDate).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            Must(await workflow.TransitionAsync(row.UnitId, row.Key, new WorkflowInput(WorkflowAction.Lock, null, row.Version), cancellationToken), "låsningen av 2025");
        }
    }

    /// <summary>Vård- och omsorgsnämnden's sick leave in 2025-T3 was wrong in the payroll system: corrected after closing, with a reason.</summary>
    private static async Task CorrectAsync(IServiceProvider services, KedjaDbContext db, FollowUpWorkflow workflow, Dictionary<string, Guid> units,
        CancellationToken cancellationToken)
    {
        const string Period = "2025-T3";
        var von = units["Vård- och omsorgsnämnden"];
        var version = await db.UnitPeriodStatuses.AsNoTracking().Where(s => s.UnitId == von && db.Periods.Any(p => p.Id == s.PeriodId && p.Key == Period))
            .Select(s => s.Version).SingleAsync(cancellationToken);
        Must(await workflow.TransitionAsync(von, Period, new WorkflowInput(WorkflowAction.Correct,
            "Sjukfrånvaron för augusti var felregistrerad i lönesystemet och rättades först efter bokslutet.", version), cancellationToken), "rättelsen");
        var indicator = await db.Indicators.AsNoTracking().Where(i => i.Name == "Sjukfrånvaro inom vård och omsorg").Select(i => i.Id).SingleAsync(cancellationToken);
        var outcomes = services.GetRequiredService<OutcomeRecording>();
        var before = Must(await outcomes.GetAsync(indicator, Period, cancellationToken), "utfallet");
        Must(await outcomes.RecordAsync(new OutcomeEntry(indicator, Period, before.Value!.Value + 0.4m, null, null,
            "Rättat efter bokslutet: augusti saknade två veckors sjukskrivningar i hemtjänsten.", before.Version), cancellationToken), "det rättade utfallet");
        Must(await workflow.TransitionAsync(von, Period, new WorkflowInput(WorkflowAction.FinishCorrection, null, version + 1), cancellationToken), "rättelsens avslut");
    }

    /// <summary>Full-year forecasts with comments in 2026-T2, and the council's climate goal assessed on them.</summary>
    private static async Task ForecastAsync(IServiceProvider services, KedjaDbContext db, Dictionary<string, Guid> units, CancellationToken cancellationToken)
    {
        (string Indicator, decimal Factor, decimal Add, string Comment)[] forecasts =
        [
            ("Utsläpp av växthusgaser från kommunens fordon", 1.05m, 0m,
                "Tolv elbilar levereras först i november, så utsläppen minskar men inte hela vägen till målet i år."),
            ("Andel fossilfria fordon i kommunorganisationen", 1m, 0m, "Leveranserna från den gemensamma upphandlingen följer planen."),
            ("Nöjd Region-Index – helheten", 1m, -2m, "Årets undersökning visar lägre nöjdhet med kollektivtrafiken; helheten ligger kvar på förra årets nivå."),
            ("Nämndernas budgetavvikelse", 1m, -7.8m,
                "Socialnämnden (placeringar), vård- och omsorgsnämnden (bemanning) och barn- och utbildningsnämnden prognostiserar underskott."),
            ("Sjukfrånvaro inom vård och omsorg", 1m, 0.6m, "Korttidsfrånvaron ökade under sommaren; rehabiliteringsinsatserna ger effekt först nästa år."),
            ("Handläggningstid bygglov, median", 1m, -1m, "E-tjänsten för bygglov har kortat handläggningen sedan i våras."),
        ];
        var names = forecasts.Select(f => f.Indicator).ToList();
        var indicators = await db.Indicators.AsNoTracking().Where(i => names.Contains(i.Name)).ToListAsync(cancellationToken);
        var ids = indicators.Select(i => i.Id).ToList();
        var targets = await db.Targets.AsNoTracking().Where(t => ids.Contains(t.IndicatorId) && t.PeriodKey == "2026").ToDictionaryAsync(t => t.IndicatorId, t => t.Value, cancellationToken);
        var entries = forecasts.Select(f =>
        {
            var indicator = indicators.Single(i => i.Name == f.Indicator);
            var value = Math.Round((targets[indicator.Id]!.Value * f.Factor) + f.Add, indicator.Decimals, MidpointRounding.AwayFromZero);
            return new ForecastEntry(indicator.Id, LastOutcome, value, null, null, f.Comment, null);
        }).ToList();
        if (await services.GetRequiredService<ForecastRecording>().RecordAllAsync(entries, cancellationToken) is { } refused)
        {
            throw Refused("prognoserna", refused);
        }

        var goal = await db.Goals.AsNoTracking().Where(g => g.Title == "Minskad klimatpåverkan" && g.OwnerUnitId == units[Council]).Select(g => g.Id).SingleAsync(cancellationToken);
        Must(await services.GetRequiredService<AssessmentRecording>().RecordAsync(goal, LastOutcome, new AssessmentInput(StandardScale.PartlyMet,
            "Utfallen för helåret kommer först i mars; bedömningen bygger på prognoserna för utsläpp och fossilfria fordon.",
            "Andelen fossilfria fordon når målet, men utsläppen minskar långsammare eftersom elbilarna levereras sent på året.",
            "Tidigarelagda leveranser av elbilar till hemtjänsten i upphandlingens andra etapp.", null, BasedOnForecast: true), cancellationToken), "bedömningen");
    }

    private const string Council = "Kommunfullmäktige";

    /// <summary>Comments on the nämnder's forecasts in 2026-T2 and explanations of the deficits, except Vård- och omsorgsnämnden's, which the start page then lists.</summary>
    private static async Task BudgetCommentsAsync(IServiceProvider services, KedjaDbContext db, Dictionary<string, Guid> units, CancellationToken cancellationToken)
    {
        (string Unit, string Comment, string? Explanation)[] comments =
        [
            ("Barn- och utbildningsnämnden", "Fler elever i grundsärskolan och dyrare skolskjutsar än budgeterat.",
                "Underskottet beror på skolskjutsarna: det nya avtalet började gälla i augusti. Nämnden har beslutat om en åtgärdsplan för resten av året."),
            ("Socialnämnden", "Tre nya externa placeringar av barn och unga under sommaren.",
                "Placeringarna är beslutade enligt socialtjänstlagen och kan inte skjutas upp. Fler insatser på hemmaplan ska minska behovet från 2027."),
            ("Vård- och omsorgsnämnden", "Sjukfrånvaro och timvikarier under sommaren gör personalkostnaderna högre än budget.", null),
            ("Kultur- och fritidsnämnden", "Vakanta tjänster på biblioteket under våren.", null),
            ("Samhällsbyggnadsnämnden", "Lägre kostnader för vinterväghållning än ett normalår.", null),
        ];
        var budget = services.GetRequiredService<BudgetEditing>();
        foreach (var (name, comment, explanation) in comments)
        {
            var unit = units[name];
            var outcome = await db.BudgetOutcomes.AsNoTracking().Where(o => o.PeriodKey == LastOutcome && db.BudgetFrames.Any(f => f.Id == o.FrameId && f.UnitId == unit && f.Year == 2026))
                .SingleAsync(cancellationToken);
            var saved = Must(await budget.RecordOutcomeAsync(unit, 2026, LastOutcome, new BudgetOutcomeInput(outcome.Actual, outcome.Forecast, outcome.Version, comment),
                cancellationToken: cancellationToken), "budgetkommentaren");
            if (explanation is not null)
            {
                Must(await budget.ExplainDeviationAsync(unit, 2026, LastOutcome, new DeviationExplanationInput(explanation, saved.Version), cancellationToken), "förklaringen");
            }
        }
    }

    /// <summary>The mapping from the finance system's cost centres and accounts, and its SIE 4 file for January to August imported as an administrator would.</summary>
    private static async Task FinanceAsync(IServiceProvider services, KedjaDbContext db, Dictionary<string, Guid> units, CancellationToken cancellationToken)
    {
        Must(await services.GetRequiredService<FinanceMappings>().SetAsync(new FinanceMappingDto(1, 3000, 8999,
            [.. CostCentres.Select(c => new FinanceUnitRange(c.Code, null, units[c.Unit]))], [.. FinanceMappings.ProposedAccounts], null),
            cancellationToken: cancellationToken), "kopplingen till ekonomisystemet");
        var frames = await db.BudgetFrames.AsNoTracking().Include(f => f.Outcomes).Where(f => f.Year == 2026 && !f.IsDraft).ToDictionaryAsync(f => f.UnitId, cancellationToken);
        var content = Sie(CostCentres.Select(c => (c, frames[units[c.Unit]])).ToList());
        var imports = services.GetRequiredService<FinanceImports>();
        var run = await imports.ImportAsync(FinanceFile, content, expectedPlan: null, cancellationToken: cancellationToken);
        if (run.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"Demodata är ogiltiga: ekonomifilen: {refusal} {string.Join(" ", run.Check.Problems.Select(ImportReport.Line))}");
        }

        await services.GetRequiredService<ImportJobs>().LogAsync(FinanceFile, content, run, Domain.Imports.OutcomeImportKind.Finance, cancellationToken);
    }

    /// <summary>
    /// The SIE 4 file the finance system exports (PC8, CRLF): the year's budget per month, and period balances to August
    /// that add up, per nämnd, to the outcomes its follow-ups already hold, so the import explains them line by line.
    /// </summary>
    private static byte[] Sie(List<((string Code, string Unit, decimal Revenue) Centre, Domain.Budget.BudgetFrame Frame)> nämnder)
    {
        var lines = new List<string>
        {
            "#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#PROGRAM \"Ekonomisystemet\" 8.2", "#GEN 20260910", "#FNAMN \"Exempelkommun\"", "#ORGNR 212000-9999",
            "#RAR 0 20260101 20261231", "#KONTO 3010 \"Taxor och avgifter\"", "#KONTO 4010 \"Löner månadsavlönade\"", "#KONTO 5410 \"Förbrukningsinventarier\"",
            "#DIM 1 \"Ansvar\"",
        };
        lines.AddRange(nämnder.Select(n => $"#OBJEKT 1 \"{n.Centre.Code}\" \"{n.Centre.Unit}\""));
        static string Kr(long kronor) => kronor.ToString(CultureInfo.InvariantCulture) + ".00";
        foreach (var (centre, frame) in nämnder)
        {
            var budget = Split((long)(frame.Amount * 1000m), 1, 12, centre.Revenue);
            var t1 = (long)(frame.Outcomes.Single(o => o.PeriodKey == "2026-T1").Actual * 1000m);
            var t2 = (long)(frame.Outcomes.Single(o => o.PeriodKey == LastOutcome).Actual * 1000m);
            var actual = Split(t1, 1, 4, centre.Revenue).Concat(Split(t2 - t1, 5, 8, centre.Revenue));
            lines.AddRange(budget.Select(b => $"#PBUDGET 0 2026{b.Month:D2} {b.Account} {{1 \"{centre.Code}\"}} {Kr(b.Kronor)}"));
            lines.AddRange(actual.Select(a => $"#PSALDO 0 2026{a.Month:D2} {a.Account} {{1 \"{centre.Code}\"}} {Kr(a.Kronor)}"));
        }

        return CodePagesEncodingProvider.Instance.GetEncoding(437)!.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    /// <summary>A net cost in whole kronor over the months: revenue (negative), wages and other costs, the last month taking what rounding leaves.</summary>
    private static IEnumerable<(int Month, int Account, long Kronor)> Split(long net, int first, int last, decimal revenueShare)
    {
        var revenue = -(long)Math.Round(net * revenueShare);
        var wages = (long)Math.Round((net - revenue) * 0.7m);
        var other = net - revenue - wages;
        var months = last - first + 1;
        foreach (var (account, total) in new[] { (3010, revenue), (4010, wages), (5410, other) })
        {
            var each = total / months;
            for (var month = first; month <= last; month++)
            {
                yield return (month, account, month == last ? total - (each * (months - 1)) : each);
            }
        }
    }

    /// <summary>Hemtjänst norr and söder become one unit next New Year's Day; the proposed mapping (everything to the new unit) is confirmed.</summary>
    private static async Task ReorganiseAsync(IServiceProvider services, Dictionary<string, Guid> units, CancellationToken cancellationToken)
    {
        var reorganisations = services.GetRequiredService<Reorganisations>();
        var planned = Must(await reorganisations.PlanAsync(new ReorganisationInput("En gemensam hemtjänst", new DateOnly(2027, 1, 1),
            [new ReorganisationStepInput(ReorganisationKind.Merge, [units["Hemtjänst norr"], units["Hemtjänst söder"]], NewName: "Hemtjänsten")]), cancellationToken),
            "omorganisationen");
        Must(await reorganisations.ConfirmAsync(planned.Id, new ReorganisationVersionInput(planned.Version), cancellationToken), "omorganisationens bekräftelse");
    }

    /// <summary>2027 opened beside 2026: the model and the mandate's goals continue, some proposed targets accepted, frames as drafts. Not activated.</summary>
    private static async Task PlanNextYearAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var planning = services.GetRequiredService<PlanningYears>();
        var view = Must(await planning.OpenAsync(2027, cancellationToken), "planeringen av 2027");
        var targets = view.Indicators.Where(i => i.Proposals.Count > 0).Take(6)
            .Select(i => i.Proposals[0] is var p ? new TargetChoice(i.Id, p.Value, p.Min, p.Max, p.Kind) : null!).ToList();
        var choices = new PlanningChoicesDto(true, [.. view.Goals.Where(g => g.CanExtend && !g.Continues).Select(g => g.Id)], targets,
            [.. view.Activities.Where(a => a.Status != Domain.Activities.ActivityStatus.NotStarted).Take(2).Select(a => a.Id)],
            [.. view.ControlActions.Where(a => a.Blocked is null).Take(2).Select(a => a.Id)],
            [.. view.Budget.Where(b => b.ThisYear is not null).Select(b => new BudgetChoice(b.UnitId, Math.Round(b.ThisYear!.Value * 1.025m / 100m) * 100m))],
            view.Version);
        Must(await planning.SaveChoicesAsync(2027, choices, cancellationToken), "valen för 2027");
    }

    private static T Must<T>(ServiceResult<T> result, string what) => result.Error is { } error ? throw Refused(what, error) : result.Value!;

    private static InvalidOperationException Refused(string what, ServiceError error) =>
        new($"Demodata är ogiltiga: {what}: {error.Message} {string.Join("; ", (error.Errors ?? new Dictionary<string, string[]>()).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
}
