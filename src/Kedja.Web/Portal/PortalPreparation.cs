using Kedja.Web.Public;

namespace Kedja.Web.Portal;

/// <summary>
/// Readies the portal of a tenant after its publications changed: the published view's statuses of its latest
/// published period computed on this node (about a second for the largest tenant), waited for up to <see
/// cref="Wait"/> and otherwise finished in the background. Other nodes do it when their <see cref="Periods.PublicationWatch"/>
/// sees the change. One preparation at a time on a node: on a deadline day many municipalities publish at once, and
/// each computes a whole period; they queue rather than take every core from the people working. They stop with the app.
/// </summary>
public sealed class PortalPreparation(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<PortalPreparation> log)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim one = new(1, 1);

    public async Task PrepareAsync(string slug, CancellationToken cancellationToken = default)
    {
        var stopping = lifetime.ApplicationStopping;
        var work = Task.Run(async () =>
        {
            try
            {
                await one.WaitAsync(stopping);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var reader = scope.ServiceProvider.GetRequiredService<PublicReader>();
                    await reader.ReadAsync(slug, t => t.PrepareLatestAsync(stopping), stopping);
                }
                finally
                {
                    one.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The app stops: the next node or start computes what it needs at its first request.
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The portal computes what it needs at its first request instead; nothing is lost but time.
                log.LogWarning(ex, "Could not prepare the portal of {Tenant}", slug);
            }
        }, CancellationToken.None);
        try
        {
            await work.WaitAsync(Wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            log.LogInformation("Preparing the portal of {Tenant} goes on in the background", slug);
        }
    }
}
