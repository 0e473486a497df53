using System.Security.Claims;
using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Infrastructure;

/// <summary>The signed-in user's standing in the tenant of the current request.</summary>
public sealed class TenantContext
{
    public Guid TenantId { get; set; }

    public string Slug { get; set; } = "";

    /// <summary>The municipality's name, for pages to show.</summary>
    public string Name { get; set; } = "";

    public TenantRole Role { get; set; }

    public bool IsSystemAdmin { get; set; }

    /// <summary>The signed-in account's id: who submitted a follow-up may not approve it.</summary>
    public string UserId { get; set; } = "";

    /// <summary>When set, the user edits only within this unit's subtree.</summary>
    public Guid? UnitScope { get; set; }

    /// <summary>The organisation as <see cref="Infrastructure.UnitScope"/> read it in this request (this object lives as long as the request).</summary>
    internal (Guid TenantId, Dictionary<Guid, Guid?> Parents)? UnitParents { get; set; }
}

/// <summary>Which role an endpoint or a page needs in the tenant its <c>{slug}</c> names; read by <see cref="TenantAccessMiddleware"/>.</summary>
public interface ITenantAccessMetadata
{
    TenantRole Role { get; }
}

/// <summary>On a page model: the page is the tenant's, for members with at least this role (ADR 17).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireTenantAttribute(TenantRole role = TenantRole.Reader) : Attribute, ITenantAccessMetadata
{
    public TenantRole Role { get; } = role;
}

/// <summary>
/// The one way into a tenant (ADR 2, ADR 17): resolves the slug, checks that the user is a member with at least the
/// required role, enters the tenant scope that every query and write is filtered by, and fills <see cref="TenantContext"/>.
/// Unknown tenants and tenants the user is not a member of get the same answer, so nobody learns which municipalities
/// exist. API endpoints and pages reach it through <see cref="TenantAccessMiddleware"/>; verbs and background jobs enter
/// as the system with <see cref="EnterAsSystemAsync"/>.
/// </summary>
public sealed class TenantAccess(KedjaDbContext db, TenantContext context)
{
    public const string NotFoundMessage = "Kommunen finns inte eller du saknar behörighet.";

    public const string ForbiddenMessage = "Din roll i kommunen räcker inte för det här.";

    public async Task<ServiceResult<TenantContext>> EnterAsync(string? slug, ClaimsPrincipal user, TenantRole required, CancellationToken cancellationToken = default)
    {
        var tenant = await FindAsync(slug, cancellationToken);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var isAdmin = user.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true");
        TenantMembership? membership = null;
        if (!isAdmin)
        {
            // Asked also for an unknown tenant, so that it takes as long to answer as one the user is not a member of.
            var tenantId = tenant?.Id ?? Guid.Empty;
            membership = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
                .SingleOrDefaultAsync(m => m.TenantId == tenantId && m.UserId == userId, cancellationToken);
        }

        if (tenant is not { } found || (!isAdmin && membership is null))
        {
            return ServiceError.NotFound(NotFoundMessage);
        }

        if (membership is not null && membership.Role < required)
        {
            return ServiceError.Forbidden(ForbiddenMessage);
        }

        if (!isAdmin && SingleSignOn.SsoAccess.StartedThroughAnother(user, found.Slug))
        {
            return ServiceError.Forbidden(SingleSignOn.SsoAccess.OtherProviderMessage);
        }

        if (!isAdmin && !found.LocalPasswords && !SingleSignOn.SsoAccess.StartedThrough(user, found.Slug))
        {
            return ServiceError.Forbidden(SingleSignOn.SsoAccess.PasswordRefusedMessage);
        }

        return Enter((found.Id, found.Slug, found.Name), membership?.Role ?? TenantRole.Admin, isAdmin, userId, membership?.UnitId);
    }

    /// <summary>
    /// For verbs and background jobs, which act for the installation rather than for a person: the whole tenant, as its
    /// administrator, with no account of its own (nothing it does counts as anyone's approval).
    /// </summary>
    public async Task<ServiceResult<TenantContext>> EnterAsSystemAsync(string slug, CancellationToken cancellationToken = default)
    {
        var tenant = await FindAsync(slug, cancellationToken);
        return tenant is null
            ? ServiceError.NotFound($"Kommunen '{slug}' finns inte.")
            : Enter((tenant.Value.Id, tenant.Value.Slug, tenant.Value.Name), TenantRole.Admin, isSystemAdmin: true, userId: "", unitScope: null);
    }

