using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.SingleSignOn;

/// <summary>A tenant's sign-in settings (<see cref="SsoSettings"/>): read and changed by its administrators, with the version read.</summary>
public static class SsoSettingsEndpoints
{
    /// <summary>The settings' service, the connection test's HttpClient (no redirects, short timeouts) and ending a member's sessions.</summary>
    public static IServiceCollection AddSsoSettings(this IServiceCollection services)
    {
        services.AddScoped<SsoSettings>();
        services.AddScoped<Members.MemberSessions>();
        services.AddHttpClient(SsoSettings.DiscoveryClient, client => client.Timeout = SsoSettings.DiscoveryTimeout * 2)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect could lead the test to any address; the saved authority is the only one asked.
                AllowAutoRedirect = false,
                ConnectTimeout = SsoSettings.DiscoveryTimeout,
                MaxResponseHeadersLength = 64,
                UseCookies = false,
            });
        return services;
    }

    public static void MapSsoSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenants/{slug}/sign-in-settings").WithTags("Inloggning");
        group.MapGet("/", Get).RequireTenant(TenantRole.Admin);
        group.MapPut("/", Put).RequireTenant(TenantRole.Admin);
        group.MapPost("/connection-test", Test).RequireTenant(TenantRole.Admin);
    }

    private static async Task<Results<Ok<VersionedSignInSettings>, ValidationProblem, ProblemHttpResult>> Get(SsoSettings settings, CancellationToken cancellationToken) =>
        (await settings.GetAsync(cancellationToken)).ToHttp();

    /// <summary>Send back what GET gave, changed where it should change; a new client secret in clientSecret, never read back.</summary>
    private static async Task<Results<Ok<VersionedSignInSettings>, ValidationProblem, ProblemHttpResult>> Put(VersionedSignInSettings input, SsoSettings settings,
        CancellationToken cancellationToken) =>
        (await settings.SaveAsync(input, cancellationToken)).ToHttp();

    /// <summary>Fetches the saved authority's discovery document and says which issuer it names.</summary>
    private static async Task<Results<Ok<ConnectionTest>, ValidationProblem, ProblemHttpResult>> Test(SsoSettings settings, CancellationToken cancellationToken) =>
        (await settings.TestConnectionAsync(cancellationToken)).ToHttp();
}
