using Kedja.Domain;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Model;

/// <summary>
/// The dimensions and levels of the other models (a document's models checked so far, or the tenant's other models):
/// ids are unique across a tenant's models. The check adds this model's.
/// </summary>
public sealed record ModelReferences(Dictionary<Guid, (Guid ModelId, DimensionDoc Dimension)> Dimensions, Dictionary<Guid, (Guid ModelId, LevelDoc Level)> Levels);

/// <summary>
/// The rules of a governance model, written once: name, mandate period, scale, thresholds, dimensions and levels. The
/// document's validator and the model API check a model here, with errors under <c>path</c> (<c>$.models[0]</c>, or "").
/// Whether the goals and assessments that use the model still hold is checked with their own rules (<see cref="ModelEditing"/>).
/// </summary>
public static class ModelRules
{
    /// <summary>Checks the model and returns its scale's keys.</summary>
    public static HashSet<string> Check(ValidationErrors e, string path, ModelDoc m, ModelReferences refs)
    {
        // Callers have refused null list elements already (the whole document, or the request body).
        string Field(string name) => ValidationErrors.Join(path, name);

        e.Required(Field("name"), m.Name, "Modellens namn");
        e.Text(Field("templateKey"), m.TemplateKey, "Mallens nyckel");
        e.Text(Field("vision"), m.Vision, "Visionen", TextLimits.Text);
        e.Text(Field("description"), m.Description, "Modellens beskrivning", TextLimits.Text);
        e.Text(Field("dimensionLabel"), m.DimensionLabel, "Benämningen på perspektiv");
        if (!Years.Contains(m.FirstYear) || !Years.Contains(m.LastYear))
        {
            e.Add(Field(Years.Contains(m.FirstYear) ? "lastYear" : "firstYear"), Years.Message);
        }
        else if (m.LastYear < m.FirstYear)
        {
            e.Add(Field("lastYear"), "Mandatperioden ska ha ett första och ett sista år, i den ordningen.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < m.Scale.Count; s++)
        {
            var step = Field($"scale[{s}]");
            if (!keys.Add(m.Scale[s].Key ?? ""))
            {
                e.Add(step + ".key", $"Nyckeln '{m.Scale[s].Key}' finns redan i skalan.");
            }

            e.Required(step + ".key", m.Scale[s].Key, "Stegets nyckel");
            e.Required(step + ".label", m.Scale[s].Label, "Stegets namn");
            e.Text(step + ".plural", m.Scale[s].Plural, "Stegets pluralform");
            e.Text(step + ".singularCommon", m.Scale[s].SingularCommon, "Stegets form efter ett en-ord");
            e.Text(step + ".singularNeuter", m.Scale[s].SingularNeuter, "Stegets form efter ett ett-ord");
            e.Text(step + ".description", m.Scale[s].Description, "Stegets beskrivning");
            e.Required(step + ".colour", m.Scale[s].Colour, "Stegets färg");
            Colour(e, step + ".colour", m.Scale[s].Colour);
            e.Text(step + ".symbol", m.Scale[s].Symbol, "Stegets symbol");
            e.Text(step + ".forecastPhrase", m.Scale[s].ForecastPhrase, "Stegets ord för en prognos");

            if (m.Scale[s].Score is < 0m or > 1m)
            {
                e.Add(step + ".score", "Poängen ska vara mellan 0 och 1.");
            }
        }

        if (m.Scale.Count(s => s.IsNotAssessed) != 1 || m.Scale.Count(s => !s.IsNotAssessed) < 2)
        {
            e.Add(Field("scale"), "Skalan behöver minst två bedömda steg och exakt ett steg för 'ej bedömt'.");
        }

        TenantDocumentValidator.CheckThresholds(e, Field("defaultThresholds"), m.DefaultThresholds, keys);
        if (m.InterimEndMonth is { } month && !Domain.Periods.PeriodRef.IsInterimEndMonth(month))
        {
            e.Add(Field("interimEndMonth"), Periods.CalendarEditing.InterimMonthRule);
        }

        foreach (var (dimension, d) in m.Dimensions.Select((d, n) => (d, n)))
        {
            e.Required(Field($"dimensions[{d}].name"), dimension.Name, "Namnet");
            e.Text(Field($"dimensions[{d}].description"), dimension.Description, "Beskrivningen", TextLimits.Text);
            e.Text(Field($"dimensions[{d}].colour"), dimension.Colour, "Färgen");
            Colour(e, Field($"dimensions[{d}].colour"), dimension.Colour);
            if (m.Dimensions.FindIndex(x => SameName(x.Name, dimension.Name)) is var first && first >= 0 && first < d)
            {
                e.Add(Field($"dimensions[{d}].name"), $"'{dimension.Name.Trim()}' finns redan. Välj ett annat namn.");
            }
            if (!refs.Dimensions.TryAdd(dimension.Id, (m.Id, dimension)))
            {
                e.Add(Field($"dimensions[{d}].id"), $"Id {dimension.Id} förekommer flera gånger.");
            }
        }

        foreach (var (level, l) in m.Levels.Select((l, n) => (l, n)))
        {
            e.Required(Field($"levels[{l}].name"), level.Name, "Namnet");
            e.Text(Field($"levels[{l}].description"), level.Description, "Beskrivningen", TextLimits.Text);
            if (m.Levels.FindIndex(x => SameName(x.Name, level.Name)) is var firstLevel && firstLevel >= 0 && firstLevel < l)
            {
                e.Add(Field($"levels[{l}].name"), $"Nivån '{level.Name.Trim()}' finns redan. Välj ett annat namn.");
            }
            if (level.HorizonMinYears is < 1 or > TenantDocumentValidator.MaxHorizonYears || level.HorizonMaxYears is < 1 or > TenantDocumentValidator.MaxHorizonYears)
            {
                e.Add(Field($"levels[{l}].horizonMaxYears"), $"Tidshorisonten anges i år, 1-{TenantDocumentValidator.MaxHorizonYears}.");
            }
            else if (level.HorizonMinYears > level.HorizonMaxYears)
            {
                e.Add(Field($"levels[{l}].horizonMaxYears"), "Tidshorisontens längsta tid kan inte vara kortare än den kortaste.");
            }

            if (!refs.Levels.TryAdd(level.Id, (m.Id, level)))
            {
                e.Add(Field($"levels[{l}].id"), $"Id {level.Id} förekommer flera gånger.");
            }

            foreach (var (step, st) in (level.Rollup?.Steps ?? []).Select((x, n) => (x, n)))
            {
                if (!keys.Contains(step.Status))
                {
                    e.Add(Field($"levels[{l}].rollup.steps[{st}].status"), $"Statusen '{step.Status}' finns inte i skalan.");
                }

                if (step.MinimumAchievement is < 0m or > 1m)
                {
                    e.Add(Field($"levels[{l}].rollup.steps[{st}].minimumAchievement"), "Andelen ska vara mellan 0 och 100 %.");
                }
            }
        }

        return keys;
    }

    /// <summary>Two names that people would take for the same: a scorecard groups by name, and a list of levels would repeat itself.</summary>
    private static bool SameName(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>A colour as pages and reports draw it: "#1b7a3a". Other CSS colour words would not survive into PDF and Word.</summary>
    public static void Colour(ValidationErrors e, string path, string? colour)
    {
        if (!string.IsNullOrEmpty(colour) && !System.Text.RegularExpressions.Regex.IsMatch(colour, "^#[0-9a-fA-F]{6}$"))
        {
            e.Add(path, $"Färgen anges som #rrggbb, t.ex. #1b7a3a (inte '{colour}').");
        }
    }
}
