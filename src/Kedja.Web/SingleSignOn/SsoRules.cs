using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// The rules of a tenant's sign-in settings (issue 14, ADR 45), for the API, the page and the tenant document alike:
/// what is stored is what these return, so the OIDC handler never meets a value they did not accept.
/// </summary>
public static partial class SsoRules
{
    public const int MaxDomains = 50;

    public const int MaxMappings = 200;

    public const int MaxScopes = 20;

    public const int MaxSecretLength = 1000;

    public const int MaxClaimLength = 200;

    public const int MaxAuthorityLength = 400;

    public const int MaxGroupLength = 400;

    public const string ExampleAuthority = "https://login.microsoftonline.com/{katalog-id}/v2.0";

    /// <summary>The settings as they are stored: the provider's values trimmed and normalised, domains in punycode lower case, each once.</summary>
    public sealed record Normalised(IdentityProviderDoc? Provider, List<string> Domains, List<GroupMappingDoc> Mappings);

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex DomainName();

    /// <summary>A scope token as RFC 6749 (3.3) allows it: printable ASCII without space, quote or backslash.</summary>
    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+$")]
    private static partial Regex ScopeToken();

    /// <summary>A claim's type: a short name (email, groups, preferred_username) or a URI as ADFS and WS-Fed send them.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_:/.#\-]+$")]
    private static partial Regex ClaimType();

    /// <summary>
    /// Adds every error of <paramref name="settings"/> under <paramref name="path"/> and returns the values as stored.
    /// <paramref name="units"/> are the ids a mapping may name (this tenant's units). The switch for local passwords
    /// is checked against the result: off only with an enabled provider and at least one domain, so that nobody is
    /// left without a way in.
    /// </summary>
    public static Normalised Check(ValidationErrors e, string path, SignInDoc settings, IReadOnlySet<Guid> units)
    {
        var provider = settings.Provider is null ? null : Provider(e, ValidationErrors.Join(path, "provider"), settings.Provider);

        var domains = new List<string>();
        var typed = settings.EmailDomains ?? [];
        for (var i = 0; i < typed.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(typed[i]))
            {
                continue;
            }

            var (domain, error) = Domain(typed[i]);
            if (error is not null)
            {
                e.Add($"{ValidationErrors.Join(path, "emailDomains")}[{i}]", error);
            }
            else if (!domains.Contains(domain!, StringComparer.Ordinal))
            {
                domains.Add(domain!);
            }
        }

        if (domains.Count > MaxDomains)
        {
            e.Add(ValidationErrors.Join(path, "emailDomains"), $"Högst {MaxDomains} e-postdomäner kan höra till en kommun. Listan har {domains.Count}.");
        }

        var mappings = new List<GroupMappingDoc>();
        var given = settings.GroupMappings ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var at = $"{ValidationErrors.Join(path, "groupMappings")}[{i}]";
            var m = given[i];
            var group = m.Group?.Trim();
            if (string.IsNullOrEmpty(group))
            {
                e.Add(ValidationErrors.Join(at, "group"), "Ange gruppen som inloggningstjänsten skickar, till exempel gruppens objekt-id i Entra ID.");
            }
            else if (group.Length > MaxGroupLength || group.Any(char.IsControl))
            {
                e.Add(ValidationErrors.Join(at, "group"), $"Gruppen får vara högst {MaxGroupLength} tecken, utan radbrytningar och andra styrtecken.");
            }

            if (!Enum.IsDefined(m.Role))
            {
                e.Add(ValidationErrors.Join(at, "role"), "Välj roll: läsare, redaktör eller administratör.");
            }

            if (m.UnitId is { } unit && !units.Contains(unit))
            {
                e.Add(ValidationErrors.Join(at, "unitId"), "Enheten finns inte i kommunen. Välj en enhet eller hela kommunen.");
            }

            if (string.IsNullOrEmpty(group) || group.Length > MaxGroupLength)
            {
                continue;
            }

