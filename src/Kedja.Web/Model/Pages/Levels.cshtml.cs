using System.Text.RegularExpressions;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>A goal level as its form holds it: shares typed as percentages, as people write them.</summary>
public sealed class LevelInput
{
    public Guid? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<UnitKind> UnitKinds { get; set; } = [];

    public int? HorizonMinYears { get; set; }

    public int? HorizonMaxYears { get; set; }

    public bool RequiresParent { get; set; }

    public bool HasStrategies { get; set; }

    public RollupKind Rollup { get; set; } = RollupKind.ShareMet;

    /// <summary>By scale key: the share (in per cent) from which a goal gets that status; blank for no step.</summary>
    public Dictionary<string, string?> Shares { get; set; } = [];

    public MissingInputPolicy Missing { get; set; }

    public bool IncludeIndicators { get; set; } = true;

    public bool IncludeGoals { get; set; } = true;

    public static LevelInput Of(LevelDoc l) => new()
    {
        Id = l.Id, Name = l.Name, Description = l.Description, UnitKinds = [.. l.UnitKinds ?? []], HorizonMinYears = l.HorizonMinYears, HorizonMaxYears = l.HorizonMaxYears,
        RequiresParent = l.RequiresParent, HasStrategies = l.HasStrategies, Rollup = l.Rollup.Kind, Missing = l.Rollup.MissingInputs,
        IncludeIndicators = l.Rollup.IncludeIndicators, IncludeGoals = l.Rollup.IncludeContributingGoals,
        Shares = l.Rollup.Steps.ToDictionary(s => s.Status, s => (string?)ModelWords.PercentInput(s.MinimumAchievement)),
    };
}

/// <summary>The goal levels and the rules by which each suggests a status; and the thresholds that give indicators theirs.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed partial class LevelsModel(TenantContext tenant, ModelEditing models, IStringLocalizer<Texts> text) : ModelPageBase(tenant, models, text)
{
    [BindProperty]
    public LevelInput Level { get; set; } = new();

    [BindProperty]
    public Dictionary<string, string?> Thresholds { get; set; } = [];

    [BindProperty]
    public string? Otherwise { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "taBort")]
    public Guid? Remove { get; set; }

    /// <summary>Which form was posted: a level's id, <see cref="Guid.Empty"/> for a new level.</summary>
    public Guid? Posted { get; private set; }

    public bool ThresholdsPosted { get; private set; }

    public IStringLocalizer<Texts> TextFor => Text;

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>What a level's form shows: as typed when it was the one posted, else as saved.</summary>
    public LevelInput FormFor(LevelDoc level) => Posted == level.Id ? Level : LevelInput.Of(level);

    public LevelInput NewForm => Posted == Guid.Empty ? Level : new LevelInput { Rollup = RollupKind.ManualOnly };

    public async Task<IActionResult> OnPostSaveAsync()
    {
        Posted = Level.Id;
        if (!await LoadAsync())
        {
            return Page();
        }

        var index = Current!.Levels.FindIndex(l => l.Id == Level.Id);
        if (index < 0 || Parse(Level, index) is not { } rollup)
        {
            return Page();
        }

        return await SaveAsync(Version, m => m with
        {
            Levels = [.. m.Levels.Select(l => l.Id == Level.Id ? Apply(l, rollup) : l)],
        }, "/nivaer") ?? Page();
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        Posted = Guid.Empty;
        if (!await LoadAsync() || Parse(Level, Current!.Levels.Count) is not { } rollup)
        {
            return Page();
        }

        var depth = Current.Levels.Count == 0 ? 0 : Current.Levels.Max(l => l.Depth) + 1;
        var level = new LevelDoc(Guid.Empty, "", null, depth, [], null, null, false, false, RollupRule.Manual);
        return await SaveAsync(Version, m => m with { Levels = [.. m.Levels, Apply(level, rollup)] }, "/nivaer") ?? Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        Remove = null;
        if (!await LoadAsync())
        {
            return Page();
        }

        return await SaveAsync(Version, m => m with { Levels = [.. m.Levels.Where(l => l.Id != Level.Id)] }, "/nivaer") ?? Page();
    }

    public async Task<IActionResult> OnPostThresholdsAsync()
    {
        ThresholdsPosted = true;
        if (!await LoadAsync())
        {
            return Page();
        }

        var steps = Steps(Thresholds, "defaultThresholds", 10m);
        if (steps is null)
        {
            return Page();
        }

        return await SaveAsync(Version, m => m with { DefaultThresholds = new ThresholdRule(steps, Otherwise ?? "") }, "/nivaer") ?? Page();
    }

    private LevelDoc Apply(LevelDoc l, RollupRule rollup)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return l with
        {
            Name = Level.Name ?? "", Description = Clean(Level.Description), UnitKinds = [.. Level.UnitKinds.Distinct()],
            HorizonMinYears = Level.HorizonMinYears, HorizonMaxYears = Level.HorizonMaxYears, RequiresParent = Level.RequiresParent, HasStrategies = Level.HasStrategies,
            Rollup = rollup,
        };
    }

    /// <summary>The rule as typed, or null with the error beside the shares when a share is not a number.</summary>
    private RollupRule? Parse(LevelInput input, int index)
    {
        var steps = Steps(input.Shares, $"levels[{index}].rollup", 1m);
        return steps is null ? null : new RollupRule
        {
            Kind = input.Rollup, Steps = steps, MissingInputs = input.Missing, IncludeIndicators = input.IncludeIndicators, IncludeContributingGoals = input.IncludeGoals,
        };
    }

    private List<ThresholdStep>? Steps(Dictionary<string, string?> typed, string field, decimal max)
    {
        var steps = new List<ThresholdStep>();
        foreach (var scale in Current!.Scale.Where(s => !s.IsNotAssessed))
        {
            var (share, bad) = ModelWords.Percent(typed.GetValueOrDefault(scale.Key));
            if (bad || share > max)
            {
                Errors[field] = Text["ModelAdmin.ShareBad", scale.Label, ModelWords.PercentInput(max)];
                Error = Text["ModelAdmin.NotSaved"];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return null;
            }

            if (share is { } s)
            {
                steps.Add(new ThresholdStep(scale.Key, s));
            }
        }

        return [.. steps.OrderByDescending(s => s.MinimumAchievement)];
    }

    protected override bool Beside(string field) => BesideField().IsMatch(field);

    [GeneratedRegex(@"^(levels\[\d+\]\.(name|horizonMaxYears|rollup)|defaultThresholds)$")]
    private static partial Regex BesideField();
}
