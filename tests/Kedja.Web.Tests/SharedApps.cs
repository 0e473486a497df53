namespace Kedja.Web.Tests;

/// <summary>
/// One app per database provider for all tests of a class (<c>IClassFixture</c>), started at the first test that asks
/// and stopped after the class's last: for classes whose tests each work on data of their own (own tenant, unit, goal
/// names, accounts) and never count or read what another test wrote, so that they stay independent of each other and
/// of their order. A test that needs a fresh database, its own settings or a moved clock starts its own
/// <see cref="KedjaApp"/> instead (ADR 57).
/// </summary>
public abstract class SharedApps(bool seedDemo) : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<KedjaApp>>> apps = new();

    /// <summary>The class's app on the provider, started once.</summary>
    public Task<KedjaApp> AppAsync(string provider) =>
        apps.GetOrAdd(provider, p => new Lazy<Task<KedjaApp>>(() => KedjaApp.StartAsync(p, seedDemo))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // An app that failed to start failed its tests already; there is nothing of it to stop.
        foreach (var started in apps.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully))
        {
            await (await started.Value).DisposeAsync();
        }
    }
}

/// <summary>Shared apps on the demo tenant's database (<see cref="SharedApps"/>).</summary>
public sealed class SharedDemoApps() : SharedApps(seedDemo: true);
