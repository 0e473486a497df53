using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tenants;

/// <summary>The portal's settings with the tenant's version: what GET gives and PUT takes back.</summary>
public sealed record VersionedPortalSettings : PortalDoc
{
    public VersionedPortalSettings()
    {
    }

    [SetsRequiredMembers]
    public VersionedPortalSettings(PortalDoc settings)
        : base(settings)
    {
    }

    public int? Version { get; init; }
}

/// <summary>
/// The rules of the portal's settings, for the API, the page and the tenant document alike. The embedding sites end up
/// in a <c>Content-Security-Policy: frame-ancestors</c> header, so an origin is taken only as scheme, host and port made
/// of letters, digits, dots, hyphens and one colon: nothing that could end the directive or add another.
/// </summary>
public static partial class PortalRules
{
    public const int MaxOrigins = 20;

    public const int MaxOriginLength = 150;

    /// <summary>Hosts that may use plain http, to try an embed on one's own computer; everything else must use https.</summary>
    public static readonly IReadOnlySet<string> LocalHosts = new HashSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1" };

    private const string Example = "https://www.kommun.se";

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://")]
    private static partial Regex Scheme();

    public const int MaxEmailLength = 254;

    /// <summary>
    /// Adds every error of <paramref name="settings"/> under <paramref name="path"/> and returns the origins as they
    /// are stored: normalised (lowercase, no default port, no trailing slash), each once, blank lines left out; and the
    /// contact address trimmed, null when blank.
    /// </summary>
    public static (List<string> Origins, string? ContactEmail) Check(ValidationErrors e, string path, PortalDoc settings)
    {
        if (!Enum.IsDefined(settings.Licence))
        {
            e.Add(ValidationErrors.Join(path, "licence"), "Välj licens för öppna data: CC0 eller CC BY 4.0.");
        }

        var origins = new List<string>();
        var typed = settings.EmbedOrigins ?? [];
        for (var i = 0; i < typed.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(typed[i]))
            {
                continue;
            }

            var (origin, error) = Origin(typed[i]);
            if (error is not null)
            {
                e.Add($"{ValidationErrors.Join(path, "embedOrigins")}[{i}]", error);
            }
            else if (!origins.Contains(origin!, StringComparer.Ordinal))
            {
                origins.Add(origin!);
            }
        }

        if (origins.Count > MaxOrigins)
        {
            e.Add(ValidationErrors.Join(path, "embedOrigins"), $"Högst {MaxOrigins} webbplatser kan få bädda in portalen. Listan har {origins.Count}.");
        }

        e.Text(ValidationErrors.Join(path, "accessibilityStatement"), settings.AccessibilityStatement, "Tillgänglighetsredogörelsen", TextLimits.Page);
        var (email, emailError) = ContactEmail(settings.ContactEmail);
        if (emailError is not null)
        {
            e.Add(ValidationErrors.Join(path, "contactEmail"), emailError);
        }

