namespace Kedja.Domain;

/// <summary>
/// The years Kedja accepts anywhere a year comes from outside: mandate periods, goal validity, budget years, period
/// keys. Wide enough for any real plan and its history, narrow enough that no date arithmetic can overflow.
/// </summary>
public static class Years
{
    public const int Min = 1990;

    public const int Max = 2100;

    public static bool Contains(int year) => year is >= Min and <= Max;

    public static bool Contains(int? year) => year is null || Contains(year.Value);

    /// <summary>"Året ska ligga mellan 1990 och 2100."</summary>
    public static string Message { get; } = $"Året ska ligga mellan {Min} och {Max}.";
}

/// <summary>
/// The magnitude every number a user enters must stay below: outcomes, targets, thresholds, weights, budget amounts.
/// 10^12 covers any municipal figure (a budget in kronor, a population, a percentage) and keeps the engine's arithmetic
/// far from decimal's limits, and every value fits the databases' numeric(18,4) on both providers.
/// </summary>
public static class Values
{
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    public static bool Contains(decimal value) => Math.Abs(value) < MaxMagnitude;

    public static bool Contains(decimal? value) => value is null || Contains(value.Value);

    /// <summary>"Värdet ska ligga mellan -1 000 000 000 000 och 1 000 000 000 000."</summary>
    public static string Message { get; } =
        $"Värdet ska ligga mellan -{MaxMagnitude.ToString("N0", SwedishFormat.Culture)} och {MaxMagnitude.ToString("N0", SwedishFormat.Culture)}.";
}
