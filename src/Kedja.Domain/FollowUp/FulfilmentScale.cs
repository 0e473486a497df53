namespace Kedja.Domain.FollowUp;

/// <param name="Plural">The label as used after a count, "2 av 3 indikatorer uppfyllda"; defaults to the label in lower case.</param>
public sealed record ScaleStep(string Key, string Label, decimal Score, bool IsNotAssessed, string? Plural = null)
{
    public string CountedLabel => Plural ?? Label.ToLowerInvariant();
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
        new(StandardScale.Met, "Uppfyllt", 1m, false, "uppfyllda"),
        new(StandardScale.PartlyMet, "Delvis uppfyllt", 0.5m, false, "delvis uppfyllda"),
        new(StandardScale.NotMet, "Ej uppfyllt", 0m, false, "ej uppfyllda"),
        new(StandardScale.NotAssessed, "Ej bedömt", 0m, true, "ej bedömda"),
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

    public bool IsAssessed(string key) => byKey.TryGetValue(key, out var step) && !step.IsNotAssessed;
}
