using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.SingleSignOn.Pages;

/// <summary>
/// How the municipality's staff sign in, for its administrators: the identity provider (the secret typed, never shown),
/// the e-mail domains that lead there, the group mappings (added and removed one at a time), and the switches for Kedja's
/// own passwords and two-factor. Every form goes through <see cref="SsoSettings"/>, as the API does, with the version
/// the page was read at; no script needed.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class SignInSettingsModel(TenantContext tenant, SsoSettings settings, KedjaDbContext db, IStringLocalizer<Texts> text) : FormPage
{
    public const string SavedQuery = "inloggning-sparad";

    public TenantContext Tenant => tenant;

    [BindProperty]
    public string? Authority { get; set; }

    [BindProperty]
    public string? ClientId { get; set; }

    /// <summary>Typed only; the page never writes a secret back into the form.</summary>
    [BindProperty]
    public string? ClientSecret { get; set; }

    [BindProperty]
    public bool RemoveClientSecret { get; set; }

    [BindProperty]
    public string? Scopes { get; set; }

    [BindProperty]
    public string? EmailClaim { get; set; }

    [BindProperty]
    public string? NameClaim { get; set; }

    [BindProperty]
    public string? GroupsClaim { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public bool Enabled { get; set; }

    /// <summary>One domain a line.</summary>
    [BindProperty]
    public string? EmailDomains { get; set; }

    // No initial value: an unticked box is not sent, and must read as off.
    [BindProperty]
    public bool LocalPasswords { get; set; }

    [BindProperty]
    public bool RequireTwoFactor { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public string? NewGroup { get; set; }

    [BindProperty]
    public TenantRole NewRole { get; set; } = TenantRole.Reader;

    [BindProperty]
    public Guid? NewUnitId { get; set; }

    public bool HasProvider { get; private set; }

    public bool HasClientSecret { get; private set; }

    public List<GroupMappingDoc> Mappings { get; private set; } = [];

    public List<(Guid Id, string Name)> Units { get; private set; } = [];

    public Dictionary<Guid, string> UnitNames { get; private set; } = [];

    public ConnectionTest? Tested { get; private set; }

    /// <summary>Where the provider sends people back (ADR 45), to register in the provider; as this request reached Kedja.</summary>
    public string CallbackUrl => $"{Request.Scheme}://{Request.Host}/inloggning/oidc/{tenant.Slug}";

    /// <summary>Where the provider sends people after its own sign-out; a provider refuses to send them anywhere it has not registered.</summary>
    public string SignedOutUrl => $"{Request.Scheme}://{Request.Host}{SsoSchemes.SignedOutPath(tenant.Slug)}";

    public bool JustSaved => Request.Query[FormDone.Query] == SavedQuery;

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await settings.GetAsync(HttpContext.RequestAborted);
        if (found.Error is { } error)
        {
            return Refuse(error.StatusCode, error.Message);
        }

        Fill(found.Value!);
        return await ReadyAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var current = await settings.GetAsync(HttpContext.RequestAborted);
        if (current.Error is { } refused)
        {
            return Refuse(refused.StatusCode, refused.Message);
        }

        var now = current.Value!;
        var blank = string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(ClientId) && !Enabled && string.IsNullOrEmpty(ClientSecret);
        var input = new VersionedSignInSettings
        {
            Provider = now.Provider is null && blank ? null : new IdentityProviderDoc
            {
                Authority = Authority ?? "", ClientId = ClientId ?? "", Scopes = Scopes ?? "", EmailClaim = EmailClaim ?? "", NameClaim = NameClaim ?? "",
                GroupsClaim = GroupsClaim ?? "", DisplayName = DisplayName, Enabled = Enabled,
            },
            ClientSecret = ClientSecret,
            RemoveClientSecret = RemoveClientSecret,
            LocalPasswords = LocalPasswords,
            RequireTwoFactor = RequireTwoFactor,
            EmailDomains = [.. Lines(EmailDomains)],
            GroupMappings = now.GroupMappings,
            Version = Version,
        };
        return await SaveAsync(input, now, field => field.StartsWith("emailDomains", StringComparison.Ordinal) ? "emailDomains"
            : field.StartsWith("provider.", StringComparison.Ordinal) ? field["provider.".Length..] : field, keepTyped: true);
    }

    public async Task<IActionResult> OnPostAddMappingAsync()
    {
        var current = await settings.GetAsync(HttpContext.RequestAborted);
        if (current.Error is { } refused)
        {
            return Refuse(refused.StatusCode, refused.Message);
        }

        var now = current.Value!;
        var index = now.GroupMappings.Count;
        var input = new VersionedSignInSettings(now) { GroupMappings = [.. now.GroupMappings, new GroupMappingDoc(NewGroup ?? "", NewRole, NewUnitId)], Version = Version };
        return await SaveAsync(input, now, field => field.StartsWith($"groupMappings[{index}].", StringComparison.Ordinal)
            ? "new" + char.ToUpperInvariant(field[$"groupMappings[{index}].".Length]) + field[($"groupMappings[{index}].".Length + 1)..]
            : field, keepTyped: false);
    }

    public async Task<IActionResult> OnPostRemoveMappingAsync([FromForm(Name = "mapping")] int mapping)
    {
        var current = await settings.GetAsync(HttpContext.RequestAborted);
        if (current.Error is { } refused)
        {
            return Refuse(refused.StatusCode, refused.Message);
        }

        var now = current.Value!;
        if (mapping < 0 || mapping >= now.GroupMappings.Count)
        {
            // The list the page showed is no longer there: someone changed it.
            Show(ServiceError.Conflict(), text["SignInAdmin.Conflict"]);
            Fill(now);
            return await ReadyAsync();
        }

        var input = new VersionedSignInSettings(now) { GroupMappings = [.. now.GroupMappings.Where((_, i) => i != mapping)], Version = Version };
        return await SaveAsync(input, now, field => field, keepTyped: false);
    }

    public async Task<IActionResult> OnPostTestAsync()
    {
        var current = await settings.GetAsync(HttpContext.RequestAborted);
        if (current.Error is { } refused)
        {
            return Refuse(refused.StatusCode, refused.Message);
        }

        Fill(current.Value!);
        var result = await settings.TestConnectionAsync(HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            Show(error, text["SignInAdmin.TestFailed"], field => field == "authority" ? "test" : field);
            Response.StatusCode = StatusCodes.Status200OK;
        }
        else
        {
            Tested = result.Value;
        }

        return await ReadyAsync();
    }

    /// <summary>Saves, then back to the page with its status; a refusal stays on the page with every error and what was typed.</summary>
    private async Task<IActionResult> SaveAsync(VersionedSignInSettings input, VersionedSignInSettings now, Func<string, string> formField, bool keepTyped)
    {
        var result = await settings.SaveAsync(input, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(FormDone.Url($"/k/{tenant.Slug}/inloggning", SavedQuery));
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        var typed = (Authority, ClientId, Scopes, EmailClaim, NameClaim, GroupsClaim, DisplayName, Enabled, EmailDomains, LocalPasswords, RequireTwoFactor, Version);
        Fill(now);
        if (keepTyped)
        {
            (Authority, ClientId, Scopes, EmailClaim, NameClaim, GroupsClaim, DisplayName, Enabled, EmailDomains, LocalPasswords, RequireTwoFactor, Version) = typed;
        }
        else
        {
            Version = typed.Version;
        }

        Show(result.Error, result.Error.Kind == ServiceErrorKind.Conflict ? text["SignInAdmin.Conflict"] : text["SignInAdmin.NotSaved"], formField);
        return await ReadyAsync();
    }

    private static IEnumerable<string> Lines(string? text) => (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private void Fill(VersionedSignInSettings s)
    {
        var p = s.Provider ?? SsoRules.Defaults;
        HasProvider = s.Provider is not null;
        HasClientSecret = s.HasClientSecret;
        (Authority, ClientId, Scopes, EmailClaim, NameClaim, GroupsClaim, DisplayName, Enabled) =
            (p.Authority, p.ClientId, p.Scopes, p.EmailClaim, p.NameClaim, p.GroupsClaim, p.DisplayName, p.Enabled);
        EmailDomains = string.Join('\n', s.EmailDomains);
        LocalPasswords = s.LocalPasswords;
        RequireTwoFactor = s.RequireTwoFactor;
        Mappings = s.GroupMappings;
        Version = s.Version;
        ClientSecret = null;
        RemoveClientSecret = false;
    }

    private async Task<PageResult> ReadyAsync()
    {
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.ParentId, u.SortOrder, u.IsActive }).ToListAsync(HttpContext.RequestAborted);
        UnitNames = units.ToDictionary(u => u.Id, u => u.Name);
        Units = [.. UnitTree.Order(units.Where(u => u.IsActive).ToList(), u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name)
            .Select(x => (x.Unit.Id, UnitTree.Indented(x.Unit.Name, x.Depth)))];
        Ready = true;
        return Page();
    }
}
