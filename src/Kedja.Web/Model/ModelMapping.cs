using Kedja.Domain.FollowUp;
using Kedja.Domain.Model;
using Kedja.Web.Exchange;

namespace Kedja.Web.Model;

/// <summary>One mapping from the document shape onto a governance model, for the importer and the editing endpoint alike.</summary>
public static class ModelMapping
{
    /// <summary>
    /// Copies everything but the id. Dimensions and levels are matched by id and scale steps by key, so rows that stay
    /// keep their identity (and the goals and assessments that point at them); rows not in the document are removed.
    /// </summary>
    public static void CopyTo(this ModelDoc m, GovernanceModel model)
    {
        model.Name = m.Name.Trim();
        model.TemplateKey = m.TemplateKey;
        model.Status = m.Status;
        model.FirstYear = m.FirstYear;
        model.LastYear = m.LastYear;
        model.Vision = m.Vision ?? "";
        model.Description = m.Description;
        model.DimensionLabel = m.DimensionLabel ?? "Perspektiv";
        model.Cadence = m.Cadence;
        model.CadenceOverrides = m.CadenceOverrides ?? [];
        model.DefaultThresholds = m.DefaultThresholds ?? ThresholdRule.Standard;

        // None keeps what the model has (a new one allows them). The delår's month is not copied here: the calendar
        // changes it, moving the delår periods with it, and the importer sets it on a new model.
        model.AllowsIndicatorForecasts = m.AllowsIndicatorForecasts ?? model.AllowsIndicatorForecasts;

        RowMerge.Merge(model.Dimensions, m.Dimensions ?? [], (x, d) => x.Id == d.Id, d => new Dimension { Id = d.Id, ModelId = model.Id, Name = "" }, (x, d) =>
        {
            (x.Name, x.Description, x.SortOrder, x.Colour) = (d.Name.Trim(), d.Description, d.SortOrder, d.Colour);
            x.AllowedUnitKinds = d.AllowedUnitKinds ?? [];
        });
        RowMerge.Merge(model.Levels, m.Levels ?? [], (x, l) => x.Id == l.Id, l => new GoalLevel { Id = l.Id, ModelId = model.Id, Name = "" }, (x, l) =>
        {
            (x.Name, x.Description, x.Depth, x.HorizonMinYears, x.HorizonMaxYears) = (l.Name.Trim(), l.Description, l.Depth, l.HorizonMinYears, l.HorizonMaxYears);
            (x.UnitKinds, x.RequiresParent, x.HasStrategies, x.Rollup) = (l.UnitKinds ?? [], l.RequiresParent, l.HasStrategies, l.Rollup ?? RollupRule.StandardShare);
        });
        RowMerge.Merge(model.Scale, m.Scale ?? [], (x, s) => x.Key == s.Key, s => new ScaleLevel { ModelId = model.Id, Key = s.Key, Label = "" }, (x, s) =>
        {
            (x.Label, x.Plural, x.Description, x.Colour, x.Symbol) = (s.Label, s.Plural, s.Description, s.Colour, s.Symbol ?? "");
            (x.SingularCommon, x.SingularNeuter, x.ForecastPhrase) = (s.SingularCommon, s.SingularNeuter, string.IsNullOrWhiteSpace(s.ForecastPhrase) ? null : s.ForecastPhrase.Trim());
            (x.Score, x.SortOrder, x.IsNotAssessed) = (s.Score, s.SortOrder, s.IsNotAssessed);
        });
    }
}
