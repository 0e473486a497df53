using Kedja.Data;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Infrastructure;

/// <summary>Where the user stands towards a unit: admins everywhere, scoped editors in their unit and below.</summary>
public static class UnitScope
{
    /// <summary>Whether the user may edit results of the unit (it is their unit or lies below it).</summary>
    public static Task<bool> AllowsAsync(TenantContext context, KedjaDbContext db, Guid unitId, CancellationToken cancellationToken = default) =>
        ReachesAsync(context, db, [unitId], includeSelf: true, cancellationToken);

    /// <summary>Whether the user may edit results of every one of the units (moving something from one to another).</summary>
    public static Task<bool> AllowsAllAsync(TenantContext context, KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, CancellationToken cancellationToken = default) =>
        ReachesAsync(context, db, unitIds, includeSelf: true, cancellationToken);

    /// <summary>Whether the user stands above the unit, as whoever approves its follow-up must: nobody approves their own.</summary>
    public static Task<bool> IsAboveAsync(TenantContext context, KedjaDbContext db, Guid unitId, CancellationToken cancellationToken = default) =>
        ReachesAsync(context, db, [unitId], includeSelf: false, cancellationToken);

    /// <summary>As <see cref="AllowsAsync"/> for many units, with the organisation read once (a batch of outcomes).</summary>
    public static async Task<Func<Guid, bool>> AllowsManyAsync(TenantContext context, KedjaDbContext db, CancellationToken cancellationToken = default)
    {
        if (!MayEdit(context))
        {
            return _ => false;
        }

        var parents = await ParentsAsync(context, db, cancellationToken);
        return parents is null ? _ => true : unitId => Reaches(parents, context.UnitScope!.Value, unitId);
    }

    /// <summary>
    /// Which units' internal control and assignments the person sees (ADR 46): everyone without a unit scope (readers of
    /// the whole municipality, administrators), members of the council or the executive board (uppsiktsplikt), and
    /// otherwise the person's unit and the units below it. Unlike goals, a unit's risks are not read by its neighbours.
    /// </summary>
    public static async Task<Func<Guid, bool>> SeesManyAsync(TenantContext context, KedjaDbContext db, CancellationToken cancellationToken = default)
    {
        if (context.IsSystemAdmin || context.Role == Domain.Tenancy.TenantRole.Admin || context.UnitScope is not { } scope)
        {
            return _ => true;
        }

        var kind = await db.Units.AsNoTracking().Where(u => u.Id == scope).Select(u => (Domain.Organisation.UnitKind?)u.Kind).SingleOrDefaultAsync(cancellationToken);
        if (kind is Domain.Organisation.UnitKind.Council or Domain.Organisation.UnitKind.ExecutiveBoard)
        {
            return _ => true;
        }

        var parents = await ParentsAsync(context, db, cancellationToken) ?? [];
        return unitId => Reaches(parents, scope, unitId);
    }

    /// <summary>As <see cref="SeesManyAsync"/> for one unit.</summary>
    public static async Task<bool> SeesAsync(TenantContext context, KedjaDbContext db, Guid unitId, CancellationToken cancellationToken = default) =>
        (await SeesManyAsync(context, db, cancellationToken))(unitId);

    /// <summary>
    /// A reader edits no unit, whichever entry point asks: the services answer for themselves rather than trusting that
    /// every endpoint and page carries the right role requirement.
    /// </summary>
    private static bool MayEdit(TenantContext context) => context.IsSystemAdmin || context.Role >= Domain.Tenancy.TenantRole.Editor;

    private static async Task<bool> ReachesAsync(TenantContext context, KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, bool includeSelf, CancellationToken cancellationToken)
    {
        if (!MayEdit(context))
        {
            return false;
        }

        var parents = await ParentsAsync(context, db, cancellationToken);
        return parents is null || unitIds.All(unitId => Reaches(parents, context.UnitScope!.Value, includeSelf ? unitId : parents.GetValueOrDefault(unitId)));
    }

    /// <summary>
    /// Each unit's parent, or null when the user reaches every unit anyway. Read once per request and kept on the
    /// request's <see cref="TenantContext"/>: a page asks many questions (each workflow step, each indicator's owner) and
    /// the whole organisation is 2,500 rows on a large municipality. Never kept longer, since other app nodes change
    /// units in the same database.
    /// </summary>
    private static async Task<Dictionary<Guid, Guid?>?> ParentsAsync(TenantContext context, KedjaDbContext db, CancellationToken cancellationToken)
    {
        if (context.IsSystemAdmin || context.Role == Domain.Tenancy.TenantRole.Admin || context.UnitScope is null)
        {
            return null;
        }

        if (context.UnitParents is { } known && known.TenantId == context.TenantId)
        {
            return known.Parents;
        }

        var parents = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId }).ToDictionaryAsync(u => u.Id, u => u.ParentId, cancellationToken);
        context.UnitParents = (context.TenantId, parents);
        return parents;
    }

    private static bool Reaches(Dictionary<Guid, Guid?> parents, Guid scope, Guid? start)
    {
        for (var current = start; current is { } id; current = parents.GetValueOrDefault(id))
        {
            if (id == scope)
            {
                return true;
            }
        }

        return false;
    }
}
