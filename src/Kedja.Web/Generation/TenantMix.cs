using System.Diagnostics;
using System.Globalization;
using Kedja.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Generation;

public sealed record MixedTenant(int Number, string Slug, TenantSize Size);

public sealed record MixResult(int Made, int Skipped, long Outcomes, TimeSpan Elapsed);

/// <summary>
/// Many synthetic municipalities in one database, for the installation of issue 17 (a region or hosting provider
/// serving most of Sweden's 290 municipalities). The mix follows Sweden's sizes roughly: most municipalities are
/// small (S, 50 units), every tenth is a town of some size (M, 500 units), and exactly one is a large city (L,
/// 2,500 units), placed in the middle so that it is neither the first nor the last tenant written.
/// </summary>
public sealed class TenantMix(IServiceScopeFactory scopes)
{
    public const int MaxCount = 1_000;

    public static IReadOnlyList<MixedTenant> Plan(int count, string prefix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        var large = (count + 1) / 2;
        return [.. Enumerable.Range(1, count).Select(n =>
        {
            var size = n == large ? TenantSize.L : n % 10 == 0 ? TenantSize.M : TenantSize.S;
            return new MixedTenant(n, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n:000}-{size.ToString().ToLowerInvariant()}"), size);
        })];
    }

    /// <summary>
    /// Generates every planned tenant that is not there yet, each in its own scope and transaction (the generator's,
    /// bulk writes by binary COPY on PostgreSQL), so an interrupted run goes on where it stopped when started again.
    /// </summary>
    public async Task<MixResult> GenerateAsync(int count, string prefix, Func<MixedTenant, GenerationResult?, Task> progress, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var plan = Plan(count, prefix);
        HashSet<string> existing;
        using (var scope = scopes.CreateScope())
        {
            var slugs = plan.Select(p => p.Slug).ToList();
            existing = [.. await scope.ServiceProvider.GetRequiredService<KedjaDbContext>().Tenants.Where(t => slugs.Contains(t.Slug)).Select(t => t.Slug).ToListAsync(cancellationToken)];
        }

        var made = 0;
        long outcomes = 0;
        foreach (var tenant in plan)
        {
            if (existing.Contains(tenant.Slug))
            {
                await progress(tenant, null);
                continue;
            }

            // A scope per tenant: the generator enters the tenant's scope on its context, which holds one tenant only.
            using var scope = scopes.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<TenantGenerator>().GenerateAsync(tenant.Size, tenant.Slug, name: $"Kommun {tenant.Number:000} ({tenant.Size})", cancellationToken: cancellationToken);
            made++;
            outcomes += result.Outcomes;
            await progress(tenant, result);
        }

        return new MixResult(made, plan.Count - made, outcomes, watch.Elapsed);
    }
}
