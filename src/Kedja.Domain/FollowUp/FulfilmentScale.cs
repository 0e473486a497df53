namespace Kedja.Domain.FollowUp;

/// <summary>The grammatical gender of the noun a count refers to: en-words ("en indikator") and ett-words ("ett mål", "ett underlag").</summary>
public enum NounGender
{
    Common,
    Neuter,
}

/// <summary>One step of a fulfilment scale as the engine sees it, with the forms its explanations need.</summary>
/// <param name="Plural">After a count of several, or of one among several: "2 är uppfyllda", "1 av 2 indikatorer är uppfyllda".</param>
/// <param name="SingularCommon">After one en-word: "1 indikator är uppfylld", "ingen av 2 indikatorer är uppfylld".</param>
/// <param name="SingularNeuter">After one ett-word: "1 mål är uppfyllt", "inget av 2 bidragande mål är uppfyllt".</param>
/// <remarks>
/// A form that is absent is taken from the standard scale when the label is one of its labels, else it is the label in
/// lower case: the label names a goal's status, so it is usually the ett-word form already.
/// </remarks>
/// <param name="ForecastPhrase">What a forecast at this step is said to do, as a verb: "uppfylls delvis" in "Prognos: uppfylls delvis, 1,6 mot målet 2,0".</param>
public sealed record ScaleStep(string Key, string Label, decimal Score, bool IsNotAssessed, string? Plural = null, string? SingularCommon = null, string? SingularNeuter = null,
    string? ForecastPhrase = null)
{
    /// <summary>
    /// The step as a forecast says it: its own phrase, else the standard scale key's ("uppfylls", "uppfylls delvis",
    /// "uppfylls inte"), else "bedöms bli" and the predicate after one indicator ("bedöms bli delvis uppfylld").
    /// </summary>
    public string ForecastWords() =>
        !string.IsNullOrWhiteSpace(ForecastPhrase) ? ForecastPhrase.Trim()
        : StandardForecast.TryGetValue(Key, out var known) ? known.Swedish
        : $"bedöms bli {Predicate(1, NounGender.Common)}";

    /// <summary>"met", "partly met", "not met" for the standard keys; else "expected to be" and the label as written.</summary>
    public string EnglishForecastWords() =>
        StandardForecast.TryGetValue(Key, out var known) && string.IsNullOrWhiteSpace(ForecastPhrase) ? known.English : $"expected to be {EnglishPredicate}";

    private static readonly Dictionary<string, (string Swedish, string English)> StandardForecast = new(StringComparer.Ordinal)
    {
        [StandardScale.Met] = ("uppfylls", "met"),
        [StandardScale.PartlyMet] = ("uppfylls delvis", "partly met"),
        [StandardScale.NotMet] = ("uppfylls inte", "not met"),
    };

    /// <summary>The step as the predicate after a count of <paramref name="count"/> things of the gender: "uppfylld", "uppfyllt", "uppfyllda".</summary>
    public string Predicate(int count, NounGender gender)
    {
        (string Common, string Neuter, string Plural)? standard = StandardForms.TryGetValue(Label.Trim().ToLowerInvariant(), out var known) ? known : null;
        var form = count != 1 ? Plural ?? standard?.Plural
            : gender == NounGender.Common ? SingularCommon ?? standard?.Common
            : SingularNeuter ?? standard?.Neuter;
        return form ?? Label.ToLowerInvariant();
    }

    /// <summary>
    /// The label in English: the standard scale's labels are the product's words and have English names; a tenant's
    /// own labels are its data and stay as written.
    /// </summary>
    public string EnglishLabel => English(Label);

    /// <summary>"met", "partly met"; a tenant's own label as written.</summary>
    public string EnglishPredicate => StandardEnglish.TryGetValue(Label.Trim().ToLowerInvariant(), out var known) ? known.ToLowerInvariant() : Label;

    /// <summary>The English name of one of the standard scale's labels, else the label as written.</summary>
    public static string English(string label) => StandardEnglish.TryGetValue(label.Trim().ToLowerInvariant(), out var known) ? known : label;

    private static readonly Dictionary<string, string> StandardEnglish = new(StringComparer.Ordinal)
    {
        ["uppfyllt"] = "Met",
        ["delvis uppfyllt"] = "Partly met",
        ["ej uppfyllt"] = "Not met",
        ["ej bedömt"] = "Not assessed",
    };

    private static readonly Dictionary<string, (string Common, string Neuter, string Plural)> StandardForms = new(StringComparer.Ordinal)
    {
        ["uppfyllt"] = ("uppfylld", "uppfyllt", "uppfyllda"),
        ["delvis uppfyllt"] = ("delvis uppfylld", "delvis uppfyllt", "delvis uppfyllda"),
        ["ej uppfyllt"] = ("inte uppfylld", "inte uppfyllt", "inte uppfyllda"),
        ["ej bedömt"] = ("inte bedömd", "inte bedömt", "inte bedömda"),
    };
}

/// <summary>A model's fulfilment scale as the engine sees it: the best and worst assessed steps and the "ej bedömt" step.</summary>
public sealed class FulfilmentScale
{
    private readonly Dictionary<string, ScaleStep> byKey;

    public FulfilmentScale(IEnumerable<ScaleStep> steps)
    {
        var all = steps.ToList();
        byKey = all.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var assessed = all.Where(s => !s.IsNotAssessed).OrderByDescending(s => s.Score).ToList();
        if (assessed.Count < 2)
        {
            throw new ArgumentException("En skala behöver minst två bedömda steg.", nameof(steps));
        }

        NotAssessed = all.SingleOrDefault(s => s.IsNotAssessed)
            ?? throw new ArgumentException("En skala behöver ett steg för 'ej bedömt'.", nameof(steps));
        Top = assessed[0];
        Bottom = assessed[^1];
        Assessed = assessed;
    }

    public static FulfilmentScale Standard { get; } = new(
    [
        new(StandardScale.Met, "Uppfyllt", 1m, false),
        new(StandardScale.PartlyMet, "Delvis uppfyllt", 0.5m, false),
        new(StandardScale.NotMet, "Ej uppfyllt", 0m, false),
        new(StandardScale.NotAssessed, "Ej bedömt", 0m, true),
    ]);

    public ScaleStep Top { get; }

    public ScaleStep Bottom { get; }

    public ScaleStep NotAssessed { get; }

    /// <summary>Assessed steps, best first.</summary>
    public IReadOnlyList<ScaleStep> Assessed { get; }

    public bool Contains(string key) => byKey.ContainsKey(key);

    public ScaleStep this[string key] => byKey.TryGetValue(key, out var step)
        ? step
        : throw new KeyNotFoundException($"Statusen '{key}' finns inte i skalan.");

    public string Label(string key) => byKey.TryGetValue(key, out var step) ? step.Label : key;

    /// <summary>The step of the key; a key outside the scale (a rule naming a removed step) as a step named by its key.</summary>
    public ScaleStep Step(string key) => byKey.TryGetValue(key, out var step) ? step : new ScaleStep(key, key, 0m, false);

    public bool IsAssessed(string key) => byKey.TryGetValue(key, out var step) && !step.IsNotAssessed;
}