            var same = mappings.FirstOrDefault(x => x.Group == group && x.UnitId == m.UnitId);
            if (same is null)
            {
                mappings.Add(new GroupMappingDoc(group, m.Role, m.UnitId));
            }
            else if (same.Role != m.Role)
            {
                e.Add(ValidationErrors.Join(at, "role"), $"Gruppen ”{Shown(group)}” har redan en annan roll för samma enhet. En grupp ger en roll per enhet.");
            }
        }

        if (mappings.Count > MaxMappings)
        {
            e.Add(ValidationErrors.Join(path, "groupMappings"), $"Högst {MaxMappings} gruppkopplingar kan finnas. Listan har {mappings.Count}.");
        }

        if (!settings.LocalPasswords && (provider is not { Enabled: true } || domains.Count == 0))
        {
            e.Add(ValidationErrors.Join(path, "localPasswords"),
                "Lösenord i Kedja kan bara stängas av när inloggningstjänsten är påslagen och minst en e-postdomän är angiven. Annars kan ingen logga in.");
        }

        return new Normalised(provider, domains, mappings);
    }

    private static IdentityProviderDoc Provider(ValidationErrors e, string path, IdentityProviderDoc p)
    {
        var (authority, authorityError) = Authority(p.Authority);
        if (authorityError is not null)
        {
            e.Add(ValidationErrors.Join(path, "authority"), authorityError);
        }

        var clientId = p.ClientId?.Trim() ?? "";
        if (clientId.Length == 0)
        {
            e.Add(ValidationErrors.Join(path, "clientId"), "Ange klient-id:t (application/client id) som inloggningstjänsten gav Kedja.");
        }
        else if (clientId.Length > MaxAuthorityLength || clientId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            e.Add(ValidationErrors.Join(path, "clientId"), $"Klient-id:t får vara högst {MaxAuthorityLength} tecken, utan mellanslag och radbrytningar.");
        }

        var scopes = new List<string>();
        foreach (var scope in (p.Scopes ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ScopeToken().IsMatch(scope))
            {
                e.Add(ValidationErrors.Join(path, "scopes"), $"”{Shown(scope)}” är inget giltigt scope. Skriv scopen åtskilda med mellanslag, till exempel openid profile email.");
            }
            else if (!scopes.Contains(scope, StringComparer.Ordinal))
            {
                scopes.Add(scope);
            }
        }

        if (!scopes.Contains("openid", StringComparer.Ordinal))
        {
            e.Add(ValidationErrors.Join(path, "scopes"), "Scopen måste innehålla openid; utan det är det ingen OpenID Connect-inloggning.");
        }

        if (scopes.Count > MaxScopes)
        {
            e.Add(ValidationErrors.Join(path, "scopes"), $"Högst {MaxScopes} scope kan anges.");
        }

        string Claim(string field, string? value, string what, string fallback)
        {
            var claim = string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
            if (claim.Length > MaxClaimLength || !ClaimType().IsMatch(claim))
            {
                e.Add(ValidationErrors.Join(path, field), $"{what} ska vara ett claim-namn som email eller en adress som http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress (högst {MaxClaimLength} tecken, utan mellanslag).");
            }

            return claim;
        }

        var emailClaim = Claim("emailClaim", p.EmailClaim, "Claimet för e-post", "email");
        var nameClaim = Claim("nameClaim", p.NameClaim, "Claimet för namn", "name");
        var groupsClaim = Claim("groupsClaim", p.GroupsClaim, "Claimet för grupper", "groups");
        var displayName = string.IsNullOrWhiteSpace(p.DisplayName) ? null : p.DisplayName.Trim();
        if (displayName is not null && (displayName.Length > 100 || displayName.Any(char.IsControl)))
        {
            e.Add(ValidationErrors.Join(path, "displayName"), "Knappens text får vara högst 100 tecken, på en rad.");
        }

        return new IdentityProviderDoc
        {
            Authority = authority ?? "",
            ClientId = clientId,
            Scopes = string.Join(' ', scopes),
            EmailClaim = emailClaim,
            NameClaim = nameClaim,
            GroupsClaim = groupsClaim,
            DisplayName = displayName,
            Enabled = p.Enabled,
        };
    }

    /// <summary>
    /// The issuer's address as stored (trimmed), or why not in Swedish. Absolute https; plain http only on the
    /// computer itself (localhost, 127.0.0.1, ::1), where the tests' provider and a developer's run.
    /// </summary>
    public static (string? Authority, string? Error) Authority(string? typed)
    {
        var value = typed?.Trim() ?? "";
        if (value.Length == 0)
        {
            return (null, $"Ange inloggningstjänstens adress (authority/issuer), till exempel {ExampleAuthority}.");
        }

        var shown = $"”{Shown(value)}”";
        if (value.Length > MaxAuthorityLength)
        {
            return (null, $"{shown} är för lång. Adressen får vara högst {MaxAuthorityLength} tecken.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0
            || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, $"{shown} är ingen fullständig webbadress. Skriv den med https://, till exempel {ExampleAuthority}.");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return (null, $"{shown}: skriv adressen utan användarnamn, frågetecken och #.");
        }

        if (uri.AbsolutePath.TrimEnd('/').EndsWith("/.well-known/openid-configuration", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"{shown}: skriv adressen utan /.well-known/openid-configuration; Kedja lägger till den själv.");
        }

        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            return (null, $"{shown}: inloggningstjänsten måste använda https://. Bara localhost och 127.0.0.1 får använda http://, för att prova på den egna datorn.");
        }

        return (value, null);
    }

    /// <summary>
    /// One e-mail domain as stored (lower case, letters outside a–z as punycode: <c>åre.se</c> → <c>xn--re-xia.se</c>), or
    /// why not in Swedish. "@kommun.se" and "anna@kommun.se" are taken as kommun.se, since that is what people paste.
    /// Home realm discovery looks a typed address's domain up with the same rule.
    /// </summary>
    public static (string? Domain, string? Error) Domain(string typed)
    {
        var value = typed.Trim();
        var shown = $"”{Shown(value)}”";
        var at = value.LastIndexOf('@');
        if (at >= 0)
        {
            value = value[(at + 1)..];
        }

        value = value.TrimEnd('.');
        if (value.Length == 0 || value.Length > 253 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, $"{shown} är ingen e-postdomän. Skriv domänen efter @ i personalens adresser, till exempel kommun.se.");
        }

        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(value.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return (null, $"{shown} är ingen e-postdomän. Skriv domänen efter @ i personalens adresser, till exempel kommun.se.");
        }

        if (!DomainName().IsMatch(ascii) || IPAddress.TryParse(ascii, out _) || ascii.Split('.')[^1].All(char.IsAsciiDigit))
        {
            return (null, $"{shown} är ingen e-postdomän. Skriv domänen efter @ i personalens adresser, till exempel kommun.se.");
        }

        return (ascii, null);
    }

    /// <summary>The domain of an e-mail address as <see cref="Domain"/> stores domains; null when it has none.</summary>
    public static string? DomainOf(string? email) =>
        email is null || email.LastIndexOf('@') is var at && at < 1 ? null : Domain(email[(at + 1)..]).Domain;

    private static string Shown(string value) => value.Length > 60 ? $"{value[..60]}…" : value;

    /// <summary>The claims' defaults as the table has them, for a form that starts without a provider.</summary>
    public static IdentityProviderDoc Defaults { get; } = new() { Authority = "", ClientId = "" };
}
