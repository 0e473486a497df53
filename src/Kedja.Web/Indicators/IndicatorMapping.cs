using Kedja.Domain.Indicators;
using Kedja.Web.Exchange;

namespace Kedja.Web.Indicators;

/// <summary>One mapping between the document shape and the entity, for the importer, the exporter and the editing services alike.</summary>
public static class IndicatorMapping
{
    /// <summary>The indicator as the document (and the API) describes it.</summary>
    public static IndicatorDoc ToDoc(this Indicator i) => new()
    {
        Id = i.Id, Name = i.Name, Description = i.Description, UnitOfMeasure = i.UnitOfMeasure, Decimals = i.Decimals, Direction = i.Direction,
        Periodicity = i.Periodicity, Source = i.Source, KoladaKpiId = i.KoladaKpiId, KoladaMunicipalityId = i.KoladaMunicipalityId, KoladaOuId = i.KoladaOuId,
        KoladaGender = i.KoladaGender, PlausibleMin = N(i.PlausibleMin), PlausibleMax = N(i.PlausibleMax), BaselineValue = N(i.BaselineValue), BaselinePeriod = i.BaselinePeriod, Thresholds = i.Thresholds, OwnerUnitId = i.OwnerUnitId, GoalId = i.GoalId,
        ProgramId = i.ProgramId, IsBasicMission = i.IsBasicMission, SplitByGender = i.SplitByGender, Weight = N(i.Weight), SortOrder = i.SortOrder,
        Targets = [.. i.Targets.OrderBy(t => t.PeriodKey, StringComparer.Ordinal).Select(t => new TargetDoc(t.PeriodKey, N(t.Value), N(t.Min), N(t.Max), t.Note))],
    };

    /// <summary>The outcome as the document (and the API) describes it, with its earlier values oldest first.</summary>
    public static OutcomeDoc ToDoc(this Outcome o) => new()
    {
        IndicatorId = o.IndicatorId, PeriodKey = o.PeriodKey, Value = N(o.Value), ValueWomen = N(o.ValueWomen), ValueMen = N(o.ValueMen), Comment = o.Comment,
        Source = o.Source, SourceReference = o.SourceReference, FetchedAt = o.FetchedAt, IsRevised = o.IsRevised, RecordedBy = o.RecordedBy, RecordedAt = o.RecordedAt,
        Revisions = [.. o.Revisions.OrderBy(r => r.ReplacedAt).Select(r => new RevisionDoc(N(r.Value), N(r.ValueWomen), N(r.ValueMen), r.Source, r.SourceReference, r.RecordedBy, r.RecordedAt, r.ReplacedAt))],
    };

    private static decimal N(decimal value) => DocumentNumbers.Normal(value);

    private static decimal? N(decimal? value) => DocumentNumbers.Normal(value);

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
        i.KoladaGender = x.KoladaGender;
        i.PlausibleMin = x.PlausibleMin;
        i.PlausibleMax = x.PlausibleMax;
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
