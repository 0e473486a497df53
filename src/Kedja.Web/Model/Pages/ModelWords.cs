using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Web.Exchange;
using Kedja.Web.Ui;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>A model's rules as sentences for people: how a level suggests a status, how an indicator gets one.</summary>
public static class ModelWords
{
    /// <summary>"Uppfyllt från 75 %, Delvis uppfyllt från 40 %", in the scale's own words.</summary>
    public static string Steps(IStringLocalizer<Texts> text, IEnumerable<ThresholdStep> steps, IReadOnlyList<ScaleDoc> scale) =>
        string.Join(", ", steps.OrderByDescending(s => s.MinimumAchievement)
            .Select(s => text["ModelAdmin.StepFrom", Label(scale, s.Status), SwedishFormat.Percent(s.MinimumAchievement)].Value));

    public static string Label(IReadOnlyList<ScaleDoc> scale, string key) => scale.FirstOrDefault(s => s.Key == key)?.Label ?? key;

    /// <summary>How a level's goals get their suggested status, in a few sentences.</summary>
    public static IEnumerable<string> Rollup(IStringLocalizer<Texts> text, RollupRule rule, IReadOnlyList<ScaleDoc> scale)
    {
        var lowest = scale.Where(s => !s.IsNotAssessed).OrderBy(s => s.Score).ThenByDescending(s => s.SortOrder).FirstOrDefault();
        yield return rule.Kind is RollupKind.ShareMet or RollupKind.Weighted
            ? text["ModelAdmin.Rollup." + rule.Kind, Steps(text, rule.Steps, scale), lowest?.Label ?? ""]
            : text["ModelAdmin.Rollup." + rule.Kind];
        if (rule.Kind == RollupKind.ManualOnly)
        {
            yield break;
        }

        yield return text["ModelAdmin.Inputs." + (rule.IncludeIndicators, rule.IncludeContributingGoals) switch
        {
            (true, true) => "Both",
            (true, false) => "Indicators",
            (false, true) => "Goals",
            _ => "None",
        }];
        yield return text["ModelAdmin.Missing." + rule.MissingInputs];
    }

    /// <summary>How an indicator's outcome against its target becomes a status.</summary>
    public static string Thresholds(IStringLocalizer<Texts> text, ThresholdRule rule, IReadOnlyList<ScaleDoc> scale) =>
        text["ModelAdmin.ThresholdsSay", Steps(text, rule.Steps, scale), Label(scale, rule.Otherwise)];

    /// <summary>A share typed as a percentage, Swedish style ("75", "75 %", "62,5"); null when blank, NaN-free.</summary>
    public static (decimal? Share, bool Bad) Percent(string? typed)
    {
        var (n, bad) = Domain.SwedishFormat.Read((typed ?? "").Replace("%", ""));
        return n is null ? (null, bad) : n is >= 0m and <= 1000m ? (n / 100m, false) : (null, true);
    }

    /// <summary>A share as the form shows it: 0.75 → "75".</summary>
    public static string PercentInput(decimal? share) => share is { } s ? (s * 100m).ToString("0.##", Language.Formats) : "";
}
