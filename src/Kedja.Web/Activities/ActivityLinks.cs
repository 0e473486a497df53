using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;

namespace Kedja.Web.Activities;

/// <summary>Whose activities the signed-in person may report and change, for pages that list activities of many units (a scorecard).</summary>
public sealed class ActivityLinks(TenantContext tenant, KedjaDbContext db)
{
    /// <summary>Whether the person plans for a unit: its editors and those above; never a reader.</summary>
    public async Task<Func<Guid, bool>> ReportableAsync() =>
        tenant.Role >= TenantRole.Editor ? await UnitScope.AllowsManyAsync(tenant, db) : _ => false;
}
