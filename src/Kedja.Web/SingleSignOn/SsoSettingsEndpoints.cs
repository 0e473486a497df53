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
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // A redirect could lead the test to any address; the saved authority is the only one asked.
                AllowAutoRedirect = false,
                ConnectTimeout = SsoSettings.DiscoveryTimeout,
                MaxResponseHeadersLength = 64,
                UseCookies = false,
                UseProxy = false,
                ConnectCallback = ConnectOutside(!provider.GetRequiredService<IHostEnvironment>().IsProduction()),
            });
        return services;
    }

    /// <summary>
    /// Connects only to addresses outside the server itself: in production, a name that resolves to the loopback or a
    /// link-local address (where cloud metadata services answer) is refused like an unreachable one, checked on the
    /// address actually connected to, so a name re-pointed between check and use cannot slip through. Tests and a
    /// developer's computer run their provider on 127.0.0.1, so there it is allowed.
    /// </summary>
    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectOutside(bool allowLocal) => async (context, cancellationToken) =>
    {
        var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowLocal || !OnThisServer(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException("The address is on the server itself.");
        }

        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };

    private static bool OnThisServer(System.Net.IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return System.Net.IPAddress.IsLoopback(address) || address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || (bytes.Length == 4 && bytes[0] == 169 && bytes[1] == 254) || (bytes.Length == 4 && bytes[0] == 0);
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
