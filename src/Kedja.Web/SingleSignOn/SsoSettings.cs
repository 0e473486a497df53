using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Auditing;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// What the sign-in flow needs of a tenant's enabled provider, the client secret decrypted. Only for the OIDC handler's
/// options: never shown, logged or serialised.
/// </summary>
/// <param name="Version">The provider row's version, raised by every change to the sign-in settings: a node holding options
/// built from an older version builds them again.</param>
public sealed record ProviderSettings(
    Guid TenantId,
    string Slug,
    string TenantName,
    string Authority,
    string ClientId,
    string? ClientSecret,
    IReadOnlyList<string> Scopes,
    string EmailClaim,
    string NameClaim,
    string GroupsClaim,
    string? DisplayName,
    bool LocalPasswords,
    int Version,
    DateTime UpdatedAt)
{
    /// <summary>Leaves the secret out, should the record ever be logged or printed.</summary>
    public override string ToString() => $"ProviderSettings {{ Slug = {Slug}, Authority = {Authority}, ClientId = {ClientId}, Version = {Version} }}";
}

/// <summary>What "Testa anslutningen" found at the authority's discovery document.</summary>
public sealed record ConnectionTest(string Address, string Issuer, bool IssuerMatches);

/// <summary>
/// A tenant's sign-in settings (issue 14, ADR 45): its OpenID Connect provider, e-mail domains, group mappings, and the
/// switches for local passwords and two-factor. Administrators only; changed from the version read (the tenant row's,
/// so a stale page or client is refused); every change is one audit entry with before and after, the secret in it only
/// as "(ändrad)"; every change also raises the provider row's version, which the sign-in nodes watch.
/// </summary>
public sealed class SsoSettings(KedjaDbContext db, TenantContext tenant, IDataProtectionProvider protection, IAuditActor actor, TimeProvider clock,
    IHttpClientFactory http, ILogger<SsoSettings> logger)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan se och ändra inloggningens inställningar.";

    /// <summary>The Data Protection purpose of the client secret; the key ring is in the database, so every node can read it.</summary>
    public const string SecretPurpose = "Kedja.Sso.ClientSecret";

    /// <summary>The named HttpClient of the connection test: no redirects, short timeouts.</summary>
    public const string DiscoveryClient = "Kedja.Sso.Discovery";

    /// <summary>A discovery document is a few kilobytes; more is not one.</summary>
    public const int MaxDiscoveryBytes = 256 * 1024;

    public static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How the secret is named in the audit trail: that it changed, never what it is.</summary>
    public const string SecretChanged = "(ändrad)";

    public const string SecretKept = "(sparad)";

    public async Task<ServiceResult<VersionedSignInSettings>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var row = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenant.TenantId, cancellationToken);
        if (row is null)
        {
            return ServiceError.NotFound(TenantAccess.NotFoundMessage);
        }

        var provider = await db.IdentityProviders.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var domains = await db.EmailDomains.AsNoTracking().Where(d => d.TenantId == tenant.TenantId).Select(d => d.Domain).ToListAsync(cancellationToken);
        var mappings = await db.GroupMappings.AsNoTracking().ToListAsync(cancellationToken);
        return Of(row, provider, domains, mappings);
    }

    public async Task<ServiceResult<VersionedSignInSettings>> SaveAsync(VersionedSignInSettings input, CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        var units = (await db.Units.AsNoTracking().Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var wanted = SsoRules.Check(errors, "", input, units);
        var provider = await db.IdentityProviders.SingleOrDefaultAsync(cancellationToken);
        var newSecret = string.IsNullOrEmpty(input.ClientSecret) ? null : input.ClientSecret;
        if (newSecret is not null)
        {
            if (newSecret.Length > SsoRules.MaxSecretLength || newSecret.Any(char.IsControl) || string.IsNullOrWhiteSpace(newSecret))
            {
                errors.Add("clientSecret", $"Klienthemligheten får vara högst {SsoRules.MaxSecretLength} tecken, på en rad.");
            }

            if (input.RemoveClientSecret)
            {
                errors.Add("clientSecret", "Skriv en ny klienthemlighet eller ta bort den sparade, inte båda.");
            }

            if (input.Provider is null)
            {
                errors.Add("clientSecret", "En klienthemlighet hör till en inloggningstjänst. Ange tjänstens adress och klient-id också.");
            }
        }

        if (input.Provider is null && provider is not null)
        {
            errors.Add("provider", "Inloggningstjänsten kan inte tas bort, bara stängas av. Skicka den med enabled: false.");
        }

        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (wanted.Domains.Count > 0)
        {
            // Said without naming the municipality that has it: which municipalities use which addresses is theirs to tell.
            var taken = await db.EmailDomains.AsNoTracking().Where(d => wanted.Domains.Contains(d.Domain) && d.TenantId != tenant.TenantId)
                .Select(d => d.Domain).ToListAsync(cancellationToken);
            foreach (var domain in taken.Order(StringComparer.Ordinal))
            {
                errors.Add("emailDomains", Taken(domain));
            }
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var row = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenant.TenantId, cancellationToken);
        if (row is null)
        {
            return ServiceError.NotFound(TenantAccess.NotFoundMessage);
        }

        var domains = await db.EmailDomains.Where(d => d.TenantId == tenant.TenantId).ToListAsync(cancellationToken);
        var mappings = await db.GroupMappings.ToListAsync(cancellationToken);
        var before = Audited(Of(row, provider, [.. domains.Select(d => d.Domain)], mappings), secretChanged: false);
        var now = clock.GetUtcNow().UtcDateTime;

        db.ExpectVersion(row, input.Version!.Value);
        row.LocalPasswords = input.LocalPasswords;
        row.RequireTwoFactor = input.RequireTwoFactor;
        var secretChanged = newSecret is not null || (input.RemoveClientSecret && provider?.ClientSecretProtected is not null);
        if (wanted.Provider is { } p)
        {
            if (provider is null)
            {
                provider = new TenantIdentityProvider { TenantId = tenant.TenantId, Authority = p.Authority, ClientId = p.ClientId };
                db.IdentityProviders.Add(provider);
            }
            else
            {
                // Written, and so raised, on every accepted change: the sign-in nodes rebuild their options from it.
                db.Entry(provider).Property(x => x.Version).IsModified = true;
            }

            provider.Authority = p.Authority;
            provider.ClientId = p.ClientId;
            provider.Scopes = p.Scopes;
            provider.EmailClaim = p.EmailClaim;
            provider.NameClaim = p.NameClaim;
            provider.GroupsClaim = p.GroupsClaim;
            provider.DisplayName = p.DisplayName;
            provider.Enabled = p.Enabled;
            provider.UpdatedAt = now;
            if (newSecret is not null)
            {
                provider.ClientSecretProtected = protection.CreateProtector(SecretPurpose).Protect(newSecret);
            }
            else if (input.RemoveClientSecret)
            {
                provider.ClientSecretProtected = null;
            }
        }

        db.EmailDomains.RemoveRange(domains.Where(d => !wanted.Domains.Contains(d.Domain, StringComparer.Ordinal)));
        db.EmailDomains.AddRange(wanted.Domains.Where(d => domains.All(x => x.Domain != d)).Select(d => new TenantEmailDomain { Domain = d, TenantId = tenant.TenantId }));
        var had = mappings.Select(m => new GroupMappingDoc(m.Group, m.Role, m.UnitId)).ToHashSet();
        if (!had.SetEquals(wanted.Mappings))
        {
            db.GroupMappings.RemoveRange(mappings);
            db.GroupMappings.AddRange(wanted.Mappings.Select(m => new TenantGroupMapping { TenantId = tenant.TenantId, Group = m.Group, Role = m.Role, UnitId = m.UnitId }));
        }

        var after = Audited(Of(row, provider, wanted.Domains, [.. wanted.Mappings.Select(m => new TenantGroupMapping { Group = m.Group, Role = m.Role, UnitId = m.UnitId })]),
            secretChanged);
        if (after != before)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = tenant.TenantId, UserName = actor.Name, At = now, Entity = AuditEntity, EntityId = tenant.TenantId.ToString(), Action = "Modified",
                Before = before, After = after,
            });
        }

        // One entry for the whole change, written above, instead of the rows' own: those would hold the secret's ciphertext.
        db.SuppressRowAudit = true;
        bool saved;
        try
        {
            saved = await db.TrySaveAsync();
        }
        finally
        {
            db.SuppressRowAudit = false;
        }

        if (!saved)
        {
            db.ChangeTracker.Clear();

            // Another municipality took a domain between the check and the write.
            var taken = await db.EmailDomains.AsNoTracking().Where(d => wanted.Domains.Contains(d.Domain) && d.TenantId != tenant.TenantId)
                .Select(d => d.Domain).ToListAsync(cancellationToken);
            return taken.Count > 0 ? ServiceError.Invalid("emailDomains", Taken(taken[0])) : ServiceError.Conflict();
        }

        logger.LogInformation("Inloggningens inställningar ändrade för {Slug} av {Actor}", tenant.Slug, actor.Name);
        return await GetAsync(cancellationToken);
    }

    public const string AuditEntity = "SignInSettings";

    private static string Taken(string domain) =>
        $"E-postdomänen {domain} hör redan till en annan kommun i Kedja. En domän kan bara höra till en kommun; be Kedjas systemadministratör om hjälp om den ska flyttas.";

    /// <summary>
    /// Fetches the saved authority's discovery document and says what issuer it names. Only the saved address is asked
    /// (not one typed with the request), with no redirect followed, a short timeout and a capped answer, and nothing of
    /// the answer is repeated but the issuer: the test cannot be turned into a way to read the server's network.
    /// </summary>
    public async Task<ServiceResult<ConnectionTest>> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var provider = await db.IdentityProviders.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (provider is null || SsoRules.Authority(provider.Authority).Authority is not { } authority)
        {
            return ServiceError.Invalid("authority", "Spara inloggningstjänstens adress först. Testet frågar den sparade adressen.");
        }

        var address = $"{authority.TrimEnd('/')}/.well-known/openid-configuration";
        var host = new Uri(address).Authority;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DiscoveryTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.CreateClient(DiscoveryClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                return Failed($"{address} svarar med en omdirigering till en annan adress. Kedja följer den inte: ange inloggningstjänstens egen adress (issuer).");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Failed($"{address} svarade {(int)response.StatusCode} {response.ReasonPhrase}. Kontrollera adressen: den ska vara tjänstens issuer, till exempel {SsoRules.ExampleAuthority}.");
            }

            if (response.Content.Headers.ContentLength > MaxDiscoveryBytes)
            {
                return Failed($"Svaret från {host} är större än {MaxDiscoveryBytes / 1024} kB och är inget OpenID Connect-dokument.");
            }

            var body = await ReadCappedAsync(response.Content, timeout.Token);
            if (body is null)
            {
                return Failed($"Svaret från {host} är större än {MaxDiscoveryBytes / 1024} kB och är inget OpenID Connect-dokument.");
            }

            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("issuer", out var issuerElement)
                || issuerElement.ValueKind != JsonValueKind.String || issuerElement.GetString() is not { Length: > 0 and <= SsoRules.MaxAuthorityLength } issuer)
            {
                return Failed($"Svaret från {address} är inget OpenID Connect-dokument: det saknar issuer.");
            }

            var matches = string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.Ordinal);
            logger.LogInformation("Anslutningstest för {Slug} mot {Host}: issuer {Matches}", tenant.Slug, host, matches ? "stämmer" : "stämmer inte");
            return new ConnectionTest(address, issuer, matches);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"{host} svarade inte inom {DiscoveryTimeout.TotalSeconds:0} sekunder. Kontrollera adressen och att Kedjas server når den.");
        }
        catch (HttpRequestException)
        {
            return Failed($"Kedja kunde inte nå {host}. Kontrollera adressen och att Kedjas server når den (brandvägg, proxy, DNS).");
        }
        catch (JsonException)
        {
            return Failed($"Svaret från {address} är inget OpenID Connect-dokument (inte JSON).");
        }

        ServiceError Failed(string message)
        {
            logger.LogInformation("Anslutningstest för {Slug} mot {Host} misslyckades", tenant.Slug, host);
            return ServiceError.Invalid("authority", message);
        }
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxDiscoveryBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The enabled provider of the tenant with this slug, secret decrypted, for the sign-in flow's options; null when the
    /// tenant has none or it is turned off. Reads across tenants (the sign-in page is before any tenant is entered), so it
    /// asks for no role: never hand its answer to a page or an answer.
    /// </summary>
    public async Task<ProviderSettings?> ReadForSignInAsync(string slug, CancellationToken cancellationToken = default)
    {
        var found = await db.Tenants.AsNoTracking().Where(t => t.Slug == slug)
            .Join(db.IdentityProviders.IgnoreQueryFilters().AsNoTracking(), t => t.Id, p => p.TenantId, (t, p) => new { t.Slug, t.Name, t.LocalPasswords, Provider = p })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is not { Provider.Enabled: true } || SsoRules.Authority(found.Provider.Authority).Error is not null)
        {
            return null;
        }

        var p = found.Provider;
        string? secret = null;
        if (p.ClientSecretProtected is not null)
        {
            try
            {
                secret = protection.CreateProtector(SecretPurpose).Unprotect(p.ClientSecretProtected);
            }
            catch (CryptographicException)
            {
                // The key ring lost the key (a restored database without its keys): the provider will refuse the client,
                // which the administrator mends by saving the secret again.
                logger.LogWarning("Klienthemligheten för {Slug} kunde inte dekrypteras; spara den igen på sidan Inloggning", found.Slug);
            }
        }

        return new ProviderSettings(p.TenantId, found.Slug, found.Name, p.Authority, p.ClientId, secret, p.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            p.EmailClaim, p.NameClaim, p.GroupsClaim, p.DisplayName, found.LocalPasswords, p.Version, p.UpdatedAt);
    }

    private static VersionedSignInSettings Of(Tenant row, TenantIdentityProvider? provider, List<string> domains, List<TenantGroupMapping> mappings) => new()
    {
        Provider = provider is null ? null : new IdentityProviderDoc
        {
            Authority = provider.Authority, ClientId = provider.ClientId, Scopes = provider.Scopes, EmailClaim = provider.EmailClaim, NameClaim = provider.NameClaim,
            GroupsClaim = provider.GroupsClaim, DisplayName = provider.DisplayName, Enabled = provider.Enabled,
        },
        HasClientSecret = provider?.ClientSecretProtected is not null,
        LocalPasswords = row.LocalPasswords,
        RequireTwoFactor = row.RequireTwoFactor,
        EmailDomains = [.. domains.Order(StringComparer.Ordinal)],
        GroupMappings = [.. mappings.Select(m => new GroupMappingDoc(m.Group, m.Role, m.UnitId)).OrderBy(m => m.Group, StringComparer.Ordinal).ThenBy(m => m.UnitId).ThenBy(m => m.Role)],
        Version = row.Version,
    };

    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The settings as the trail records them: the secret only as whether it is there and whether it changed.</summary>
    private static string Audited(VersionedSignInSettings s, bool secretChanged) => JsonSerializer.Serialize(new
    {
        s.Provider,
        ClientSecret = secretChanged ? (s.HasClientSecret ? SecretChanged : "(borttagen)") : s.HasClientSecret ? SecretKept : null,
        s.LocalPasswords,
        s.RequireTwoFactor,
        s.EmailDomains,
        s.GroupMappings,
    }, AuditJson);
}
