using Kedja.Domain;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using static Kedja.Domain.FollowUp.ExplanationWords;

namespace Kedja.Web.Indicators;

/// <summary>
/// What an indicator points at, already looked up by the caller: in the document's own lists when a document is
/// imported, in the database when the indicator is edited.
/// </summary>
/// <param name="OwnerUnitExists">Whether the owning unit exists.</param>
/// <param name="GoalExists">Whether the goal it measures exists (only asked when it names one).</param>
/// <param name="ProgramExists">Whether the program it belongs to exists (only asked when it names one).</param>
/// <param name="ScaleKeys">The status keys of the goal's model, which its thresholds may use; null without a goal.</param>
/// <param name="RecordedPeriodicity">How often the outcomes it already has are measured; null when it has none.</param>
public sealed record IndicatorReferences(bool OwnerUnitExists, bool GoalExists, bool ProgramExists, IReadOnlySet<string>? ScaleKeys, PeriodKind? RecordedPeriodicity);

/// <summary>The rules of an indicator, for the document importer and the editing service alike.</summary>
public static class IndicatorRules
{
    /// <summary>
    /// What an indicator must satisfy (name, decimals, weight, thresholds, targets, what it points at), with errors
    /// under <paramref name="path"/> ("" for a request body). Callers have refused null list elements already.
    /// </summary>
    public static void Check(ValidationErrors e, string path, IndicatorDoc x, IndicatorReferences references)
    {
        e.Required(ValidationErrors.Join(path, "name"), x.Name, "Indikatorns namn");
        e.Text(ValidationErrors.Join(path, "description"), x.Description, "Indikatorns beskrivning", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "unitOfMeasure"), x.UnitOfMeasure, "Måttenheten");
        e.Text(ValidationErrors.Join(path, "koladaKpiId"), x.KoladaKpiId, "Koladas nyckeltal");
        e.Text(ValidationErrors.Join(path, "koladaMunicipalityId"), x.KoladaMunicipalityId, "Koladas kommun-id");
        e.Text(ValidationErrors.Join(path, "koladaOuId"), x.KoladaOuId, "Koladas enhets-id");
        if (x.KoladaKpiId is { Length: > 0 } kpiId && !KoladaIds.Kpi().IsMatch(kpiId))
        {
            e.Add(ValidationErrors.Join(path, "koladaKpiId"), $"”{kpiId}” är inget nyckeltals-id i Kolada. Ett id är en bokstav och fem siffror, t.ex. N00945.");
        }

        if (x.KoladaMunicipalityId is { Length: > 0 } municipalityId && !KoladaIds.Municipality().IsMatch(municipalityId))
        {
            e.Add(ValidationErrors.Join(path, "koladaMunicipalityId"), $"”{municipalityId}” är ingen kommunkod. En kommunkod är fyra siffror, t.ex. 1780.");
        }

        if (x.KoladaOuId is { Length: > 0 } ouId && !KoladaIds.Ou().IsMatch(ouId))
        {
            e.Add(ValidationErrors.Join(path, "koladaOuId"), $"”{ouId}” är inget enhets-id i Kolada. Ett sådant börjar med V, t.ex. V15E178000101.");
        }

        if (x.KoladaKpiId is { Length: > 0 } kpi && x.KoladaMunicipalityId is null && x.KoladaOuId is null)
        {
            e.Add(ValidationErrors.Join(path, "koladaMunicipalityId"), $"Ange vilken kommun eller organisatorisk enhet nyckeltalet {kpi} ska hämtas för.");
        }

        e.Value(ValidationErrors.Join(path, "baselineValue"), x.BaselineValue);
        e.Value(ValidationErrors.Join(path, "plausibleMin"), x.PlausibleMin);
        e.Value(ValidationErrors.Join(path, "plausibleMax"), x.PlausibleMax);
        if (x.PlausibleMin is { } low && x.PlausibleMax is { } high && high < low)
        {
            e.Add(ValidationErrors.Join(path, "plausibleMax"), "Det högsta rimliga värdet kan inte vara lägre än det lägsta.");
        }

        if (x.BaselinePeriod is not null && !PeriodRef.TryParse(x.BaselinePeriod, out _))
        {
            e.Add(ValidationErrors.Join(path, "baselinePeriod"), $"Ogiltig period '{x.BaselinePeriod}'. Ange t.ex. 2022 eller 2022-T3.");
        }