        return (origins, email);
    }

    /// <summary>
    /// The contact address as stored (trimmed; null when blank), or why not in Swedish. One mailbox, no name before it:
    /// it is shown to residents and written into the catalogue as a mailto: link.
    /// </summary>
    public static (string? Email, string? Error) ContactEmail(string? typed)
    {
        var value = typed?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return (null, null);
        }

        var shown = value.Length > 60 ? $"”{value[..60]}…”" : $"”{value}”";
        if (value.Length > MaxEmailLength)
        {
            return (null, $"{shown} är för lång. En e-postadress får vara högst {MaxEmailLength} tecken.");
        }

        // Written into the catalogue as a mailto: address, which harvesters read as ASCII.
        if (!value.All(char.IsAscii))
        {
            return (null, $"{shown}: skriv e-postadressen utan å, ä, ö och andra tecken utanför a–z, till exempel info@kommun.se.");
        }

        // Letters, digits and . _ + - before the @ (every municipal address): what a mailto: link and the catalogue's IRI
        // carry as they are. "?", "#", "%" and "&" would make a link that writes to someone else (RFC 6068).
        var at = value.LastIndexOf('@');
        var ok = at > 0 && value.Count(c => c == '@') == 1 && value[..at].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-')
            && System.Net.Mail.MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0
            && value[(at + 1)..].ToLowerInvariant() is var domain && HostName().IsMatch(domain) && domain.Contains('.', StringComparison.Ordinal);
        return ok ? (value, null) : (null, $"{shown} är ingen e-postadress. Skriv en adress som invånarna kan skriva till, till exempel info@kommun.se.");
    }

    /// <summary>One typed origin as it is stored, or why not in Swedish, quoting what was typed.</summary>
    public static (string? Origin, string? Error) Origin(string typed)
    {
        var value = typed.Trim();
        var shown = value.Length > 60 ? $"”{value[..60]}…”" : $"”{value}”";
        var bare = value.Trim('\'', '"').ToLowerInvariant();
        if (bare is "self" or "none" or "unsafe-inline" or "unsafe-eval" or "strict-dynamic")
        {
            return (null, $"{shown} är ett nyckelord, ingen webbplats. Skriv adressen till webbplatsen som ska visa inbäddningarna, till exempel {Example}.");
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return (null, $"{shown}: jokertecken (*) går inte att använda. Skriv varje webbplats för sig, till exempel {Example}.");
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or ',' or '\'' or '"'))
        {
            return (null, $"{shown}: skriv en webbplats per rad, utan mellanslag, semikolon, kommatecken eller citattecken.");
        }

        if (value.Length > MaxOriginLength)
        {
            return (null, $"{shown} är för lång. En webbplats adress får vara högst {MaxOriginLength} tecken.");
        }

        var lower = value.ToLowerInvariant();
        if (!Scheme().IsMatch(lower))
        {
            return (null, $"{shown} är ingen fullständig webbadress. Skriv den med https://, till exempel {Example}.");
        }

        var scheme = lower[..lower.IndexOf("://", StringComparison.Ordinal)];
        if (scheme is not ("https" or "http"))
        {
            return (null, $"{shown}: bara webbplatser med https:// kan bädda in portalen.");
        }

        var rest = value[(scheme.Length + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        if ((end >= 0 && rest[end..] != "/") || authority.Contains('@', StringComparison.Ordinal))
        {
            return (null, $"{shown}: skriv bara webbplatsens adress, utan sökväg, frågetecken eller #, till exempel {Example}.");
        }

        // An address in brackets (IPv6) cannot be named in a frame-ancestors source.
        if (authority.StartsWith('['))
        {
            return (null, $"{shown} har inget giltigt namn på en webbplats. Skriv till exempel {Example}.");
        }

        int? port = null;
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        if (colon >= 0)
        {
            if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return (null, $"{shown}: portnumret ska vara ett tal från 1 till 65535.");
            }

            port = number;
        }

        if (!AsciiHost(host, out var ascii) || !HostName().IsMatch(ascii) || (!ascii.Contains('.', StringComparison.Ordinal) && ascii != "localhost"))
        {
            return (null, $"{shown} har inget giltigt namn på en webbplats. Skriv till exempel {Example}.");
        }

        if (scheme == "http" && !LocalHosts.Contains(ascii))
        {
            return (null, $"{shown}: webbplatsen måste använda https://. Bara localhost och 127.0.0.1 får använda http://, för att prova på den egna datorn.");
        }

        // The default port is the origin without one, and a policy names it so.
        var shownPort = port is null || (scheme, port) is ("https", 443) or ("http", 80) ? "" : $":{port}";
        return ($"{scheme}://{ascii}{shownPort}", null);
    }

    /// <summary>A host with letters outside ASCII (kommun.åre.se) as the policy must name it (xn--), lowercase.</summary>
    private static bool AsciiHost(string host, out string ascii)
    {
        ascii = "";
        try
        {
            ascii = host.All(char.IsAscii) ? host.ToLowerInvariant() : new IdnMapping().GetAscii(host).ToLowerInvariant();
            return ascii.Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The statement as stored: null for nothing written and for the default text left as it was, so that a municipality
    /// that never wrote its own keeps getting Kedja's (with its current name).
    /// </summary>
    public static string? Statement(string? typed, string municipality)
    {
        var text = typed?.ReplaceLineEndings("\n").Trim();
        return string.IsNullOrEmpty(text) || text == Portal.AccessibilityStatement.Default(municipality).ReplaceLineEndings("\n").Trim() ? null : text;
    }
}

/// <summary>
/// A municipality's settings for its public portal (issue 13, ADR 41): the licence of its open data, the sites that may
/// embed its views, its accessibility statement, and whether the council's assignments and the committees' decided
/// internal control plans are published (issue 15, both off until chosen). Administrators only; changed from the version read (a stale one is a
/// conflict); every change is in the audit trail (the tenant row's before and after) and raises the data version, so
/// that the portal's pages are made again.
/// </summary>
public sealed class PortalSettings(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan se och ändra portalens inställningar.";

    public async Task<ServiceResult<VersionedPortalSettings>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.Role < TenantRole.Admin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var row = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenant.TenantId, cancellationToken);
        return row is null ? ServiceError.NotFound(TenantAccess.NotFoundMessage) : Of(row);
    }

    /// <summary>The statement a municipality gets while it has written none.</summary>
    public string DefaultStatement => Portal.AccessibilityStatement.Default(tenant.Name);

    public async Task<ServiceResult<VersionedPortalSettings>> SaveAsync(VersionedPortalSettings input, CancellationToken cancellationToken = default)
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

        var (origins, email) = PortalRules.Check(errors, "", input);
        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
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

        db.ExpectVersion(row, input.Version!.Value);
        row.Licence = input.Licence;
        row.EmbedOrigins = origins;
        row.AccessibilityStatement = PortalRules.Statement(input.AccessibilityStatement, row.Name);
        row.ContactEmail = email;
        row.PublishAssignments = input.PublishAssignments;
        row.PublishControlPlans = input.PublishControlPlans;

        // Saving the tenant's row raises its data version in the same transaction (KedjaDbContext), so the portal's
        // pages made under the old settings are not served again.
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return Of(row);
    }

    private static VersionedPortalSettings Of(Tenant row) => new()
    {
        Licence = row.Licence,
        EmbedOrigins = [.. row.EmbedOrigins],
        AccessibilityStatement = row.AccessibilityStatement,
        ContactEmail = row.ContactEmail,
        PublishAssignments = row.PublishAssignments,
        PublishControlPlans = row.PublishControlPlans,
        Version = row.Version,
    };
}
