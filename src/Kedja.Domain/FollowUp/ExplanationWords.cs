using System.Text;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Domain.FollowUp;

/// <summary>The engine's explanations said in Swedish and in English, each with its own grammar.</summary>
public static class ExplanationWords
{
    public static string Swedish(Explanation explanation) => explanation switch
    {
        Said said => said.Text,
        NotMeasuredInPeriod x => $"Mäts {Periodicity(x.Periodicity)} och har inget mätvärde som ska följas upp i perioden.",
        LatestAvailableValue x => $"Senaste tillgängliga värde, från {x.Period.Label.ToLowerInvariant()}. {Swedish(x.Found)}",
        NeutralIndicator { Outcome: null } x => $"Utfall saknas för {x.Period.Label}. Neutral indikator: följs utan bedömning.",
        NeutralIndicator x => $"Utfall {x.Outcome}. Neutral indikator: följs utan bedömning.",
        OutcomeMissing { Target: null } x => $"Utfall och målvärde saknas för {x.Period.Label}.",
        OutcomeMissing x => $"Utfall saknas för {x.Period.Label}; {Target(x.Target!)}.",
        TargetMissing x => $"Utfall {x.Outcome}, men målvärde saknas för {x.Period.Label}.",
        IndicatorAssessed x => $"Utfall {x.Period.Label} {x.Outcome} mot {Target(x.Target)}: "
            + $"{(x.Achievement >= 1m ? "målet nått" : $"{SwedishFormat.Percent(x.Achievement)} av målet")} → {x.Status.Label}.",
        ForecastAssessed x => $"Prognos: {x.Status.ForecastWords()}, {x.Forecast} mot {ForecastTarget(x.Target)}.",
        ForecastNeutral x => $"Prognos för helåret {x.Year}: {x.Forecast}. Neutral indikator: följs utan bedömning.",
        ForecastTargetMissing x => $"Prognos för helåret {x.Year}: {x.Forecast}, men målvärde för {x.Year} saknas.",
        AssessmentBasedOnForecast => "Bedömningen bygger på helårsprognosen.",
        GoalNotValid x => $"Målet gäller inte {x.Year}.",
        UnitNotFollowedUp x => $"{UnitKindNames.Swedish(x.Kind)} följs inte upp i {x.Period.Label}.",
        NotInPeriodModel => "Ingår inte i periodens styrmodell.",
        CircularChain => "Målkedjan har en cirkelreferens; målet kan inte beräknas.",
        ManualLevel => "Målnivån bedöms manuellt; inget förslag beräknas.",
        NothingToAssess => "Inga indikatorer eller bidragande mål att bedöma i perioden.",
        InputsMissing x when x.Missing == x.Counted => $"{Noun.Of(x.Kind).None} av {Noun.Of(x.Kind).Count(x.Counted)} {Has(x)}.",
        InputsMissing x => $"{x.Missing} av {Noun.Of(x.Kind).Count(x.Counted)} {Lacks(x)}.",
        RolledUp x => Swedish(x),
        AssessedBelow x => $"Bedömt {x.Status.Label}.",
        SuggestedBelow x => $"Förslag {x.Status.Label}: {Swedish(x.Why)}",
        _ => throw new ArgumentOutOfRangeException(nameof(explanation), explanation.GetType().Name, "Okänd förklaring."),
    };

