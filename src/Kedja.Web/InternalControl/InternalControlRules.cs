using Kedja.Domain;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Model;
using Kedja.Web.Periods;

namespace Kedja.Web.InternalControl;

/// <summary>What a risk points at and may use, looked up by the caller in the document or in the database.</summary>
/// <param name="Settings">The tenant's scale (its own or the default) that the assessments must fit.</param>
/// <param name="CategoryAllowed">Whether a category may be given: one of the tenant's, or the one the risk already has.</param>
public sealed record RiskReferences(bool UnitExists, RiskSettings Settings, Func<string, bool> CategoryAllowed);

/// <summary>What a plan points at, looked up by the caller in the document or in the database.</summary>
/// <param name="RiskExists">Whether a risk of the register exists.</param>
/// <param name="PeriodYear">The year of a period in the tenant's calendar, or null for a key that is not in it.</param>
public sealed record PlanReferences(Func<Guid, bool> UnitExists, Func<Guid, bool> RiskExists, Func<string, int?> PeriodYear);

/// <summary>
/// The rules of internal control (issue 15, ADR 46) for the document importer and the services alike: the scale, a risk
/// and its assessments, a plan with its control actions, their results and measures. Errors in Swedish under
/// <c>path</c> ("" for a request body), all at once.
/// </summary>
public static class InternalControlRules
{
    /// <summary>The scale: 2–10 named steps per axis, bands from 1 upwards within the scale, a threshold on it.</summary>
    /// <param name="usedLikelihood">The highest likelihood any assessment uses (0 for none): the scale may not shrink below it.</param>
    public static void CheckSettings(ValidationErrors e, string path, RiskSettingsDoc s, int usedLikelihood = 0, int usedConsequence = 0)
    {
        Axis(e, ValidationErrors.Join(path, "likelihood"), s.Likelihood, "sannolikhet", usedLikelihood);
        Axis(e, ValidationErrors.Join(path, "consequence"), s.Consequence, "konsekvens", usedConsequence);
        var max = Math.Max(1, (s.Likelihood?.Count ?? 0) * (s.Consequence?.Count ?? 0));
        var bands = s.Bands ?? [];
        if (bands.Count == 0)
        {
            e.Add(ValidationErrors.Join(path, "bands"), "Ange minst ett färgband för riskvärdet.");
        }

        for (var b = 0; b < bands.Count; b++)
        {
            var at = ValidationErrors.Join(path, $"bands[{b}]");
            e.Required(ValidationErrors.Join(at, "name"), bands[b].Name, "Bandets namn");
            ModelRules.Colour(e, ValidationErrors.Join(at, "colour"), bands[b].Colour);
            if (string.IsNullOrEmpty(bands[b].Colour))
            {
                e.Add(ValidationErrors.Join(at, "colour"), "Bandets färg måste anges.");
            }

            if (bands[b].MinValue < 1 || bands[b].MinValue > max)
            {
                e.Add(ValidationErrors.Join(at, "minValue"), $"Ett band börjar på ett riskvärde mellan 1 och {max}.");
            }
            else if (b > 0 && bands[b].MinValue <= bands[b - 1].MinValue)
            {
                e.Add(ValidationErrors.Join(at, "minValue"), "Banden anges i stigande ordning, vart och ett från ett högre riskvärde än det före.");
            }
            else if (b == 0 && bands[b].MinValue != 1)
            {
                e.Add(ValidationErrors.Join(at, "minValue"), "Det första bandet börjar på riskvärde 1.");
            }
        }

        Names(e, ValidationErrors.Join(path, "categories"), s.Categories ?? [], "Kategorin", 50);
        if (s.PlanThreshold < 1 || s.PlanThreshold > max)
        {
            e.Add(ValidationErrors.Join(path, "planThreshold"), $"Gränsen för förslag till planen är ett riskvärde mellan 1 och {max}.");
        }
    }

