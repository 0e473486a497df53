using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Periods;

/// <summary>Deadlines per level of a period and the reminder day over HTTP (<see cref="DeadlineSettings"/>).</summary>
public static class DeadlineEndpoints
{
    public static void MapDeadlines(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}").WithTags("Perioder och arbetsflöde");
        group.MapGet("/periods/{periodKey}/deadlines", Get).RequireTenant();
        group.MapPut("/periods/{periodKey}/deadlines", Put).RequireTenant(TenantRole.Admin);
        group.MapGet("/periods/{periodKey}/deadlines/proposal", Proposal).RequireTenant(TenantRole.Admin);
        group.MapGet("/reminder-settings", GetReminders).RequireTenant(TenantRole.Admin);
        group.MapPut("/reminder-settings", PutReminders).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<PeriodDeadlines>, ValidationProblem, ProblemHttpResult>> Get(string periodKey, DeadlineSettings settings, CancellationToken cancellationToken) =>
        (await settings.GetAsync(periodKey, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<PeriodDeadlines>, ValidationProblem, ProblemHttpResult>> Put(string periodKey, PeriodDeadlines input, DeadlineSettings settings,
        CancellationToken cancellationToken) =>
        (await settings.SaveAsync(periodKey, input, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<DeadlineProposal>, ValidationProblem, ProblemHttpResult>> Proposal(string periodKey, DeadlineSettings settings, CancellationToken cancellationToken) =>
        (await settings.ProposalAsync(periodKey, cancellationToken)).ToHttp();

    private static async Task<Results<Ok<ReminderDaysSetting>, ValidationProblem, ProblemHttpResult>> GetReminders(DeadlineSettings settings, CancellationToken cancellationToken) =>
        (await settings.GetRemindersAsync(cancellationToken)).ToHttp();

    private static async Task<Results<Ok<ReminderDaysSetting>, ValidationProblem, ProblemHttpResult>> PutReminders(ReminderDaysSetting input, DeadlineSettings settings, CancellationToken cancellationToken) =>
        (await settings.SaveRemindersAsync(input, cancellationToken)).ToHttp();
}
