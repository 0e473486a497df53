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

    public TenantRole Role { get; set; }

    public bool IsSystemAdmin { get; set; }

    /// <summary>The signed-in account's id: who submitted a follow-up may not approve it.</summary>
    public string UserId { get; set; } = "";

    /// <summary>When set, the user edits only within this unit's subtree.</summary>
    public Guid? UnitScope { get; set; }
}

/// <summary>
/// Resolves {slug} to a tenant, checks that the user is a member with at least the required role, and enters the
/// tenant scope that every query and write is filtered by. Unknown tenants and tenants the user is not a member of
/// both answer 404, so the API does not reveal which municipalities exist.
/// </summary>
public sealed class TenantAccessFilter(TenantRole required) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var slug = http.GetRouteValue("slug") as string;
        var db = http.RequestServices.GetRequiredService<KedjaDbContext>();
        var tenant = slug is null ? null : await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => new { t.Id, t.Slug }).SingleOrDefaultAsync(http.RequestAborted);
        if (tenant is null)
        {
            return Problems.NotFound("Kommunen finns inte eller du saknar behörighet.");
        }

        var isAdmin = http.User.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true");
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        TenantMembership? membership = null;
        if (!isAdmin)
        {
            membership = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
                .SingleOrDefaultAsync(m => m.TenantId == tenant.Id && m.UserId == userId, http.RequestAborted);
            if (membership is null)
            {
                return Problems.NotFound("Kommunen finns inte eller du saknar behörighet.");
            }

            if (membership.Role < required)
            {
                return Problems.Forbidden("Din roll i kommunen räcker inte för det här.");
            }
        }

        db.Scope.Enter(tenant.Id, tenant.Slug);
        var ctx = http.RequestServices.GetRequiredService<TenantContext>();
        ctx.TenantId = tenant.Id;
        ctx.Slug = tenant.Slug;
        ctx.IsSystemAdmin = isAdmin;
        ctx.UserId = userId ?? "";
        ctx.Role = isAdmin ? TenantRole.Admin : membership!.Role;
        ctx.UnitScope = membership?.UnitId;
        return await next(context);
    }
}

public static class TenantAccessExtensions
{
    public static TBuilder RequireTenant<TBuilder>(this TBuilder builder, TenantRole role = TenantRole.Reader)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new TenantAccessFilter(role));
}

/// <summary>Audit actor taken from the signed-in user.</summary>
public sealed class HttpAuditActor(IHttpContextAccessor accessor) : IAuditActor
{
    public string Name => accessor.HttpContext?.User.Identity?.Name ?? "system";
}
