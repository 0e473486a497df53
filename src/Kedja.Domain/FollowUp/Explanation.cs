using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Domain.FollowUp;

/// <summary>
/// Why the engine gave a status, kept as the facts it found and said in a language only when shown (ADR 27). Results
/// are computed once and shared by every reader, whatever language each reads in; numbers are written the Swedish way
/// in every language. Serialised as its Swedish sentence, the API's language.
/// </summary>
[JsonConverter(typeof(ExplanationJsonConverter))]
public abstract record Explanation
{
    /// <summary>The sentence in the culture's language: English for "en", Swedish otherwise.</summary>
    public string In(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? ExplanationWords.English(this) : ExplanationWords.Swedish(this);

    public string Swedish => ExplanationWords.Swedish(this);

    public sealed override string ToString() => Swedish;
}

/// <summary>A figure as an indicator shows it: its decimals and its unit of measure.</summary>
public sealed record Figure(decimal Value, int Decimals, string Unit)
{
    public override string ToString()
    {
        var text = SwedishFormat.Number(Value, Decimals);
        return string.IsNullOrEmpty(Unit) ? text : $"{text} {Unit}";
    }
}

/// <summary>A target as the explanation names it; a range has a lower and an upper bound.</summary>
public sealed record TargetFigure(Direction Direction, Figure? Value, Figure? Min, Figure? Max);

/// <summary>A sentence that came from outside the engine (read back from JSON): said as it is in every language.</summary>
public sealed record Said(string Text) : Explanation;

/// <summary>The indicator is measured less often than the period: nothing falls due in it.</summary>
public sealed record NotMeasuredInPeriod(PeriodKind Periodicity) : Explanation;

/// <summary>No value of its own falls in the follow-up: the latest earlier one, from <paramref name="Period"/>, was assessed as <paramref name="Found"/> says.</summary>
public sealed record LatestAvailableValue(PeriodRef Period, Explanation Found) : Explanation;

/// <summary>A neutral indicator: followed without assessment; <paramref name="Outcome"/> is null when it is missing.</summary>
public sealed record NeutralIndicator(PeriodRef Period, Figure? Outcome) : Explanation;

/// <summary>The outcome is missing; <paramref name="Target"/> is null when the target is missing too.</summary>
public sealed record OutcomeMissing(PeriodRef Period, TargetFigure? Target) : Explanation;

public sealed record TargetMissing(PeriodRef Period, Figure Outcome) : Explanation;

/// <summary>An outcome measured against its target: how much of it is reached and the status that gives.</summary>
public sealed record IndicatorAssessed(PeriodRef Period, Figure Outcome, TargetFigure Target, decimal Achievement, ScaleStep Status) : Explanation;

/// <summary>A full-year forecast measured against the year's target: "Prognos: uppfylls delvis, 1,6 mot målet 2,0".</summary>
public sealed record ForecastAssessed(int Year, Figure Forecast, TargetFigure Target, decimal Achievement, ScaleStep Status) : Explanation;

/// <summary>A full-year forecast of a neutral indicator: followed without assessment.</summary>
public sealed record ForecastNeutral(int Year, Figure Forecast) : Explanation;

/// <summary>A full-year forecast with no target for the year to measure it against.</summary>
public sealed record ForecastTargetMissing(int Year, Figure Forecast) : Explanation;

/// <summary>The goal's assessment rests on the full-year forecasts of its indicators, as its assessor said.</summary>
public sealed record AssessmentBasedOnForecast : Explanation;

/// <summary>The goal is not valid in the year followed up.</summary>
public sealed record GoalNotValid(int Year) : Explanation;

/// <summary>The model follows this kind of unit up less often (a company yearly): the period is not one of its follow-ups.</summary>
public sealed record UnitNotFollowedUp(UnitKind Kind, PeriodRef Period) : Explanation;

public sealed record NotInPeriodModel : Explanation;

public sealed record ManualLevel : Explanation;

/// <summary>The goal links run in a circle (bad data past validation): the goal cannot be computed.</summary>
public sealed record CircularChain : Explanation;

public sealed record NothingToAssess : Explanation;

/// <summary>
/// Inputs without data: all of them (<paramref name="Missing"/> equals <paramref name="Counted"/>), or some under a rule
/// that then makes the goal not assessed. <paramref name="Kind"/> is null when indicators and goals are mixed.
/// </summary>
/// <param name="OnlyOutcomes">Every missing input is an indicator that lacks its outcome (not its target).</param>
public sealed record InputsMissing(InputKind? Kind, int Missing, int Counted, bool OnlyOutcomes) : Explanation;

/// <summary>A suggestion from a goal's inputs under its level's rule.</summary>
/// <param name="Met">How many inputs are at the scale's top step.</param>
/// <param name="Others">The other assessed steps that some inputs are at, best first, with how many.</param>
/// <param name="Share">The (weighted) share of the score; null under rules that do not compute one.</param>
/// <param name="Thresholds">The rule's steps, highest first: the status and the share it starts at.</param>
public sealed record RolledUp(
    InputKind? Kind,
    int Counted,
    ScaleStep Top,
    int Met,
    IReadOnlyList<(ScaleStep Step, int Count)> Others,
    ScaleStep NotAssessed,
    int Missing,
    ScaleStep? MissingCountsAs,
    RollupKind Rule,
    decimal? Share,
    IReadOnlyList<(ScaleStep Step, decimal From)> Thresholds,
    ScaleStep Result) : Explanation;

/// <summary>A contributing goal's line in the trace when it was assessed by hand.</summary>
public sealed record AssessedBelow(ScaleStep Status) : Explanation;

/// <summary>A contributing goal's line in the trace when its status is the engine's suggestion.</summary>
public sealed record SuggestedBelow(ScaleStep Status, Explanation Why) : Explanation;

public sealed class ExplanationJsonConverter : JsonConverter<Explanation>
{
    public override Explanation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new Said(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, Explanation value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Swedish);
}
