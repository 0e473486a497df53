using Kedja.Domain;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;

namespace Kedja.Web.Activities;

/// <summary>What an activity points at, looked up by the caller in the document or in the database.</summary>
/// <param name="GoalExists">Whether its goal exists (only asked when it names one).</param>
/// <param name="ProgramExists">Whether its program exists (only asked when it names one).</param>
/// <param name="PeriodInCalendar">Whether a period key is one of the tenant's follow-up periods (for its reports).</param>
public sealed record ActivityReferences(bool ResponsibleUnitExists, bool GoalExists, bool ProgramExists, Func<string, bool> PeriodInCalendar);

/// <summary>The rules of an activity and of its period reports, for the document importer and <see cref="ActivityEditing"/> alike.</summary>
public static class ActivityRules
{
    /// <summary>What an activity and its reports must satisfy, with errors under <paramref name="path"/> ("" for a request body).</summary>
    public static void Check(ValidationErrors e, string path, ActivityDoc a, ActivityReferences references)
    {
        e.Required(ValidationErrors.Join(path, "title"), a.Title, "Aktivitetens titel");
        e.Text(ValidationErrors.Join(path, "description"), a.Description, "Aktivitetens beskrivning", TextLimits.Text);
        e.Year(ValidationErrors.Join(path, "startDate"), a.StartDate?.Year);
        e.Year(ValidationErrors.Join(path, "endDate"), a.EndDate?.Year);
        if ((a.GoalId is null) == (a.ProgramId is null))
        {
            e.Add(ValidationErrors.Join(path, "goalId"), "En aktivitet hör till antingen ett mål eller ett program.");
        }
        else if (a.GoalId is { } goalId && !references.GoalExists)
        {
            e.Add(ValidationErrors.Join(path, "goalId"), $"Målet {goalId} finns inte.");
        }
        else if (a.ProgramId is { } programId && !references.ProgramExists)
        {
            e.Add(ValidationErrors.Join(path, "programId"), $"Programmet {programId} finns inte.");
        }

        if (!references.ResponsibleUnitExists)
        {
            e.Add(ValidationErrors.Join(path, "responsibleUnitId"), $"Enheten {a.ResponsibleUnitId} finns inte.");
        }

        if (a.StartDate is { } start && a.EndDate is { } end && end < start)
        {
            e.Add(ValidationErrors.Join(path, "endDate"), "Slutdatum kan inte vara före startdatum.");
        }

        CheckProgress(e, path, a.Status, a.Progress);
        foreach (var (comment, c) in a.Comments.Select((x, n) => (x, n)))
        {
            CheckReport(e, ValidationErrors.Join(path, $"comments[{c}]"), comment, references.PeriodInCalendar);
        }
    }

    /// <summary>
    /// A report for a follow-up period: its period in the calendar, its text, who wrote it, and the progress it reports.
    /// <paramref name="textField"/> names the text where the input calls it otherwise ("comment" in a progress report).
    /// </summary>
    public static void CheckReport(ValidationErrors e, string path, ActivityCommentDoc report, Func<string, bool> periodInCalendar, string textField = "text")
    {
        if (!PeriodRef.TryParse(report.PeriodKey, out _))
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), FollowUpCalendar.Malformed(report.PeriodKey));
        }
        else if (!periodInCalendar(report.PeriodKey))
        {
            e.Add(ValidationErrors.Join(path, "periodKey"), FollowUpCalendar.NotInCalendar);
        }

        e.Required(ValidationErrors.Join(path, textField), report.Text, "Rapportens text", TextLimits.Long);
        e.Required(ValidationErrors.Join(path, "writtenBy"), report.WrittenBy, "Vem som skrev rapporten");
        CheckProgress(e, path, report.Status, report.Progress);
    }

    /// <summary>A status Kedja knows and a progress in per cent.</summary>
    public static void CheckProgress(ValidationErrors e, string path, Domain.Activities.ActivityStatus status, int progress)
    {
        if (progress is < 0 or > 100)
        {
            e.Add(ValidationErrors.Join(path, "progress"), "Framdriften anges i procent, 0-100.");
        }

        if (!Enum.IsDefined(status))
        {
            e.Add(ValidationErrors.Join(path, "status"), "Okänd status.");
        }
    }
}
