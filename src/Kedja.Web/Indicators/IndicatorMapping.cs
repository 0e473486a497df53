using Kedja.Domain.Indicators;
using Kedja.Web.Exchange;

namespace Kedja.Web.Indicators;

/// <summary>One mapping from the document shape onto the entity, for the importer and the editing endpoints alike.</summary>
public static class IndicatorMapping
{
    /// <summary>Copies everything but the id; targets are replaced by the document's, keeping rows whose period stays.</summary>
    public static void CopyTo(this IndicatorDoc x, Indicator i)
    {
        i.Name = x.Name.Trim();
        i.Description = x.Description;
        i.UnitOfMeasure = x.UnitOfMeasure ?? "";
        i.Decimals = x.Decimals;
        i.Direction = x.Direction;
        i.Periodicity = x.Periodicity;
        i.Source = x.Source;
        i.KoladaKpiId = x.KoladaKpiId;
        i.KoladaMunicipalityId = x.KoladaMunicipalityId;
        i.KoladaOuId = x.KoladaOuId;
        i.BaselineValue = x.BaselineValue;
        i.BaselinePeriod = x.BaselinePeriod;
        i.Thresholds = x.Thresholds;
        i.OwnerUnitId = x.OwnerUnitId;
        i.GoalId = x.GoalId;
        i.ProgramId = x.ProgramId;
        i.IsBasicMission = x.IsBasicMission;
        i.SplitByGender = x.SplitByGender;
        i.Weight = x.Weight;
        i.SortOrder = x.SortOrder;

        var targets = x.Targets ?? [];
        i.Targets.RemoveAll(t => targets.All(n => n.PeriodKey != t.PeriodKey));
        foreach (var n in targets)
        {
            var target = i.Targets.SingleOrDefault(t => t.PeriodKey == n.PeriodKey);
            if (target is null)
            {
                i.Targets.Add(target = new IndicatorTarget { IndicatorId = i.Id, PeriodKey = n.PeriodKey });
            }

            (target.Value, target.Min, target.Max, target.Note) = (n.Value, n.Min, n.Max, n.Note);
        }
    }
}
