using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Infrastructure;

/// <summary>Whether the user may edit results of a unit: admins everywhere, scoped editors in their unit and below.</summary>
public static class UnitScope
{
    public static async Task<bool> AllowsAsync(TenantContext context, KedjaDbContext db, Guid unitId, CancellationToken cancellationToken = default)
    {
        if (context.IsSystemAdmin || context.Role == Domain.Tenancy.TenantRole.Admin || context.UnitScope is null)
        {
            return true;
        }

        var parents = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        for (Guid? current = unitId; current is { } id; current = parents.GetValueOrDefault(id))
        {
            if (id == context.UnitScope)
            {
                return true;
            }
        }

        return false;
    }
}
