using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Tenants;

/// <summary>The public portal's settings (<see cref="PortalSettings"/>): read and changed by the tenant's administrators, with the version read.</summary>
public static class PortalSettingsEndpoints
{
    public static void MapPortalSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/portal-settings").WithTags("Portal");
        group.MapGet("/", Get).RequireTenant(TenantRole.Admin);
        group.MapPut("/", Put).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<VersionedPortalSettings>, ValidationProblem, ProblemHttpResult>> Get(PortalSettings settings, CancellationToken cancellationToken) =>
        (await settings.GetAsync(cancellationToken)).ToHttp();

    private static async Task<Results<Ok<VersionedPortalSettings>, ValidationProblem, ProblemHttpResult>> Put(VersionedPortalSettings input, PortalSettings settings,
        CancellationToken cancellationToken) =>
        (await settings.SaveAsync(input, cancellationToken)).ToHttp();
}