        if (x.Decimals is < 0 or > 6)
        {
            e.Add(ValidationErrors.Join(path, "decimals"), "Antal decimaler ska vara 0-6.");
        }

        if (x.Weight <= 0m)
        {
            e.Add(ValidationErrors.Join(path, "weight"), "Vikten ska vara större än noll.");
        }
        else
        {
            e.Value(ValidationErrors.Join(path, "weight"), x.Weight);
        }

        if (!references.OwnerUnitExists)
        {
            e.Add(ValidationErrors.Join(path, "ownerUnitId"), $"Enheten {x.OwnerUnitId} finns inte.");
        }

        if (x.GoalId is { } goalId && !references.GoalExists)
        {
            e.Add(ValidationErrors.Join(path, "goalId"), $"Målet {goalId} finns inte.");
        }

        if (x.ProgramId is { } programId && !references.ProgramExists)
        {
            e.Add(ValidationErrors.Join(path, "programId"), $"Programmet {programId} finns inte.");
        }

        if (x.Periodicity == PeriodKind.Forecast)
        {
            // A forecast period asks for forecasts of the indicators it follows up; nothing is measured in it.
            e.Add(ValidationErrors.Join(path, "periodicity"), "En indikator kan inte mätas vid prognostillfällen. Välj månad, kvartal, tertial, halvår, delår eller år.");
        }
        else if (references.RecordedPeriodicity is { } recorded && recorded != x.Periodicity)
        {
            e.Add(ValidationErrors.Join(path, "periodicity"),
                $"Indikatorn har redan utfall som mäts {Periodicity(recorded)}. Skapa en ny indikator för den nya periodiciteten.");
        }

        if (x.Thresholds is not null && references.ScaleKeys is not null)
        {
            TenantDocumentValidator.CheckThresholds(e, ValidationErrors.Join(path, "thresholds"), x.Thresholds, references.ScaleKeys);
        }

        var targetPeriods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, t) in (x.Targets ?? []).Select((y, n) => (y, n)))
        {
            var targetPath = ValidationErrors.Join(path, $"targets[{t}]");
            if (!PeriodRef.TryParse(target.PeriodKey, out var period))
            {
                e.Add(targetPath + ".periodKey", $"Ogiltig period '{target.PeriodKey}'.");
            }
            else if (!targetPeriods.Add(target.PeriodKey))
            {
                e.Add(targetPath + ".periodKey", $"Målvärde för {target.PeriodKey} finns redan.");
            }
            else if (period.Kind != x.Periodicity && period.Kind != PeriodKind.Year)
            {
                e.Add(targetPath + ".periodKey", $"Målvärdet för {period.Label} passar inte en indikator som mäts {Periodicity(x.Periodicity)}.");
            }

            if (target.Min is { } min && target.Max is { } max && max < min)
            {
                e.Add(targetPath + ".max", "Övre gränsen kan inte vara lägre än den undre.");
            }

            // Higher and lower is better are judged against the value itself; a range only bounds a target range.
            if (x.Direction is Direction.HigherIsBetter or Direction.LowerIsBetter && target.Value is null && (target.Min is not null || target.Max is not null))
            {
                e.Add(targetPath + ".value", "Ange målvärdet. Undre och övre gräns gäller bara indikatorer med ett målintervall.");
            }

            e.Value(targetPath + ".value", target.Value);
            e.Value(targetPath + ".min", target.Min);
            e.Value(targetPath + ".max", target.Max);
            e.Text(targetPath + ".note", target.Note, "Anteckningen");
        }
    }
}

/// <summary>The shapes of Kolada's ids: a key figure (N00945), a municipality (1780, 0000 for Riket) and an organisational unit (V15E178000101).</summary>
internal static partial class KoladaIds
{
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][0-9]{5}$")]
    public static partial System.Text.RegularExpressions.Regex Kpi();

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{4}$")]
    public static partial System.Text.RegularExpressions.Regex Municipality();

    [System.Text.RegularExpressions.GeneratedRegex("^V[0-9]{2}E[0-9A-Z]{4,20}$")]
    public static partial System.Text.RegularExpressions.Regex Ou();
}
