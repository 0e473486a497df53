namespace Kedja.Web.Infrastructure;

/// <summary>
/// How heavy background work (report rendering, file checks and imports) is shared between tenants across app nodes
/// (ADR 35, issue 17). A running job holds one of its tenant's numbered slots, 1 to the tenant's limit, and a unique key
/// on (tenant, slot) lets the database refuse one more however many nodes claim at once (a count in the claim would not
/// hold: two nodes under READ COMMITTED both see a free place). The claim's candidates leave out the tenants whose slots
/// are all held, so that one tenant's long queue never hides another tenant's job from the workers: the other tenant's
/// job is claimed while the first one's queue waits. How many jobs one node runs at once is bounded by its worker loops.
/// </summary>
public static class TenantSlots
{
    /// <summary>The lowest slot of 1..<paramref name="perTenant"/> not in <paramref name="used"/>, or null when all are held.</summary>
    public static int? FirstFree(IReadOnlyCollection<int> used, int perTenant) =>
        Enumerable.Range(1, Math.Max(1, perTenant)).Where(s => !used.Contains(s)).Select(s => (int?)s).FirstOrDefault();

    /// <summary>A configured limit read safely: at least one, so that a tenant's work is never stopped by a setting.</summary>
    public static int Limit(int configured) => Math.Max(1, configured);
}