    public static string English(Explanation explanation) => explanation switch
    {
        Said said => said.Text,
        NotMeasuredInPeriod x => $"Measured {EnglishPeriodicity(x.Periodicity)}, with no value to follow up in the period.",
        LatestAvailableValue x => $"Latest available value, from {x.Period.EnglishLabel.ToLowerInvariant()}. {English(x.Found)}",
        NeutralIndicator { Outcome: null } x => $"No outcome for {x.Period.EnglishLabel}. Neutral indicator: followed without assessment.",
        NeutralIndicator x => $"Outcome {x.Outcome}. Neutral indicator: followed without assessment.",
        OutcomeMissing { Target: null } x => $"Outcome and target missing for {x.Period.EnglishLabel}.",
        OutcomeMissing x => $"No outcome for {x.Period.EnglishLabel}; {EnglishTarget(x.Target!)}.",
        TargetMissing x => $"Outcome {x.Outcome}, but no target for {x.Period.EnglishLabel}.",
        IndicatorAssessed x => $"Outcome {x.Period.EnglishLabel} {x.Outcome} against {EnglishTarget(x.Target)}: "
            + $"{(x.Achievement >= 1m ? "target reached" : $"{SwedishFormat.Percent(x.Achievement)} of the target")} → {x.Status.EnglishLabel}.",
        ForecastAssessed x => $"Forecast: {x.Status.EnglishForecastWords()}, {EnglishFigure(x.Forecast)} against {EnglishForecastTarget(x.Target)}.",
        ForecastNeutral x => $"Full-year forecast {x.Year}: {EnglishFigure(x.Forecast)}. Neutral indicator: followed without assessment.",
        ForecastTargetMissing x => $"Full-year forecast {x.Year}: {EnglishFigure(x.Forecast)}, but no target for {x.Year}.",
        AssessmentBasedOnForecast => "The assessment rests on the full-year forecast.",
        GoalNotValid x => $"The goal does not apply in {x.Year}.",
        UnitNotFollowedUp x => $"The model does not follow up a {UnitKindNames.English(x.Kind).ToLowerInvariant()} in {x.Period.EnglishLabel}.",
        NotInPeriodModel => "Not part of the period's governance model.",
        CircularChain => "The chain of goals runs in a circle; the goal cannot be computed.",
        ManualLevel => "Goals at this level are assessed by hand; no suggestion is computed.",
        NothingToAssess => "No indicators or contributing goals to assess in the period.",
        InputsMissing x when x.Missing == x.Counted => $"None of {EnglishCount(x.Kind, x.Counted)} {EnglishHas(x)}.",
        InputsMissing x => $"{x.Missing} of {EnglishCount(x.Kind, x.Counted)} {EnglishLacks(x)}.",
        RolledUp x => English(x),
        AssessedBelow x => $"Assessed {x.Status.EnglishLabel}.",
        SuggestedBelow x => $"Suggested {x.Status.EnglishLabel}: {English(x.Why)}",
        _ => throw new ArgumentOutOfRangeException(nameof(explanation), explanation.GetType().Name, "Unknown explanation."),
    };

    public static string Periodicity(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => "månadsvis",
        PeriodKind.Quarter => "kvartalsvis",
        PeriodKind.Tertial => "per tertial",
        PeriodKind.HalfYear => "per halvår",
        PeriodKind.Interim => "vid delår",
        _ => "årsvis",
    };

    private static string EnglishPeriodicity(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => "monthly",
        PeriodKind.Quarter => "quarterly",
        PeriodKind.Tertial => "per tertial",
        PeriodKind.HalfYear => "half-yearly",
        PeriodKind.Interim => "at the interim report",
        _ => "yearly",
    };

    /// <summary>"målvärde 6,0 % (lägre är bättre)" or "målintervall 90–100 %".</summary>
    private static string Target(TargetFigure target) => target.Direction == Direction.TargetRange
        ? $"målintervall {Bound(target.Min ?? target.Value)}–{Bound(target.Max ?? target.Value)}"
        : $"målvärde {Bound(target.Value)} ({(target.Direction == Direction.LowerIsBetter ? "lägre är bättre" : "högre är bättre")})";

    private static string EnglishTarget(TargetFigure target) => target.Direction == Direction.TargetRange
        ? $"target range {Bound(target.Min ?? target.Value)}–{Bound(target.Max ?? target.Value)}"
        : $"target {Bound(target.Value)} ({(target.Direction == Direction.LowerIsBetter ? "lower is better" : "higher is better")})";

