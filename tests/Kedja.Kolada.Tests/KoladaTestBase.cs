using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Kolada.Tests;

/// <summary>Each test gets its own fake Kolada and real clients wired as the app wires them, with short waits.</summary>
public abstract class KoladaTestBase : IAsyncLifetime
{
    private readonly List<ServiceProvider> providers = [];

    protected FakeKolada Fake { get; private set; } = null!;

    public async Task InitializeAsync() => Fake = await FakeKolada.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
        await Fake.DisposeAsync();
    }

    protected KoladaClient Client(Action<KoladaOptions>? configure = null, bool v2 = false)
    {
        var services = new ServiceCollection();
        services.AddKolada(o =>
        {
            o.BaseUrl = v2 ? Fake.BaseUrlV2 : Fake.BaseUrl;
            o.TimeoutSeconds = 2;
            o.MaxRetries = 3;
            o.RetryBaseDelaySeconds = 0.02;
            o.MaxRetryAfterSeconds = 5;
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<KoladaClient>();
    }

    /// <summary>The comma-separated ids in a request path's segment after <paramref name="name"/>.</summary>
    protected static string[] SegmentAfter(string request, string name)
    {
        var parts = request.Split('?')[0].Split('/');
        var at = Array.IndexOf(parts, name);
        return at < 0 || at + 1 >= parts.Length ? [] : parts[at + 1].Split(',');
    }
}
