using System.Security.Claims;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Tenants;

/// <summary>The municipalities a person may enter: where they are a member; every one for a system administrator.</summary>
public sealed class TenantDirectory(KedjaDbContext db)
{
    public async Task<List<TenantSummary>> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var query = db.Tenants.AsNoTracking();
        if (!user.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true"))
        {
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            var mine = db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == userId).Select(m => m.TenantId);
            query = query.Where(t => mine.Contains(t.Id));
        }

        return await query.OrderBy(t => t.Name).Select(t => new TenantSummary(t.Slug, t.Name, t.Kommunkod)).ToListAsync(cancellationToken);
    }
}