    /// <summary>"målet 2,0", "målet 6,0 (lägre är bättre)", "målintervallet 90–100 %".</summary>
    private static string ForecastTarget(TargetFigure target) => target.Direction switch
    {
        Direction.TargetRange => $"målintervallet {Bound(target.Min ?? target.Value)}–{Bound(target.Max ?? target.Value)}",
        Direction.LowerIsBetter => $"målet {Bound(target.Value)} (lägre är bättre)",
        _ => $"målet {Bound(target.Value)}",
    };

    private static string EnglishForecastTarget(TargetFigure target) => target.Direction switch
    {
        Direction.TargetRange => $"the target range {EnglishBound(target.Min ?? target.Value)}–{EnglishBound(target.Max ?? target.Value)}",
        Direction.LowerIsBetter => $"the target {EnglishBound(target.Value)} (lower is better)",
        _ => $"the target {EnglishBound(target.Value)}",
    };

    /// <summary>A figure the English way ("1.6", "1,234.5 %"): the forecast sentences are new and read as English throughout.</summary>
    private static string EnglishFigure(Figure figure)
    {
        var text = figure.Value.ToString("N" + Math.Clamp(figure.Decimals, 0, 6), System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        return string.IsNullOrEmpty(figure.Unit) ? text : $"{text} {figure.Unit}";
    }

    private static string EnglishBound(Figure? figure) => figure is null ? "–" : EnglishFigure(figure);

    private static string Bound(Figure? figure) => figure?.ToString() ?? "–";

    /// <summary>
    /// "1 av 2 indikatorer är uppfyllda, 1 är inte uppfylld": after "N av M" the predicate agrees with the M things,
    /// after "ingen av M" and after a lone count with the one thing.
    /// </summary>
    private static string Swedish(RolledUp x)
    {
        var noun = Noun.Of(x.Kind);
        var text = new StringBuilder(x.Met == 0
            ? $"{noun.None} av {noun.Count(x.Counted)} är {x.Top.Predicate(1, noun.Gender)}"
            : $"{x.Met} av {noun.Count(x.Counted)} är {x.Top.Predicate(x.Counted, noun.Gender)}");
        foreach (var (step, n) in x.Others)
        {
            text.Append($", {n} är {step.Predicate(n, noun.Gender)}");
        }

        if (x.Missing > 0)
        {
            text.Append($", {x.Missing} är {x.NotAssessed.Predicate(x.Missing, noun.Gender)}");
            text.Append(x.MissingCountsAs is { } bottom ? $" (räknas som {bottom.Predicate(x.Missing, noun.Gender)})" : " (räknas inte)");
        }

        text.Append(x.Rule switch
        {
            RollupKind.AllMet => $". Regel: alla ska vara {x.Top.Predicate(x.Counted, noun.Gender)}",
            RollupKind.WorstOf => ". Regel: sämsta underlaget avgör",
            _ => $". {(x.Rule == RollupKind.Weighted ? "Viktad andel" : "Andel")} {SwedishFormat.Percent(x.Share ?? 0m)}"
                + (x.Thresholds.Count > 0 ? $" ({string.Join(", ", x.Thresholds.Select(t => $"{t.Step.Label} från {SwedishFormat.Percent(t.From)}"))})" : ""),
        });
        return text.Append($" → {x.Result.Label}.").ToString();
    }

    /// <summary>"1 of 2 indicators is met, 1 is not met."</summary>
    private static string English(RolledUp x)
    {
        var text = new StringBuilder(x.Met == 0
            ? $"None of {EnglishCount(x.Kind, x.Counted)} is {x.Top.EnglishPredicate}"
            : $"{x.Met} of {EnglishCount(x.Kind, x.Counted)} {Is(x.Met)} {x.Top.EnglishPredicate}");
        foreach (var (step, n) in x.Others)
        {
            text.Append($", {n} {Is(n)} {step.EnglishPredicate}");
        }

        if (x.Missing > 0)
        {
            text.Append($", {x.Missing} {Is(x.Missing)} {x.NotAssessed.EnglishPredicate}");
            text.Append(x.MissingCountsAs is { } bottom ? $" (counted as {bottom.EnglishPredicate})" : " (not counted)");
        }

        text.Append(x.Rule switch
        {
            RollupKind.AllMet => $". Rule: all must be {x.Top.EnglishPredicate}",
            RollupKind.WorstOf => ". Rule: the weakest input decides",
            _ => $". {(x.Rule == RollupKind.Weighted ? "Weighted share" : "Share")} {SwedishFormat.Percent(x.Share ?? 0m)}"
                + (x.Thresholds.Count > 0 ? $" ({string.Join(", ", x.Thresholds.Select(t => $"{t.Step.EnglishLabel} from {SwedishFormat.Percent(t.From)}"))})" : ""),
        });
        return text.Append($" → {x.Result.EnglishLabel}.").ToString();
    }

    private static string Is(int count) => count == 1 ? "is" : "are";

    /// <summary>What none of the inputs has: "har utfall" when every indicator lacks its outcome.</summary>
    private static string Has(InputsMissing x) => x.Kind switch
    {
        InputKind.Indicator => x.OnlyOutcomes ? "har utfall" : "har både utfall och målvärde",
        InputKind.Goal => "har förslag eller bedömning",
        _ => "har utfall eller bedömning",
    };

    /// <summary>What the missing inputs lack: "saknar utfall".</summary>
    private static string Lacks(InputsMissing x) => x.Kind switch
    {
        InputKind.Indicator => x.OnlyOutcomes ? "saknar utfall" : "saknar utfall eller målvärde",
        InputKind.Goal => "saknar förslag eller bedömning",
        _ => "saknar utfall eller bedömning",
    };

    private static string EnglishHas(InputsMissing x) => x.Kind switch
    {
        InputKind.Indicator => x.OnlyOutcomes ? "has an outcome" : "has both an outcome and a target",
        InputKind.Goal => "has a suggestion or an assessment",
        _ => "has an outcome or an assessment",
    };

    private static string EnglishLacks(InputsMissing x)
    {
        var verb = x.Missing == 1 ? "lacks" : "lack";
        return x.Kind switch
        {
            InputKind.Indicator => x.OnlyOutcomes ? $"{verb} an outcome" : $"{verb} an outcome or a target",
            InputKind.Goal => $"{verb} a suggestion or an assessment",
            _ => $"{verb} an outcome or an assessment",
        };
    }

    /// <summary>"1 indicator", "2 contributing goals", "3 inputs".</summary>
    private static string EnglishCount(InputKind? kind, int count)
    {
        var noun = kind switch { InputKind.Indicator => "indicator", InputKind.Goal => "contributing goal", _ => "input" };
        return $"{count} {noun}{(count == 1 ? "" : "s")}";
    }

    /// <summary>
    /// What a goal's inputs are called in Swedish, in number and gender: "indikator" is an en-word, "mål" and "underlag"
    /// (indicators and goals together) are ett-words.
    /// </summary>
    private sealed record Noun(string Singular, string Plural, NounGender Gender)
    {
        private static readonly Noun Indicators = new("indikator", "indikatorer", NounGender.Common);
        private static readonly Noun Goals = new("bidragande mål", "bidragande mål", NounGender.Neuter);
        private static readonly Noun Mixed = new("underlag", "underlag", NounGender.Neuter);

        public static Noun Of(InputKind? kind) => kind switch { InputKind.Indicator => Indicators, InputKind.Goal => Goals, _ => Mixed };

        /// <summary>"Ingen" for en-words, "Inget" for ett-words.</summary>
        public string None => Gender == NounGender.Common ? "Ingen" : "Inget";

        /// <summary>"1 indikator", "2 indikatorer".</summary>
        public string Count(int count) => $"{count} {(count == 1 ? Singular : Plural)}";
    }
}
