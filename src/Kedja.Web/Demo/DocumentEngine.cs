using Kedja.Domain.FollowUp;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;

namespace Kedja.Web.Demo;

/// <summary>
/// The engine run on a tenant document before it is imported, with the same inputs the app gives it
/// (<see cref="FollowUp.StatusService"/>): made-up data is assessed against the rule the app will show beside it.
/// </summary>
internal static class DocumentEngine
{
    /// <param name="manual">Statuses already decided by hand for goals below, which roll up as the app's assessments do.</param>
    public static EngineResult Compute(TenantDocument doc, string periodKey, IReadOnlyDictionary<Guid, string>? manual = null)
    {
        var model = doc.Models[0];
        var period = PeriodRef.Parse(periodKey);
        var scale = new FulfilmentScale(model.Scale.Select(s => new ScaleStep(s.Key, s.Label, s.Score, s.IsNotAssessed, s.Plural, s.SingularCommon, s.SingularNeuter)));
        var outcomes = doc.Outcomes.ToLookup(o => o.IndicatorId);
        var kinds = doc.Units.ToDictionary(u => u.Id, u => u.Kind);
        var input = new EngineInput(scale, model.DefaultThresholds,
            [.. model.Levels.Select(l => new LevelFacts(l.Id, l.Name, l.Rollup))],
            [.. doc.Goals.Select(g => new GoalFacts(g.Id, g.Title, g.LevelId,
                FollowUp.StatusService.NotDue(g.ValidFromYear, g.ValidToYear, kinds[g.OwnerUnitId], model.CadenceOverrides, period),
                manual?.GetValueOrDefault(g.Id)))],
            [.. doc.Goals.SelectMany(g => g.Contributes.Select(c => new GoalLinkFacts(c.GoalId, g.Id, c.Weight)))],
            [.. doc.Indicators.OrderBy(i => i.Id).Select(i => new IndicatorFacts(i.Id, i.Name, i.Direction, i.Periodicity,
                outcomes[i.Id].ToDictionary(o => o.PeriodKey, o => o.Value),
                i.Targets.ToDictionary(t => t.PeriodKey, t => new TargetFacts(t.Value, t.Min, t.Max)),
                i.UnitOfMeasure, i.Decimals, i.Thresholds, i.Weight, i.GoalId, i.ProgramId, FollowUp.StatusService.LatestAvailable(i.KoladaKpiId, i.Periodicity)))]);
        return GoalEngine.Compute(input, period.Start, period.End);
    }
}
