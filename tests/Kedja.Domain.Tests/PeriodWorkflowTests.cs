using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

public class PeriodWorkflowTests
{
    [Theory]
    [InlineData(WorkflowState.Open, WorkflowAction.Submit, WorkflowState.Submitted, WorkflowAuthority.Unit)]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Approve, WorkflowState.Approved, WorkflowAuthority.Above)]
    [InlineData(WorkflowState.Approved, WorkflowAction.Lock, WorkflowState.Locked, WorkflowAuthority.Administrator)]
    [InlineData(WorkflowState.Open, WorkflowAction.Lock, WorkflowState.Locked, WorkflowAuthority.Administrator)]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Reopen, WorkflowState.Open, WorkflowAuthority.Above)]
    [InlineData(WorkflowState.Approved, WorkflowAction.Reopen, WorkflowState.Open, WorkflowAuthority.Above)]
    [InlineData(WorkflowState.Locked, WorkflowAction.Reopen, WorkflowState.Open, WorkflowAuthority.Administrator)]
    [InlineData(WorkflowState.Locked, WorkflowAction.Correct, WorkflowState.Locked, WorkflowAuthority.Administrator)]
    [InlineData(WorkflowState.Locked, WorkflowAction.FinishCorrection, WorkflowState.Locked, WorkflowAuthority.Administrator)]
    public void Allowed_steps_lead_to_their_state_and_name_who_may_take_them(WorkflowState from, WorkflowAction action, WorkflowState to, WorkflowAuthority who)
    {
        var (step, error) = PeriodWorkflow.Plan(from, action, "Rättelse av sjuktalet");

        error.ShouldBeNull();
        step.ShouldBe(new WorkflowStep(to, who));
    }

    [Theory]
    [InlineData(WorkflowState.Open, WorkflowAction.Approve, "Uppföljningen är öppen och kan inte godkännas.")]
    [InlineData(WorkflowState.Open, WorkflowAction.Reopen, "Uppföljningen är öppen och kan inte öppnas igen.")]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Submit, "Uppföljningen är inskickad och kan inte skickas in.")]
    [InlineData(WorkflowState.Approved, WorkflowAction.Approve, "Uppföljningen är godkänd och kan inte godkännas.")]
    [InlineData(WorkflowState.Locked, WorkflowAction.Lock, "Uppföljningen är låst och kan inte låsas.")]
    [InlineData(WorkflowState.Locked, WorkflowAction.Submit, "Uppföljningen är låst och kan inte skickas in.")]
    [InlineData(WorkflowState.Open, WorkflowAction.Correct, "Uppföljningen är öppen och kan inte rättas; bara en låst uppföljning rättas.")]
    [InlineData(WorkflowState.Approved, WorkflowAction.FinishCorrection, "Uppföljningen är godkänd och kan inte få en rättelse avslutad; ingen rättelse pågår.")]
    public void Other_steps_are_refused_with_a_swedish_reason(WorkflowState from, WorkflowAction action, string message)
    {
        var (step, error) = PeriodWorkflow.Plan(from, action, "Rättelse av sjuktalet");

        step.ShouldBeNull();
        error.ShouldBe(message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("fel")]
    public void Reopening_needs_a_reason(string? reason)
    {
        foreach (var from in new[] { WorkflowState.Submitted, WorkflowState.Approved, WorkflowState.Locked })
        {
            var (step, error) = PeriodWorkflow.Plan(from, WorkflowAction.Reopen, reason);
            step.ShouldBeNull();
            error.ShouldBe("Ange varför uppföljningen öppnas igen.");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("fel")]
    public void A_correction_after_closing_needs_a_reason(string? reason)
    {
        var (step, error) = PeriodWorkflow.Plan(WorkflowState.Locked, WorkflowAction.Correct, reason);
        step.ShouldBeNull();
        error.ShouldBe(PeriodWorkflow.CorrectionReasonMissing);
        PeriodWorkflow.Plan(WorkflowState.Locked, WorkflowAction.FinishCorrection, null).Error.ShouldBeNull();
    }

    [Fact]
    public void Only_an_open_follow_up_takes_changes()
    {
        PeriodWorkflow.AllowsChanges(WorkflowState.Open).ShouldBeTrue();
        PeriodWorkflow.AllowsChanges(WorkflowState.Submitted).ShouldBeFalse();
        PeriodWorkflow.AllowsChanges(WorkflowState.Approved).ShouldBeFalse();
        PeriodWorkflow.AllowsChanges(WorkflowState.Locked).ShouldBeFalse();
    }

    private static FollowUpPeriod Period(string key)
    {
        var r = PeriodRef.Parse(key);
        return new FollowUpPeriod { Key = key, Name = r.Label, Year = r.Year, Kind = r.Kind, StartDate = r.Start, EndDate = r.End };
    }

    [Theory]
    [InlineData("2025-T2", "2025-T2")]
    [InlineData("2025", "2025-T3")]
    [InlineData("2025-03", "2025-T1")]
    [InlineData("2025-05", "2025-T2")]
    [InlineData("2025-H1", "2025-T2")]
    [InlineData("2024", null)]
    [InlineData("2026-T1", null)]
    public void A_result_is_reported_in_the_follow_up_its_period_ends_in(string result, string? expected)
    {
        var calendar = new[] { Period("2025-T1"), Period("2025-T2"), Period("2025-T3") };

        PeriodWorkflow.ReportedIn(PeriodRef.Parse(result), calendar)?.Key.ShouldBe(expected);
    }

    [Fact]
    public void With_an_interim_and_an_annual_report_a_tertial_value_goes_to_the_interim_and_the_year_to_the_annual()
    {
        var calendar = new[] { Period("2025-D"), Period("2025") };

        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2025-T1"), calendar)!.Key.ShouldBe("2025-D");
        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2025-T3"), calendar)!.Key.ShouldBe("2025");
        PeriodWorkflow.ReportedIn(PeriodRef.Parse("2025"), calendar)!.Key.ShouldBe("2025");
    }

    [Theory]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Approve, true, false)]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Approve, false, true)]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Lock, true, false)]
    [InlineData(WorkflowState.Approved, WorkflowAction.Lock, true, true)]
    [InlineData(WorkflowState.Submitted, WorkflowAction.Reopen, true, true)]
    public void Whoever_submitted_may_neither_approve_nor_lock_before_someone_else_approved(WorkflowState from, WorkflowAction action, bool actorSubmitted, bool allowed) =>
        (PeriodWorkflow.FourEyes(from, action, actorSubmitted) is null).ShouldBe(allowed);

    [Theory]
    [InlineData("2026-T1", false)]
    [InlineData("2026-T2", false)]
    [InlineData("2026-T3", true)]
    [InlineData("2026-D", false)]
    [InlineData("2026", true)]
    public void A_kind_with_a_yearly_cadence_is_followed_up_only_when_its_year_closes(string period, bool followedUp)
    {
        var overrides = new[] { new Kedja.Domain.Model.CadenceOverride(Kedja.Domain.Organisation.UnitKind.Company, FollowUpCadence.Year) };
        Kedja.Domain.Model.CadenceOverride.FollowsUp(overrides, Kedja.Domain.Organisation.UnitKind.Company, PeriodRef.Parse(period)).ShouldBe(followedUp);
        Kedja.Domain.Model.CadenceOverride.FollowsUp(overrides, Kedja.Domain.Organisation.UnitKind.Unit, PeriodRef.Parse(period)).ShouldBeTrue();
    }
}