    /// <summary>A risk and its yearly assessments on the tenant's scale.</summary>
    public static void CheckRisk(ValidationErrors e, string path, RiskDoc r, RiskReferences references)
    {
        e.Required(ValidationErrors.Join(path, "title"), r.Title, "Riskens titel");
        e.Text(ValidationErrors.Join(path, "description"), r.Description, "Riskens beskrivning", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "process"), r.Process, "Processen");
        e.Text(ValidationErrors.Join(path, "owner"), r.Owner, "Riskägaren");
        e.Text(ValidationErrors.Join(path, "category"), r.Category, "Kategorin");
        if (!references.UnitExists)
        {
            e.Add(ValidationErrors.Join(path, "unitId"), $"Enheten {r.UnitId} finns inte.");
        }

        if (!string.IsNullOrWhiteSpace(r.Category) && !references.CategoryAllowed(r.Category.Trim()))
        {
            e.Add(ValidationErrors.Join(path, "category"), $"Kategorin '{r.Category}' finns inte bland kommunens riskkategorier.");
        }

        if (r.Number < 0)
        {
            e.Add(ValidationErrors.Join(path, "number"), "Riskens nummer är ett positivt heltal.");
        }

        e.Year(ValidationErrors.Join(path, "firstYear"), r.FirstYear);
        if (r.LastYear is { } last)
        {
            e.Year(ValidationErrors.Join(path, "lastYear"), last);
            if (last < r.FirstYear)
            {
                e.Add(ValidationErrors.Join(path, "lastYear"), "Det sista året kan inte vara före det första.");
            }
        }