    /// <summary>
    /// For background work done for a person (an import they started): their membership's role and units as they are
    /// now, or the whole tenant for a system administrator. Not found when they are no longer a member.
    /// </summary>
    public async Task<ServiceResult<TenantContext>> EnterAsMemberAsync(Guid tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Id, t.Slug, t.Name }).SingleOrDefaultAsync(cancellationToken);
        var membership = await db.Memberships.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(m => m.TenantId == tenantId && m.UserId == userId, cancellationToken);
        var isAdmin = membership is null && await db.Users.AnyAsync(u => u.Id == userId && u.IsSystemAdmin, cancellationToken);
        return tenant is null || (membership is null && !isAdmin)
            ? ServiceError.NotFound("Den som startade arbetet är inte längre medlem i kommunen.")
            : Enter((tenant.Id, tenant.Slug, tenant.Name), membership?.Role ?? TenantRole.Admin, isAdmin, userId, membership?.UnitId);
    }

    private async Task<(Guid Id, string Slug, string Name, bool LocalPasswords)?> FindAsync(string? slug, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(slug))
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => new { t.Id, t.Slug, t.Name, t.LocalPasswords }).SingleOrDefaultAsync(cancellationToken);
        return tenant is null ? null : (tenant.Id, tenant.Slug, tenant.Name, tenant.LocalPasswords);
    }

    private TenantContext Enter((Guid Id, string Slug, string Name) tenant, TenantRole role, bool isSystemAdmin, string userId, Guid? unitScope)
    {
        db.Scope.Enter(tenant.Id, tenant.Slug);
        context.TenantId = tenant.Id;
        context.Slug = tenant.Slug;
        context.Name = tenant.Name;
        context.Role = role;
        context.IsSystemAdmin = isSystemAdmin;
        context.UserId = userId;
        context.UnitScope = unitScope;
        return context;
    }
}

/// <summary>
/// Runs <see cref="TenantAccess"/> for every endpoint and page that carries <see cref="ITenantAccessMetadata"/>, after
/// sign-in and authorization and before model binding, so that a non-member learns nothing from a tenant's routes.
/// </summary>
public sealed class TenantAccessMiddleware(RequestDelegate next, ILogger<TenantAccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http, TenantAccess access)
    {
        IDisposable? tenantLog = null;
        if (http.GetEndpoint()?.Metadata.GetMetadata<ITenantAccessMetadata>() is { } required)
        {
            var entered = await access.EnterAsync(http.GetRouteValue("slug") as string, http.User, required.Role, http.RequestAborted);
            if (entered.Error is { } error)
            {
                if (Ui.ErrorPage.IsPage(http))
                {
                    await Ui.ErrorPage.WriteAsync(http, error.StatusCode, error.Message);
                }
                else
                {
                    await entered.ToHttp().ExecuteAsync(http);
                }

                return;
            }

            // Every log line of the request names the tenant (issue 18, ADR 51).
            tenantLog = Observability.TenantLog.Scope(logger, entered.Value!.Slug);

            // A write sees the organisation in effect today even before this node's worker ran at the day's change.
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
            {
                await http.RequestServices.GetRequiredService<Organisation.ReorganisationWorker>().EnsureAppliedAsync(entered.Value!.TenantId, entered.Value.Slug, http.RequestAborted);
            }
        }

        using (tenantLog)
        {
            await next(http);
        }
    }
}

public static class TenantAccessExtensions
{
    /// <summary>The endpoint belongs to the tenant its <c>{slug}</c> names, for members with at least this role.</summary>
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder, TenantRole role = TenantRole.Reader)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireTenantAttribute(role));

    public static IApplicationBuilder UseTenantAccess(this IApplicationBuilder app) => app.UseMiddleware<TenantAccessMiddleware>();
}

/// <summary>Audit actor taken from the signed-in user.</summary>
public sealed class HttpAuditActor(IHttpContextAccessor accessor, TenantContext tenant) : IAuditActor
{
    private string? actingFor;

    /// <summary>The account and role this request (or the work done for a person) entered the tenant with.</summary>
    public TenantContext Tenant => tenant;

    public string Name => actingFor ?? accessor.HttpContext?.User.Identity?.Name ?? "system";

    /// <summary>Background work done for a person (an import they started) is recorded in their name.</summary>
    public void ActFor(string name) => actingFor = name;
}
