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

/// <summary>
/// The longest text each kind of field holds, in characters. The database columns are declared from these numbers and
/// validation checks them, so a text is refused alike on SQLite (which would store any length) and PostgreSQL.
/// </summary>
public static class TextLimits
{
    /// <summary>Names, titles, keys, codes, short notes: every text column without a limit of its own.</summary>
    public const int Short = 400;

    /// <summary>Descriptions, the vision, outcome comments.</summary>
    public const int Text = 4000;

    /// <summary>Goal descriptions, assessments (motivation, analysis, actions), activity reports.</summary>
    public const int Long = 8000;

    /// <summary>A page of its own: the portal's accessibility statement.</summary>
    public const int Page = 16000;

    public const int Slug = 60;
}
