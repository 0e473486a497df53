using Kedja.Data;
using Kedja.Domain.Tenancy;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.SingleSignOn;

/// <summary>How the sign-in through a municipality's own identity provider behaves on this node (ADR 45).</summary>
public sealed class SsoSignInOptions
{
    public const string Section = "Kedja:Sso";

    /// <summary>
    /// How often, at most, a node reads the providers' versions from the database. A provider changed on another node
    /// takes effect here within this time (0: on every sign-in request, as the tests have it).
    /// </summary>
    public double ProviderRefreshSeconds { get; set; } = 5;
}

/// <summary>One tenant's enabled provider as this node last read it; <see cref="Version"/> names the row's state.</summary>
public sealed record SsoProvider(Guid TenantId, string Slug, int Version, string Authority, string ClientId, string? ClientSecretProtected,
    string Scopes, string EmailClaim, string NameClaim, string GroupsClaim, string? DisplayName)
{
    public string Scheme => SsoSchemes.SchemeOf(Slug);
}

/// <summary>Names and addresses of the per-tenant schemes: <c>oidc:{slug}</c>, called back at <c>/inloggning/oidc/{slug}</c>.</summary>
public static class SsoSchemes
{
    public const string Prefix = "oidc:";

    public const string PathPrefix = "/inloggning/oidc/";

    /// <summary>The short-lived cookie that carries the provider's answer from the callback to <see cref="ExternalSignIn"/>.</summary>
    public const string ExternalCookieScheme = "Kedja.External";

    public static string SchemeOf(string slug) => Prefix + slug;

    public static string? SlugOf(string? scheme) =>
        scheme is not null && scheme.StartsWith(Prefix, StringComparison.Ordinal) && scheme.Length > Prefix.Length ? scheme[Prefix.Length..] : null;

    public static string CallbackPath(string slug) => PathPrefix + slug;

    public static string SignedOutPath(string slug) => PathPrefix + slug + "/ut";

    /// <summary>Where the external cookie is turned into a Kedja session (or refused).</summary>
    public static string CompletePath(string slug) => PathPrefix + slug + "/klar";
}

/// <summary>
/// This node's copy of the tenants' enabled providers, read again at most every <see cref="SsoSignInOptions.ProviderRefreshSeconds"/>.
/// Several nodes share one database and none tells the others of a change, so each compares the rows' versions itself;
/// a provider whose version changed (or that was removed or turned off) has its handler options dropped from the
/// options cache, so the next request builds them from the new row (issue 17).
/// </summary>
public sealed class SsoProviders(IServiceScopeFactory scopes, IOptionsMonitorCache<OpenIdConnectOptions> optionsCache, IOptions<SsoSignInOptions> options,
    TimeProvider clock, ILogger<SsoProviders> logger)
{
    private readonly SemaphoreSlim reading = new(1, 1);
    private volatile IReadOnlyDictionary<string, SsoProvider> current = new Dictionary<string, SsoProvider>(StringComparer.Ordinal);
    private long readAt = long.MinValue;

    /// <summary>The providers as last read, without reading (for the options, which are built synchronously after <see cref="FindAsync"/>).</summary>
    public SsoProvider? Held(string slug) => current.GetValueOrDefault(slug);

    /// <summary>The tenant's enabled provider, read again first when the copy is older than the refresh interval.</summary>
    public async Task<SsoProvider?> FindAsync(string slug, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken);
        return current.GetValueOrDefault(slug);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ProviderRefreshSeconds);
        if (Fresh(interval))
        {
            return;
        }

        await reading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(interval))
            {
                return;
            }

            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KedjaDbContext>();
            var rows = await db.IdentityProviders.IgnoreQueryFilters().AsNoTracking().Where(p => p.Enabled)
                .Join(db.Tenants, p => p.TenantId, t => t.Id, (p, t) => new { p, t.Slug })
                .ToListAsync(cancellationToken);
            var read = rows.ToDictionary(r => r.Slug, r => new SsoProvider(r.p.TenantId, r.Slug, r.p.Version, r.p.Authority, r.p.ClientId, r.p.ClientSecretProtected,
                r.p.Scopes, r.p.EmailClaim, r.p.NameClaim, r.p.GroupsClaim, r.p.DisplayName), StringComparer.Ordinal);
            foreach (var (slug, held) in current)
            {
                if (!read.TryGetValue(slug, out var now) || now.Version != held.Version || now.TenantId != held.TenantId)
                {
                    optionsCache.TryRemove(held.Scheme);
                    logger.LogInformation("Inloggningen för {Slug} ändrades och läses in på nytt.", slug);
                }
            }

            foreach (var slug in read.Keys.Where(slug => !current.ContainsKey(slug)))
            {
                // Options asked for while the provider was off would have been built empty; never keep those.
                optionsCache.TryRemove(SsoSchemes.SchemeOf(slug));
            }

            current = read;
            Interlocked.Exchange(ref readAt, clock.GetTimestamp());
        }
        finally
        {
            reading.Release();
        }
    }

    private bool Fresh(TimeSpan interval)
    {
        var at = Interlocked.Read(ref readAt);
        return at != long.MinValue && interval > TimeSpan.Zero && clock.GetElapsedTime(at) < interval;
    }
}
