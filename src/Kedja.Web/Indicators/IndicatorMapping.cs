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

        RowMerge.Merge(i.Targets, x.Targets ?? [], (t, n) => t.PeriodKey == n.PeriodKey, n => new IndicatorTarget { IndicatorId = i.Id, PeriodKey = n.PeriodKey },
            (t, n) => (t.Value, t.Min, t.Max, t.Note) = (n.Value, n.Min, n.Max, n.Note));
    }
}
