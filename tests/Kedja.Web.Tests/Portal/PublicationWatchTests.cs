using Kedja.Web.Demo;
using Kedja.Web.FollowUp;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// A node readies the portal of a tenant whose publications changed on another node (ADR 41), before any visitor asks.
/// "Another node" is a write straight to the database, past the publishing service that readies its own node.
/// </summary>
public sealed class PublicationWatchTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_publication_made_elsewhere_has_its_statuses_computed_on_this_node_at_the_next_look(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var cache = app.Services.GetRequiredService<StatusCache>();
        var watch = ActivatorUtilities.CreateInstance<PublicationWatch>(app.Services);
        await watch.LookAsync(CancellationToken.None);

        Guid tenant, period;
        long version;
        var (scope, db) = app.DbFor(DemoTenant.Slug);
        using (scope)
        {
            // Published again at another time: the latest published period.
            var latest = (await db.Periods.Where(p => p.IsPublished).ToListAsync()).OrderBy(p => p.Ref).Last();
            latest.PublishedAt = latest.PublishedAt!.Value.AddMinutes(1);
            await db.SaveChangesAsync();
            (tenant, period) = (latest.TenantId, latest.Id);
            version = await db.Tenants.Select(t => t.DataVersion).SingleAsync();
        }

        var key = (tenant, period, true);
        cache.Find(key, version).ShouldBeNull("nothing computed the published view of the new version yet");
        await watch.LookAsync(CancellationToken.None);
        var held = cache.Find(key, version).ShouldNotBeNull("the look readied the latest published period");
        held.Goals.ShouldNotBeEmpty();

        // Nothing changed since: the next look computes nothing.
        var computations = cache.Computations;
        await watch.LookAsync(CancellationToken.None);
        cache.Computations.ShouldBe(computations);
    }

    [Fact]
    public async Task The_first_look_of_a_node_only_remembers_and_zero_seconds_does_not_look()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), seedDemo: true);
        var cache = app.Services.GetRequiredService<StatusCache>();
        var computations = cache.Computations;
        await ActivatorUtilities.CreateInstance<PublicationWatch>(app.Services).LookAsync(CancellationToken.None);
        cache.Computations.ShouldBe(computations, "a node starting does not compute every tenant's portal");

        // The app's own watch is off in tests (Kedja:Portal:WatchPublicationsSeconds = 0): it ends at once.
        var own = app.Services.GetServices<IHostedService>().OfType<PublicationWatch>().Single();
        own.ExecuteTask.ShouldNotBeNull().IsCompleted.ShouldBeTrue();
    }
}