        var years = new HashSet<int>();
        for (var a = 0; a < r.Assessments.Count; a++)
        {
            var at = ValidationErrors.Join(path, $"assessments[{a}]");
            var assessment = r.Assessments[a];
            if (!years.Add(assessment.Year))
            {
                e.Add(ValidationErrors.Join(at, "year"), $"Risken har redan en bedömning för {assessment.Year}.");
            }
            else if (assessment.Year < r.FirstYear || (r.LastYear is { } end && assessment.Year > end))
            {
                e.Add(ValidationErrors.Join(at, "year"), $"Året {assessment.Year} ligger utanför de år risken finns i registret.");
            }

            CheckAssessment(e, at, assessment, references.Settings);
        }
    }

    /// <summary>One year's assessment: steps on the scale, both steps after existing controls or neither, and not higher after than before.</summary>
    public static void CheckAssessment(ValidationErrors e, string path, RiskAssessmentDoc a, RiskSettings settings)
    {
        e.Year(ValidationErrors.Join(path, "year"), a.Year);
        Step(e, ValidationErrors.Join(path, "likelihood"), a.Likelihood, settings.LikelihoodLabels, "Sannolikheten");
        Step(e, ValidationErrors.Join(path, "consequence"), a.Consequence, settings.ConsequenceLabels, "Konsekvensen");
        if ((a.LikelihoodAfter is null) != (a.ConsequenceAfter is null))
        {
            e.Add(ValidationErrors.Join(path, a.LikelihoodAfter is null ? "likelihoodAfter" : "consequenceAfter"),
                "Ange både sannolikhet och konsekvens efter befintliga kontroller, eller ingen av dem.");
        }
        else if (a.LikelihoodAfter is { } l && a.ConsequenceAfter is { } c)
        {
            Step(e, ValidationErrors.Join(path, "likelihoodAfter"), l, settings.LikelihoodLabels, "Sannolikheten efter befintliga kontroller");
            Step(e, ValidationErrors.Join(path, "consequenceAfter"), c, settings.ConsequenceLabels, "Konsekvensen efter befintliga kontroller");
            if (RiskScale.Value(l, c) > RiskScale.Value(a.Likelihood, a.Consequence))
            {
                e.Add(ValidationErrors.Join(path, "likelihoodAfter"), "Riskvärdet efter befintliga kontroller kan inte vara högre än före.");
            }
        }

        e.Text(ValidationErrors.Join(path, "existingControls"), a.ExistingControls, "Befintliga kontroller", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "reasoning"), a.Reasoning, "Motiveringen", TextLimits.Text);
        e.Required(ValidationErrors.Join(path, "assessedBy"), a.AssessedBy, "Vem som bedömde risken");
    }

    /// <summary>A plan: decided with date and paragraph, risks of the register, and control actions in periods of its year.</summary>
    public static void CheckPlan(ValidationErrors e, string path, ControlPlanDoc p, PlanReferences references)
    {
        if (!references.UnitExists(p.UnitId))
        {
            e.Add(ValidationErrors.Join(path, "unitId"), $"Enheten {p.UnitId} finns inte.");
        }

        e.Year(ValidationErrors.Join(path, "year"), p.Year);
        if (!Enum.IsDefined(p.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Okänd status för planen.");
        }
        else if (p.Status == ControlPlanStatus.Decided)
        {
            if (p.DecidedOn is null)
            {
                e.Add(ValidationErrors.Join(path, "decidedOn"), "En beslutad plan har ett beslutsdatum.");
            }

            e.Required(ValidationErrors.Join(path, "decisionParagraph"), p.DecisionParagraph, "Paragrafen (§) i beslutet");
        }
        else
        {
            e.Text(ValidationErrors.Join(path, "decisionParagraph"), p.DecisionParagraph, "Paragrafen (§) i beslutet");
        }

        if (p.DecidedOn is { } decidedOn)
        {
            e.Year(ValidationErrors.Join(path, "decidedOn"), decidedOn.Year);
        }

        e.Text(ValidationErrors.Join(path, "description"), p.Description, "Planens beskrivning", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "changeReason"), p.ChangeReason, "Skälet till ändringen", TextLimits.Text);
        var risks = new HashSet<Guid>();
        for (var r = 0; r < p.RiskIds.Count; r++)
        {
            if (!risks.Add(p.RiskIds[r]))
            {
                e.Add(ValidationErrors.Join(path, $"riskIds[{r}]"), "Risken är redan vald i planen.");
            }
            else if (!references.RiskExists(p.RiskIds[r]))
            {
                e.Add(ValidationErrors.Join(path, $"riskIds[{r}]"), $"Risken {p.RiskIds[r]} finns inte.");
            }
        }

        var ids = new HashSet<Guid>();
        for (var a = 0; a < p.Actions.Count; a++)
        {
            var at = ValidationErrors.Join(path, $"actions[{a}]");
            if (p.Actions[a].Id != Guid.Empty && !ids.Add(p.Actions[a].Id))
            {
                e.Add(ValidationErrors.Join(at, "id"), "Kontrollmomentet finns redan i planen.");
            }

            CheckAction(e, at, p.Actions[a], p.Year, risks, references);
        }
    }

    /// <summary>A control action: what, how, who, when (a period of the plan's year), its results and measures.</summary>
    public static void CheckAction(ValidationErrors e, string path, ControlActionDoc a, int planYear, IReadOnlySet<Guid> planRisks, PlanReferences references)
    {
        e.Required(ValidationErrors.Join(path, "title"), a.Title, "Vad som kontrolleras");
        e.Required(ValidationErrors.Join(path, "method"), a.Method, "Metoden");
        e.Text(ValidationErrors.Join(path, "scope"), a.Scope, "Omfattningen");
        e.Text(ValidationErrors.Join(path, "responsiblePerson"), a.ResponsiblePerson, "Den ansvariga personen");
        e.Text(ValidationErrors.Join(path, "reportTo"), a.ReportTo, "Vem som får rapporten");
        if (!references.UnitExists(a.ResponsibleUnitId))
        {
            e.Add(ValidationErrors.Join(path, "responsibleUnitId"), $"Enheten {a.ResponsibleUnitId} finns inte.");
        }

        if (a.RiskId is { } risk && !planRisks.Contains(risk))
        {
            e.Add(ValidationErrors.Join(path, "riskId"), "Kontrollmomentets risk ska vara vald i planen.");
        }

        if (Period(e, ValidationErrors.Join(path, "periodKey"), a.PeriodKey, references) is { } year && year != planYear)
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), $"Kontrollmomentet följs upp i en period under planens år ({planYear}).");
        }

        var periods = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < a.Results.Count; r++)
        {
            var at = ValidationErrors.Join(path, $"results[{r}]");
            if (!periods.Add(a.Results[r].PeriodKey ?? ""))
            {
                e.Add(ValidationErrors.Join(at, "periodKey"), "Kontrollmomentet har redan ett resultat för perioden.");
            }

            CheckResult(e, at, a.Results[r], references);
        }

        for (var m = 0; m < a.Measures.Count; m++)
        {
            CheckMeasure(e, ValidationErrors.Join(path, $"measures[{m}]"), a.Measures[m], references);
        }
    }

    /// <summary>A result: a deviation says what was found, a control not performed says why.</summary>
    public static void CheckResult(ValidationErrors e, string path, ControlResultDoc r, PlanReferences references)
    {
        Period(e, ValidationErrors.Join(path, "periodKey"), r.PeriodKey, references);
        if (!Enum.IsDefined(r.Outcome))
        {
            e.Add(ValidationErrors.Join(path, "outcome"), "Okänt resultat.");
        }
        else if (r.Outcome == ControlOutcome.WithDeviation && string.IsNullOrWhiteSpace(r.Findings))
        {
            e.Add(ValidationErrors.Join(path, "findings"), "Beskriv avvikelsen: vad kontrollen visade.");
        }
        else if (r.Outcome == ControlOutcome.NotPerformed && string.IsNullOrWhiteSpace(r.Reason))
        {
            e.Add(ValidationErrors.Join(path, "reason"), "Ange varför kontrollen inte genomfördes.");
        }

        e.Text(ValidationErrors.Join(path, "findings"), r.Findings, "Iakttagelserna", TextLimits.Long);
        e.Text(ValidationErrors.Join(path, "reason"), r.Reason, "Skälet", TextLimits.Text);
        e.Required(ValidationErrors.Join(path, "writtenBy"), r.WrittenBy, "Vem som rapporterade resultatet");
    }

    /// <summary>A measure: its text, a known status, and a done day only when done.</summary>
    public static void CheckMeasure(ValidationErrors e, string path, ControlMeasureDoc m, PlanReferences references)
    {
        e.Required(ValidationErrors.Join(path, "text"), m.Text, "Åtgärden", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "owner"), m.Owner, "Åtgärdens ägare");
        if (m.PeriodKey is not null)
        {
            Period(e, ValidationErrors.Join(path, "periodKey"), m.PeriodKey, references);
        }

        if (m.Deadline is { } deadline)
        {
            e.Year(ValidationErrors.Join(path, "deadline"), deadline.Year);
        }

        if (!Enum.IsDefined(m.Status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Okänd status för åtgärden.");
        }
        else if (m.Status != MeasureStatus.Done && m.DoneOn is not null)
        {
            e.Add(ValidationErrors.Join(path, "doneOn"), "Bara en klar åtgärd har ett datum då den blev klar.");
        }
    }

    /// <summary>The period's year, or null (with an error) for a key that is malformed or not in the calendar.</summary>
    private static int? Period(ValidationErrors e, string path, string? key, PlanReferences references)
    {
        if (!PeriodRef.TryParse(key, out _))
        {
            e.Add(path, FollowUpCalendar.Malformed(key));
            return null;
        }

        if (references.PeriodYear(key!) is not { } year)
        {
            e.Add(path, FollowUpCalendar.NotInCalendar);
            return null;
        }

        return year;
    }

    private static void Axis(ValidationErrors e, string path, List<string>? labels, string what, int used)
    {
        var count = labels?.Count ?? 0;
        if (count < RiskScale.MinSteps || count > RiskScale.MaxSteps)
        {
            e.Add(path, $"Skalan för {what} har {RiskScale.MinSteps}–{RiskScale.MaxSteps} steg.");
        }
        else if (count < used)
        {
            e.Add(path, $"Det finns bedömningar med {what} {used}: skalan behöver minst {used} steg.");
        }

        Names(e, path, labels ?? [], "Stegets namn", RiskScale.MaxSteps);
    }

    private static void Names(ValidationErrors e, string path, List<string> names, string what, int most)
    {
        if (names.Count > most)
        {
            e.Add(path, $"Högst {most} namn.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < names.Count; n++)
        {
            e.Required($"{path}[{n}]", names[n], what);
            if (!string.IsNullOrWhiteSpace(names[n]) && !seen.Add(names[n].Trim()))
            {
                e.Add($"{path}[{n}]", $"'{names[n].Trim()}' finns redan.");
            }
        }
    }

    private static void Step(ValidationErrors e, string path, int step, IReadOnlyList<string> labels, string what)
    {
        if (!RiskScale.OnAxis(labels, step))
        {
            e.Add(path, $"{what} anges med ett steg från 1 till {labels.Count}.");
        }
    }
}
