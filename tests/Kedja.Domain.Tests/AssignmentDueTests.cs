using Kedja.Domain.Assignments;

namespace Kedja.Domain.Tests;

public class AssignmentDueTests
{
    private static readonly Guid Tertial = Guid.NewGuid();

    private static Assignment Given(AssignmentStatus status, DateOnly? dueDate = null, Guid? duePeriod = null) => new()
    {
        Title = "Utred fler platser", Text = "Nämnden ger förvaltningen i uppdrag att utreda.", Status = status, DueDate = dueDate, DuePeriodId = duePeriod,
    };

    private static DateOnly? PeriodEnd(Guid id) => id == Tertial ? new DateOnly(2026, 12, 31) : null;

    [Fact]
    public void An_open_assignment_is_overdue_from_the_day_after_it_was_due_as_the_clock_moves()
    {
        var assignment = Given(AssignmentStatus.InProgress, new DateOnly(2027, 1, 31));
        var due = AssignmentDue.DueOn(assignment, PeriodEnd);
        due.ShouldBe(new DateOnly(2027, 1, 31));

        var overdue = new[] { new DateOnly(2027, 1, 30), new DateOnly(2027, 1, 31), new DateOnly(2027, 2, 1), new DateOnly(2027, 3, 1) }
            .Select(today => AssignmentDue.IsOverdue(assignment, due, today)).ToList();

        overdue.ShouldBe([false, false, true, true]);
    }

    [Fact]
    public void Without_a_date_it_is_due_when_its_period_ends_and_without_either_it_is_never_overdue()
    {
        var byPeriod = Given(AssignmentStatus.NotStarted, duePeriod: Tertial);
        var due = AssignmentDue.DueOn(byPeriod, PeriodEnd);
        due.ShouldBe(new DateOnly(2026, 12, 31));
        AssignmentDue.IsOverdue(byPeriod, due, new DateOnly(2026, 12, 31)).ShouldBeFalse();
        AssignmentDue.IsOverdue(byPeriod, due, new DateOnly(2027, 1, 1)).ShouldBeTrue();

        var openEnded = Given(AssignmentStatus.NotStarted);
        AssignmentDue.DueOn(openEnded, PeriodEnd).ShouldBeNull();
        AssignmentDue.IsOverdue(openEnded, null, new DateOnly(2099, 1, 1)).ShouldBeFalse();

        // A date of its own comes before its period.
        AssignmentDue.DueOn(Given(AssignmentStatus.NotStarted, new DateOnly(2026, 6, 30), Tertial), PeriodEnd).ShouldBe(new DateOnly(2026, 6, 30));
    }

    [Theory]
    [InlineData(AssignmentStatus.NotStarted, true, false, true)]
    [InlineData(AssignmentStatus.InProgress, true, false, true)]
    [InlineData(AssignmentStatus.Done, false, false, false)]
    [InlineData(AssignmentStatus.Closed, false, true, false)]
    [InlineData(AssignmentStatus.NotDone, false, true, false)]
    public void Only_what_the_unit_still_has_to_do_is_open_and_can_be_overdue(AssignmentStatus status, bool open, bool closed, bool overdue)
    {
        AssignmentDue.IsOpen(status).ShouldBe(open);
        AssignmentDue.IsClosed(status).ShouldBe(closed);
        AssignmentDue.IsOverdue(Given(status, new DateOnly(2026, 1, 31)), new DateOnly(2026, 1, 31), new DateOnly(2026, 6, 1)).ShouldBe(overdue);
    }

    [Fact]
    public void Every_status_has_a_Swedish_name_and_a_colour_with_a_symbol_of_its_own()
    {
        var statuses = Enum.GetValues<AssignmentStatus>();
        statuses.Select(AssignmentNames.Swedish).ShouldBe(["Ej påbörjat", "Pågår", "Klart", "Återrapporterat och avslutat", "Ej genomfört"]);
        statuses.Select(s => AssignmentNames.Signal(s).Symbol).Distinct().Count().ShouldBe(statuses.Length);
        statuses.Select(s => AssignmentNames.Signal(s).Colour).Distinct().Count().ShouldBe(statuses.Length);
    }
}
